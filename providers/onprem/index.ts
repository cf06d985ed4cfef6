/**
 * The on-prem backend: the platform on the customer's own Kubernetes (K3s, RKE2, OpenShift, k0s or
 * vanilla), one module per layer behind the shared `CloudBackend` interface. No cloud API exists:
 * `officeless:onprem` (args.onprem) gives the facts a cloud would answer, and everything in the
 * cluster is built with @pulumi/kubernetes; K3s and the VPN gateway are installed over SSH with
 * @pulumi/command.
 *
 * Layers owned here: network.ts, kubernetes.ts (+ k3s.ts), vpn.ts, backup.ts, catalog.ts.
 * Layers built on the onprem-addons branch: addons.ts, loadBalancing.ts, storage.ts, cache.ts,
 * observability.ts.
 *
 * How the cloud-agnostic outputs map onto a data centre:
 * - `networkId`: `onprem:<region>` (the site); `cidr`: the declared site network; `zones`: the
 *   failure domains, which are the nodes' `topology.kubernetes.io/zone` labels.
 * - `privateSubnetIds`: the node networks' CIDRs, in zone order; `publicSubnetIds`,
 *   `databaseSubnetIds`, `privateRouteTableIds`: empty (no cloud subnets or route tables).
 * - `natPublicIps`: the site's public address (`onprem.vpn.localPublicIp`) when given.
 * - `clusterId`: `onprem:<distribution>:<name>`; `endpoint`, `certificateAuthority`, `kubeconfig`:
 *   from the given kubeconfig (existing) or the K3s servers (k3s); `nodeSecurityGroupId`,
 *   `clusterSecurityGroupId`, `nodeIdentity`, `oidcIssuerUrl`, `encryptionKeyId`: empty or the
 *   in-cluster equivalents (see kubernetes.ts).
 */
import { CloudBackend } from "../backend";
import { onpremAddons } from "./addons";
import { onpremBackup } from "./backup";
import { onpremCache } from "./cache";
import { onpremKubernetes } from "./kubernetes";
import { onpremLoadBalancing } from "./loadBalancing";
import { onpremNetwork } from "./network";
import { onpremObservability } from "./observability";
import { onpremStorage } from "./storage";
import { onpremVpn } from "./vpn";

export const onpremBackend: CloudBackend = {
  cloud: "onprem",
  // Everything but the network, the cluster itself and the VPN gateway lives in the cluster.
  clusterApiLayers: ["storage", "addons", "cache", "observability"],
  network: onpremNetwork,
  kubernetes: onpremKubernetes,
  storage: onpremStorage,
  backup: onpremBackup,
  loadBalancing: onpremLoadBalancing,
  vpn: onpremVpn,
  addons: onpremAddons,
  cache: onpremCache,
  observability: onpremObservability,
};
