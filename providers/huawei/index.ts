/**
 * The Huawei Cloud backend: one module per layer behind the shared `CloudBackend` interface, on the
 * project's typed bindings to huaweicloud/pulumi-huaweicloud v0.0.11 (sdks/huaweicloud).
 *
 * How the cloud-agnostic outputs map onto Huawei Cloud:
 * - `networkId`: the VPC id, resolving once NAT egress and flow logs exist. Subnet ids are VPC
 *   subnet ids, one per zone per tier. `privateRouteTableIds`: empty (routes go into the VPC's
 *   default route table). `natPublicIps`: the NAT gateway's EIPs (one per zone with `perZone`).
 * - `endpoint`: the CCE API's private address; `kubeconfig`: CCE's own (client certificate, secret)
 *   reduced to that endpoint. `nodeSecurityGroupId`: the node group CCE creates.
 *   `clusterSecurityGroupId`, `nodeIdentity`, `oidcIssuerUrl`: empty (CCE-managed or not used).
 * - `encryptionKeyId`: DEW (KMS) key ids. Backup `vaultName`: the CBR vaults' names; `planId`:
 *   the CBR policy id. Cache `securityGroupId`: empty (DCS uses a whitelist).
 * - Load balancing `ingressClassName`: `cce` (CCE's ELB ingress controller, in the control plane).
 * - VPN `gatewayId`: the IPsec gateway VM's id (providers/huawei/vpn.ts explains the choice).
 */
import { CloudBackend } from "../backend";
import { huaweiAddons } from "./addons";
import { huaweiBackup } from "./backup";
import { huaweiCache } from "./cache";
import { huaweiKubernetes } from "./kubernetes";
import { huaweiLoadBalancing } from "./loadBalancing";
import { huaweiNetwork } from "./network";
import { huaweiObservability } from "./observability";
import { huaweiStorage } from "./storage";
import { huaweiVpn } from "./vpn";

export const huaweiBackend: CloudBackend = {
  cloud: "huawei",
  // Storage classes, the ELB ConfigMap and metrics-server, and the observability charts.
  clusterApiLayers: ["storage", "addons", "observability"],
  network: huaweiNetwork,
  kubernetes: huaweiKubernetes,
  storage: huaweiStorage,
  backup: huaweiBackup,
  loadBalancing: huaweiLoadBalancing,
  vpn: huaweiVpn,
  addons: huaweiAddons,
  cache: huaweiCache,
  observability: huaweiObservability,
};
