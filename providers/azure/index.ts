/**
 * The Azure backend (@pulumi/azure-native v3): one module per layer behind the shared
 * `CloudBackend` interface.
 *
 * Resource groups: each layer creates its own, `${scope.name}-rg`, in the stack's region, so a
 * layer's stack owns (and destroys) exactly its group. Exceptions: the VPN layer builds in the
 * network's group (Azure wants a VNet's gateway beside it), the backup layer adds a group for disk
 * snapshots only, and VNet flow logs live in Azure's `NetworkWatcherRG`.
 *
 * How the shared interface maps onto Azure:
 * - `networkId`, `clusterId` and `buckets[purpose]` are ARM resource ids; downstream layers read
 *   resource groups and names back from them (`armIdPart`). A bucket is a blob container:
 *   `.../storageAccounts/<account>/blobServices/default/containers/<purpose>`.
 * - Subnets are regional on Azure, but NAT gateways are zonal and a subnet takes one: the node
 *   tier has one subnet per zone (`privateSubnetIds[i]` is `zones[i]`'s, and each zone's AKS pools
 *   join it); `publicSubnetIds` and `databaseSubnetIds` hold one regional subnet each. Sizes and
 *   placement come from the same `planSubnets` layout every cloud validates.
 *   `privateRouteTableIds` is empty: gateway and NAT routes reach subnets without route tables.
 * - The GatewaySubnet (VPN) is the last /27 of `network.cidr`, reserved by the network layer and
 *   created by the VPN layer (network.ts `gatewaySubnetCidr`).
 * - `natGateways`: `perZone` is a zonal NAT gateway with its own zonal public IP per zone, each on
 *   that zone's node subnet (a zone's loss takes only its own egress); `single` one gateway with a
 *   zone-redundant IP for every node subnet.
 * - `nodeSecurityGroupId` is the nodes' application security group (every pool joins it);
 *   `clusterSecurityGroupId` the principal (object) id of the control plane's managed identity;
 *   `nodeIdentity` the kubelet identity's object id; `encryptionKeyId` a versionless Key Vault key URI (an identifier for
 *   consumers; resources that need a version get `keyUriWithVersion`, see common.ts `vaultKey`).
 * - Cache `securityGroupId` is the application security group of the cache's private endpoint.
 * - `backup.schedule` is an ISO 8601 repeating interval (`R/2025-01-01T03:00:00+00:00/P1D`), the
 *   syntax Azure Backup takes.
 * - `adminPrincipals` is required (at least one): Entra object ids with their kind, e.g.
 *   `servicePrincipal:<id>` for CI. The deploying identity is never made admin implicitly, since
 *   its role assignment needs a principal type that `getClientConfig` does not report.
 */
import { CloudBackend } from "../backend";
import { azureAddons } from "./addons";
import { azureBackup } from "./backup";
import { azureCache } from "./cache";
import { azureKubernetes } from "./kubernetes";
import { azureLoadBalancing } from "./loadBalancing";
import { azureNetwork } from "./network";
import { azureObservability } from "./observability";
import { azureStorage } from "./storage";
import { azureVpn } from "./vpn";

export const azureBackend: CloudBackend = {
  cloud: "azure",
  clusterApiLayers: ["storage", "observability"],
  network: azureNetwork,
  kubernetes: azureKubernetes,
  storage: azureStorage,
  backup: azureBackup,
  loadBalancing: azureLoadBalancing,
  vpn: azureVpn,
  addons: azureAddons,
  cache: azureCache,
  observability: azureObservability,
};
