/**
 * The OCI backend: one module per layer, assembled behind the shared `CloudBackend` interface.
 * Every resource goes into `officeless:oci.compartmentId`; IAM into the tenancy's home region.
 *
 * How the cloud-agnostic outputs map onto OCI:
 * - `networkId`: the VCN's OCID; it resolves only once the NAT and service gateways, the DRG
 *   attachment and the flow logs exist.
 * - `publicSubnetIds`: the one regional load balancer subnet. `privateSubnetIds`: the regional
 *   workers, pods and API endpoint subnets, in that order (`PRIVATE_SUBNETS`; OCI subnets span
 *   every availability domain). `databaseSubnetIds`: the isolated subnet, or empty.
 * - `privateRouteTableIds`: the private and database route tables (the network layer routes the
 *   private ranges outside the VCN to the DRG; OCI has no route-rule resource to add later).
 * - `natPublicIps`: the NAT gateway's address (one regional, highly available gateway).
 * - `endpoint`: the private API endpoint (`https://<ip>:6443`). `clusterId`: the cluster OCID.
 * - `nodeSecurityGroupId`: the NSG of every node's and pod's VNIC, which caches and mount targets
 *   admit. `clusterSecurityGroupId`: the API endpoint's NSG.
 * - `nodeIdentity`: the compartment the nodes' instance principals belong to (workloads use OKE
 *   workload identity instead). `encryptionKeyId`: the Vault key OCIDs.
 * - Backup `vaultName`/`planId`: the volume backup policy's name and OCID.
 * - Cache `securityGroupId`: the cache's NSG. `authToken`: the OCI Cache user's password.
 * - Load balancing `ingressClassName`: the native ingress controller's IngressClass.
 */
import { CloudBackend } from "../backend";
import { ociAddons } from "./addons";
import { ociBackup } from "./backup";
import { ociCache } from "./cache";
import { ociKubernetes } from "./kubernetes";
import { ociLoadBalancing } from "./loadBalancing";
import { ociNetwork } from "./network";
import { ociObservability } from "./observability";
import { ociStorage } from "./storage";
import { ociVpn } from "./vpn";

export const ociBackend: CloudBackend = {
  cloud: "oci",
  clusterApiLayers: ["storage", "addons", "observability"],
  network: ociNetwork,
  kubernetes: ociKubernetes,
  storage: ociStorage,
  backup: ociBackup,
  loadBalancing: ociLoadBalancing,
  vpn: ociVpn,
  addons: ociAddons,
  cache: ociCache,
  observability: ociObservability,
};
