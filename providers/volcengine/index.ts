/**
 * The Volcengine (ByteDance Cloud) backend: one module per layer behind the shared `CloudBackend`
 * interface, on the typed bindings of sdks/volcengine (the provider's Node.js SDK is not used).
 *
 * How the cloud-agnostic outputs map onto Volcengine:
 * - `networkId`: the VPC id, resolving once the per-zone routes and SNAT entries exist.
 * - `privateRouteTableIds`: the per-zone route tables of the private subnets (default route to
 *   the zone's NAT gateway; the VPN layer adds the peers' routes).
 * - `endpoint` / `kubeconfig`: the private API server of the VKE cluster, from VKE's private
 *   kubeconfig (a client certificate, so the kubeconfig is a secret and needs no CLI plugin).
 * - `nodeSecurityGroupId`: the node pools' security group. `clusterSecurityGroupId`,
 *   `nodeIdentity`, `encryptionKeyId` (kubernetes): empty (see kubernetes.ts).
 * - Storage `encryptionKeyId`: the TRN of the KMS key that encrypts the TOS buckets.
 * - Cache `securityGroupId`: the Redis allow-list id. Load balancing: Traefik behind a private CLB.
 * - Backup: refused (see backup.ts).
 */
import { CloudBackend } from "../backend";
import { volcengineAddons } from "./addons";
import { volcengineBackup } from "./backup";
import { volcengineCache } from "./cache";
import { volcengineKubernetes } from "./kubernetes";
import { volcengineLoadBalancing } from "./loadBalancing";
import { volcengineNetwork } from "./network";
import { volcengineObservability } from "./observability";
import { volcengineStorage } from "./storage";
import { volcengineVpn } from "./vpn";

export const volcengineBackend: CloudBackend = {
  cloud: "volcengine",
  // StorageClasses (storage), Traefik (addons: load balancing) and the Helm releases (observability).
  clusterApiLayers: ["storage", "addons", "observability"],
  network: volcengineNetwork,
  kubernetes: volcengineKubernetes,
  storage: volcengineStorage,
  backup: volcengineBackup,
  loadBalancing: volcengineLoadBalancing,
  vpn: volcengineVpn,
  addons: volcengineAddons,
  cache: volcengineCache,
  observability: volcengineObservability,
};
