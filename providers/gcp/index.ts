/**
 * The GCP backend: one module per layer, assembled behind the shared `CloudBackend` interface.
 *
 * How the cloud-agnostic outputs map onto GCP:
 * - `networkId`: the VPC's id (`projects/<p>/global/networks/<name>`); it resolves only once the
 *   firewall rules, Cloud NAT and private services access exist, so downstream layers wait for them.
 * - `publicSubnetIds` / `privateSubnetIds` / `databaseSubnetIds`: one regional subnet per tier (GCP
 *   subnets span every zone): the proxy-only subnet of regional load balancers, the node subnet
 *   (with the `pods` and `services` secondary ranges), and the isolated subnet of Private Service
 *   Connect endpoints (empty when the database tier is off).
 * - `privateRouteTableIds`: empty; GCP routes belong to the network, not to subnets.
 * - `natPublicIps`: Cloud NAT's static egress addresses (one per zone with `perZone`).
 * - `endpoint`: the DNS-based control-plane endpoint the kubeconfig uses (IAM-gated); the IP
 *   endpoint stays private unless `publicAccessCidrs` is set. `clusterId`: the GKE cluster id.
 * - `nodeSecurityGroupId`: the network tag on every node, which the firewall rules target.
 * - `clusterSecurityGroupId`: the control plane's /28, the source the firewall admits to nodes.
 * - `nodeIdentity`: the node service account's email. `encryptionKeyId`: Cloud KMS key ids.
 * - Backup `vaultName`/`planId`: the Backup for GKE plan's name and id.
 * - Cache `securityGroupId`: the Memorystore Service Connection Policy (Valkey) or empty (Redis).
 *   `authToken`: Redis's AUTH string; empty for Valkey, which authenticates with IAM tokens.
 * - Load balancing `ingressClassName`: the GatewayClass; `controllerNamespace`: empty (the GKE
 *   Gateway controller runs in the control plane). Add-ons: no releases (GKE ships metrics-server
 *   and autoscales node pools itself).
 */
import { CloudBackend } from "../backend";
import { gcpAddons } from "./addons";
import { gcpBackup } from "./backup";
import { gcpCache, gcpCacheExporterSkipped } from "./cache";
import { gcpKubernetes } from "./kubernetes";
import { gcpLoadBalancing } from "./loadBalancing";
import { gcpNetwork } from "./network";
import { gcpObservability } from "./observability";
import { gcpStorage } from "./storage";
import { gcpVpn } from "./vpn";

export const gcpBackend: CloudBackend = {
  cloud: "gcp",
  clusterApiLayers: ["storage", "observability"],
  cacheExporterSkipped: gcpCacheExporterSkipped,
  network: gcpNetwork,
  kubernetes: gcpKubernetes,
  storage: gcpStorage,
  backup: gcpBackup,
  loadBalancing: gcpLoadBalancing,
  vpn: gcpVpn,
  addons: gcpAddons,
  cache: gcpCache,
  observability: gcpObservability,
};
