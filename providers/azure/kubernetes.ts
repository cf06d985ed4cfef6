/**
 * Azure kubernetes layer: an AKS cluster (Standard tier) with a private API endpoint (always: a
 * public allow-list is refused), Entra ID with Azure RBAC and no local accounts, OIDC issuer and workload identity,
 * etcd secrets encrypted by KMS with a Key Vault key, node disks by a disk encryption set with the
 * same customer key, Azure CNI overlay with Cilium, egress through the network's NAT gateways,
 * system pools (one per zone in prod) and the configured pools once per zone, each zone's pools on
 * that zone's node subnet, autoscaled by AKS itself.
 */
import * as compute from "@pulumi/azure-native/compute";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { inputsHash } from "../../components/inputsHash";
import { execKubeconfig } from "../../components/kubeconfig";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import { NodePoolConfig, NodeTaint, Scope } from "../../components/types";
import { Issue } from "../../components/validation";
import { azureConfigIssues, entraPrincipal } from "./catalog";
import {
  azureClient,
  formatArmId,
  DES_IGNORE_CHANGES,
  desKey,
  ENCRYPTION_AT_HOST,
  keyVault,
  nameSuffix,
  requireFeature,
  resourceGroup,
  roleAssignment,
  throwIfIssues,
  vaultKey,
} from "./common";

/** The Entra application of the AKS API server: kubelogin asks Entra ID for tokens for it. */
export const AKS_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";
/**
 * The first system pool is created inline with the cluster, and the managed-cluster API does not
 * update it: a changed VM size, zone or subnet is refused (PropertyChangeNotAllowed), and a
 * version given here must match every other pool's or the control plane's
 * (NotAllAgentPoolOrchestratorVersionSpecifiedAndUnchanged, pulumi-azure-native#2094). The SDK
 * says so too (containerservice/managedCluster.js: "The Azure API does not currently allow this
 * property to be updated directly"). So the whole profile is left as created; it carries nothing a
 * day-2 edit changes (no version, no tags), and the README's "AKS system pool" says how to rotate it.
 */
export const FIRST_SYSTEM_POOL_IGNORE_CHANGES = ["agentPoolProfiles"];
/**
 * What AKS puts on every spot pool itself (learn.microsoft.com/azure/aks/spot-node-pool): declared
 * as inputs too, or a refresh finds them and the next `up` tries to take them off again
 * (terraform-provider-azurerm#9454, Azure/AKS#3152: a label update replaces the whole set). The
 * label is AKS-reserved, but its own value is accepted: declaring both is the workaround the
 * azurerm maintainers give (terraform-provider-azurerm#25615), as CAPZ does (#3976).
 */
export const SPOT_LABEL = { "kubernetes.azure.com/scalesetpriority": "spot" } as const;
export const SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule";
/**
 * Options of every separate pool: the autoscaler owns the size after creation. A change of an
 * input AKS cannot update replaces the pool; its name carries a hash of those inputs
 * (`agentPoolName`), so the new pool is created first and the old one drains onto it.
 */
export const POOL_OPTIONS: pulumi.CustomResourceOptions = { ignoreChanges: ["count"] };
/**
 * Pool inputs AKS refuses to change on an existing pool ("You can't change the VM size of a node
 * pool after you create it", learn.microsoft.com/azure/aks/manage-node-pools#limitations;
 * pulumi-azure-native#3655 makes such changes replacements). They make the pool's name, so a
 * change is a new pool beside the old one. Zones are in the name already; the subnet is not (an
 * output), see the README on `zones`.
 */
export const POOL_REPLACE_INPUTS = [
  "vmSize",
  "osDiskSizeGB",
  "osDiskType",
  "osType",
  "type",
  "enableEncryptionAtHost",
  "scaleSetPriority",
  "scaleSetEvictionPolicy",
  "spotMaxPrice",
  "maxPods",
] as const;
/** The system pool: AKS's own add-ons only (CriticalAddonsOnly), spread over every zone. */
export const SYSTEM_POOL_NAME = "system";
/**
 * Overlay pod and service ranges in shared address space (RFC 6598): they never collide with the
 * VNet (a /16-/24 of private space) or with VPN peers' RFC 1918 networks. Pods leave nodes SNATed.
 */
export const POD_CIDR = "100.64.0.0/14";
export const SERVICE_CIDR = "100.68.0.0/16";
export const DNS_SERVICE_IP = "100.68.0.10";
/** Surge nodes per upgrade step: a third of a pool, at least one node. */
export const MAX_SURGE = "33%";
/**
 * Control-plane log categories kept in Log Analytics. `kube-audit` (every read) is left out for its
 * volume; `kube-audit-admin` keeps every change.
 */
export const CONTROL_PLANE_LOG_CATEGORIES = [
  "kube-apiserver",
  "kube-audit-admin",
  "kube-controller-manager",
  "kube-scheduler",
  "cluster-autoscaler",
  "cloud-controller-manager",
  "guard",
  "csi-azuredisk-controller",
  "csi-azurefile-controller",
  "csi-snapshot-controller",
];

/** AKS pool names: lowercase letters and digits, starting with a letter, at most 12 for Linux. */
const MAX_POOL_NAME = 12;
/** Characters of the replace-input hash in a pool name: base 36, 1.7 million values. */
export const POOL_HASH_LENGTH = 4;

/**
 * The hash of a pool's replace-on-change inputs, `POOL_HASH_LENGTH` lowercase letters and digits
 * (the shared `inputsHash`). Two generations of a pool share a name only if the hashes collide;
 * AKS then refuses the update and nothing is deleted.
 */
export function poolInputsHash(
  inputs: Partial<Record<(typeof POOL_REPLACE_INPUTS)[number], unknown>>,
): string {
  return inputsHash(POOL_REPLACE_INPUTS, inputs, POOL_HASH_LENGTH);
}

/** The leading part of a pool's AKS name: its config name's letters and digits, shortened. */
export function poolNameBase(pool: string, zone: string): string {
  return pool
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, MAX_POOL_NAME - POOL_HASH_LENGTH - zone.length);
}

/**
 * The AKS pool of a pool in one zone: base, hash of the replace-on-change inputs, zone; `general`
 * in zone "2" is `general` + 4 characters + `2`.
 */
export function agentPoolName(pool: string, zone: string, hash: string): string {
  return `${poolNameBase(pool, zone)}${hash}${zone}`;
}

/** A system (mode System) pool: its AKS name, zones, and the index of its node subnet. */
export interface SystemPool {
  readonly name: string;
  readonly zones: string[];
  readonly subnet: number;
}

/** What every pool is created with that AKS does not change later (hashed into pool names). */
export const NODE_FIXED = {
  enableEncryptionAtHost: true,
  osType: "Linux",
  osDiskType: "Managed",
  type: "VirtualMachineScaleSets",
} as const;

/**
 * The system pools' VM size: their own, never the user pools', so a user-pool resize leaves them
 * alone. AKS wants at least 2 vCPUs and 4 GiB for system pools (learn.microsoft.com/azure/aks/use-system-pools);
 * prod gets 4 vCPUs for CoreDNS, konnectivity and the metrics and CSI agents at scale.
 */
export function systemVmSize(environment: string): string {
  return environment === "prod" ? "Standard_D4ds_v5" : "Standard_D2ds_v5";
}

/** The system pools' fixed inputs, the same for each: their hash names the separate ones. */
export function systemPoolFixed(environment: string) {
  return { ...NODE_FIXED, vmSize: systemVmSize(environment), osDiskSizeGB: 128 };
}

/** A user pool's fixed inputs, from its config: their hash is in its AKS name. */
export function userPoolFixed(pool: NodePoolConfig) {
  return {
    ...NODE_FIXED,
    // One VM size per pool on AKS: the first listed type.
    vmSize: pool.instanceTypes[0],
    osDiskSizeGB: pool.diskSizeGb,
    // Spot pools are evicted, not stopped, and pay up to the on-demand price.
    ...(pool.spot
      ? { scaleSetPriority: "Spot", scaleSetEvictionPolicy: "Delete", spotMaxPrice: -1 }
      : { scaleSetPriority: "Regular" }),
  };
}

/**
 * The system pools. In prod one per zone, each on its zone's node subnet behind its zone's NAT
 * gateway, so losing a zone leaves the others' add-ons (CoreDNS, konnectivity) with egress; the
 * size is the same as one pool over the zones (one node per zone, two at most). Elsewhere one pool
 * over every zone on the first zone's subnet, as small as AKS allows. The first (inline) pool's
 * name is fixed (`system1`, `system`: it stays as created); the separate ones carry the hash.
 */
export function systemPools(environment: string, zones: readonly string[]): SystemPool[] {
  const hash = poolInputsHash(systemPoolFixed(environment));
  return environment === "prod"
    ? zones.map((zone, i) => ({
        name: i === 0 ? `${SYSTEM_POOL_NAME}${zone}` : agentPoolName(SYSTEM_POOL_NAME, zone, hash),
        zones: [zone],
        subnet: i,
      }))
    : [{ name: SYSTEM_POOL_NAME, zones: [...zones], subnet: 0 }];
}

/**
 * Pool names AKS would refuse or that collide, before any child exists. Pools are told apart by
 * their names' leading part (the hash changes with the inputs, so it cannot keep them apart).
 */
export function poolNameIssues(
  pools: readonly NodePoolConfig[],
  zones: readonly string[],
  reserved: readonly string[] = [SYSTEM_POOL_NAME],
): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const rule = (zone: string) =>
    `AKS pool names are the first ${MAX_POOL_NAME - POOL_HASH_LENGTH - zone.length} letters and digits of the name, a hash of the VM size and disk, and the zone`;
  pools.forEach((pool, i) => {
    const path = `kubernetes.nodePools[${i}].name`;
    for (const zone of zones) {
      const base = poolNameBase(pool.name, zone);
      const name = agentPoolName(pool.name, zone, poolInputsHash(userPoolFixed(pool)));
      if (!/^[a-z][a-z0-9]*$/.test(name) || !/^[0-9]+$/.test(zone)) {
        issues.push({
          path,
          value: pool.name,
          message: `becomes the AKS pool "${name}", which must start with a letter and end with the zone number`,
        });
        return;
      }
      const other = seen.get(base);
      if (other !== undefined && other !== i) {
        issues.push({
          path,
          value: pool.name,
          message: `becomes the AKS pool "${name}", which starts like kubernetes.nodePools[${other}]'s; ${rule(zone)}`,
        });
        return;
      }
      if (base === poolNameBase(SYSTEM_POOL_NAME, zone) || reserved.includes(name)) {
        issues.push({
          path,
          value: pool.name,
          message: `becomes the AKS pool "${name}", which starts like the system pools'; ${rule(zone)}`,
        });
        return;
      }
      seen.set(base, i);
    }
  });
  return issues;
}

/** A taint as AKS takes it: `key=value:Effect`, or `key:Effect` without a value. */
export function nodeTaint(taint: NodeTaint): string {
  return taint.value === undefined
    ? `${taint.key}:${taint.effect}`
    : `${taint.key}=${taint.value}:${taint.effect}`;
}

/** Server and CA from the kubeconfig AKS hands out (base64 YAML). */
export function clusterAccess(kubeconfigBase64: string): { server: string; caData: string } {
  const doc = YAML.parse(Buffer.from(kubeconfigBase64, "base64").toString("utf8")) as {
    clusters?: { cluster?: { server?: string; "certificate-authority-data"?: string } }[];
  };
  const cluster = doc?.clusters?.[0]?.cluster;
  if (!cluster?.server) throw new Error("AKS returned a kubeconfig without a cluster server");
  return { server: cluster.server, caData: cluster["certificate-authority-data"] ?? "" };
}

/**
 * A kubeconfig (JSON, which is YAML) that gets Entra ID tokens through kubelogin from the Azure
 * CLI's login: with local accounts disabled there is no static credential to hand out.
 */
export function aksKubeconfig(name: string, server: string, caData: string): string {
  return execKubeconfig({
    name,
    server,
    certificateAuthorityData: caData,
    exec: {
      command: "kubelogin",
      args: ["get-token", "--login", "azurecli", "--server-id", AKS_SERVER_APP_ID],
    },
  });
}

export function azureKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  const k8s = args.kubernetes;
  throwIfIssues(
    [
      ...poolNameIssues(
        k8s.nodePools,
        args.zones,
        systemPools(args.environment, args.zones).map((p) => p.name),
      ),
      ...azureConfigIssues({ kubernetes: k8s }),
    ],
    "Invalid KubernetesCluster arguments",
  );
  const opts = { parent: scope.parent };
  const prod = args.environment === "prod";
  const location = args.region;
  const clusterName = scope.name;
  const client = azureClient(scope);
  // Every node pool encrypts at host: check the subscription allows it before the first resource.
  const rg = resourceGroup(scope, location, requireFeature(scope, ENCRYPTION_AT_HOST));
  // The network layer's node subnets, one per zone in zone order; each zone's pools join theirs.
  const subnetFor = (i: number) =>
    args.network.privateSubnetIds.apply((ids) => {
      if (!ids[i])
        throw new Error(
          `the network layer exports ${ids.length} node subnet(s), one per zone is needed for zone ${args.zones[i]}: update the network layer first`,
        );
      return ids[i];
    });

  // KMS with a public vault needs its firewall open (AKS: a firewalled vault is only reachable
  // with API Server VNet Integration); access is RBAC-only, one role per identity.
  const vault = keyVault(scope, {
    resourceGroupName: rg.name,
    location,
    suffix: nameSuffix(scope),
    openFirewall: true,
  });
  // One customer key for etcd secrets and node disks; RSA 2048 is the size AKS KMS documents.
  const key = vaultKey(scope, "encryption", { vault, resourceGroupName: rg.name, keySize: 2048 });

  // KMS needs a user-assigned control-plane identity with its key grant in place before creation.
  const clusterIdentity = new managedidentity.UserAssignedIdentity(
    `${scope.name}-cluster-identity`,
    {
      resourceGroupName: rg.name,
      location,
      resourceName: `${clusterName}-cluster`,
      tags: scope.tags,
    },
    opts,
  );
  const asControlPlane = {
    principalId: clusterIdentity.principalId,
    principalType: "ServicePrincipal" as const,
  };
  const kmsGrant = roleAssignment(scope, "cluster-kms", {
    ...asControlPlane,
    role: "keyVaultCryptoUser",
    scope: key.id,
  });
  // Nodes, internal load balancers and the NAT-gateway egress all join the network's subnets.
  const networkGrant = roleAssignment(scope, "cluster-network", {
    ...asControlPlane,
    role: "networkContributor",
    scope: args.network.networkId,
  });

  const desIdentity = new managedidentity.UserAssignedIdentity(
    `${scope.name}-des-identity`,
    { resourceGroupName: rg.name, location, resourceName: `${clusterName}-des`, tags: scope.tags },
    opts,
  );
  const desGrant = roleAssignment(scope, "des-key", {
    principalId: desIdentity.principalId,
    principalType: "ServicePrincipal",
    role: "keyVaultCryptoServiceEncryptionUser",
    scope: key.id,
  });
  const des = new compute.DiskEncryptionSet(
    `${scope.name}-des`,
    {
      resourceGroupName: rg.name,
      location,
      diskEncryptionSetName: `${clusterName}-des`,
      encryptionType: "EncryptionAtRestWithCustomerKey",
      identity: { type: "UserAssigned", userAssignedIdentities: [desIdentity.id] },
      ...desKey(key, vault),
      tags: scope.tags,
    },
    { ...opts, protect: scope.protect, dependsOn: [desGrant], ignoreChanges: DES_IGNORE_CHANGES },
  );
  const desGrantCluster = roleAssignment(scope, "cluster-des", {
    ...asControlPlane,
    role: "reader",
    scope: des.id,
  });

  // The nodes' network-security identity: NSG rules can name it as a source.
  const nodesAsg = new network.ApplicationSecurityGroup(
    `${scope.name}-nodes-asg`,
    {
      resourceGroupName: rg.name,
      location,
      applicationSecurityGroupName: `${clusterName}-nodes`,
      tags: scope.tags,
    },
    opts,
  );
  const asgGrant = roleAssignment(scope, "cluster-asg", {
    ...asControlPlane,
    role: "networkContributor",
    scope: nodesAsg.id,
  });

  const workspace = new operationalinsights.Workspace(
    `${scope.name}-logs`,
    {
      resourceGroupName: rg.name,
      location,
      workspaceName: `${clusterName}-logs`,
      sku: { name: "PerGB2018" },
      retentionInDays: k8s.logRetentionDays,
      tags: scope.tags,
    },
    { ...opts, protect: scope.protect },
  );

  const zones = [...args.zones];
  const nodeDefaults = {
    ...NODE_FIXED,
    osSKU: "AzureLinux",
    orchestratorVersion: k8s.version,
    type: "VirtualMachineScaleSets",
    enableAutoScaling: true,
    networkProfile: { applicationSecurityGroups: [nodesAsg.id] },
  };
  const [firstSystem, ...otherSystem] = systemPools(args.environment, zones);
  const systemPool = (pool: SystemPool) => ({
    ...nodeDefaults,
    vnetSubnetID: subnetFor(pool.subnet),
    ...systemPoolFixed(args.environment),
    mode: "System",
    availabilityZones: pool.zones,
    count: 1,
    minCount: 1,
    maxCount: prod ? 2 : 3,
    nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
    upgradeSettings: { maxSurge: MAX_SURGE },
  });
  // The inline pool: no version (it starts on the control plane's, and the managed-cluster API
  // refuses a pool version that differs from the others'), no tags (a tag edit would be an update
  // of the profile the API does not apply); the separate pools carry both.
  const { orchestratorVersion: _version, ...inlineSystemPool } = systemPool(firstSystem);
  void _version;
  const cluster = new containerservice.ManagedCluster(
    `${scope.name}-cluster`,
    {
      resourceGroupName: rg.name,
      location,
      resourceName: clusterName,
      dnsPrefix: clusterName,
      nodeResourceGroup: `${clusterName}-nodes-rg`,
      kubernetesVersion: k8s.version,
      sku: { name: "Base", tier: "Standard" },
      identity: { type: "UserAssigned", userAssignedIdentities: [clusterIdentity.id] },
      disableLocalAccounts: true,
      enableRBAC: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: client.tenantId },
      oidcIssuerProfile: { enabled: true },
      securityProfile: {
        workloadIdentity: { enabled: true },
        azureKeyVaultKms: {
          enabled: true,
          keyId: key.keyUriWithVersion,
          keyVaultNetworkAccess: "Public",
        },
      },
      // Always private (a public allow-list is refused in config validation: AKS cannot switch
      // an existing cluster, and its allow-lists need a public endpoint). `privateAccessCidrs`
      // needs nothing here: the private endpoint sits in the node subnet, whose NSG admits the
      // VNet, and VPN-connected networks count as VNet.
      apiServerAccessProfile: {
        enablePrivateCluster: true,
        privateDNSZone: "system",
        // A public DNS name (azmk8s.io) that resolves to the API server's private IP: clients
        // outside the VNet (the office over the VPN, CI in a peered network) resolve it with any
        // DNS server, where the privatelink name resolves only inside the VNet. The API itself
        // stays private; only its address is published.
        enablePrivateClusterPublicFQDN: true,
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataplane: "cilium",
        networkPolicy: "cilium",
        outboundType: "userAssignedNATGateway",
        loadBalancerSku: "standard",
        podCidr: POD_CIDR,
        serviceCidr: SERVICE_CIDR,
        dnsServiceIP: DNS_SERVICE_IP,
      },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      // Per-zone pools of one configuration stay the same size, so zonal disks always find a node.
      autoScalerProfile: {
        balanceSimilarNodeGroups: "true",
        expander: "least-waste",
        skipNodesWithLocalStorage: "false",
      },
      diskEncryptionSetID: des.id,
      storageProfile: {
        diskCSIDriver: { enabled: true },
        fileCSIDriver: { enabled: true },
        snapshotController: { enabled: true },
      },
      // The application routing add-on (managed NGINX) backs the load-balancing layer; its default
      // controller gets an internal load balancer, like AWS's internal-by-default ALBs.
      ingressProfile: {
        webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: "Internal" } },
      },
      // The first system pool; the others (prod) are AgentPools below.
      agentPoolProfiles: [{ ...inlineSystemPool, name: firstSystem.name }],
      tags: scope.tags,
    },
    {
      ...opts,
      protect: scope.protect,
      dependsOn: [kmsGrant, networkGrant, desGrantCluster, asgGrant],
      // The first system pool stays as created (its size is the autoscaler's, and the API does
      // not update the inline profile); the other pools are AgentPools, updated or replaced.
      ignoreChanges: FIRST_SYSTEM_POOL_IGNORE_CHANGES,
    },
  );

  new monitor.DiagnosticSetting(
    `${scope.name}-diagnostics`,
    {
      name: `${clusterName}-control-plane`,
      resourceUri: cluster.id,
      workspaceId: workspace.id,
      logAnalyticsDestinationType: "Dedicated",
      logs: CONTROL_PLANE_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
    },
    opts,
  );

  // Every pool and admin grant: the kubeconfig waits for them (see below).
  const ready: pulumi.CustomResource[] = [];
  otherSystem.forEach((pool) => {
    const systemAgentPool = new containerservice.AgentPool(
      `${scope.name}-system-pool-${pool.subnet}`,
      {
        ...systemPool(pool),
        tags: scope.tags,
        resourceGroupName: rg.name,
        resourceName: cluster.name,
        agentPoolName: pool.name,
      },
      { ...opts, ...POOL_OPTIONS },
    );
    ready.push(systemAgentPool);
  });

  k8s.nodePools.forEach((pool) => {
    const fixed = userPoolFixed(pool);
    zones.forEach((zone, z) => {
      const userPool = new containerservice.AgentPool(
        `${scope.name}-${pool.name}-${z}`,
        {
          ...nodeDefaults,
          // The zone's own subnet: its egress leaves through that zone's NAT gateway.
          vnetSubnetID: subnetFor(z),
          resourceGroupName: rg.name,
          resourceName: cluster.name,
          // A new name when an input AKS cannot update changes: the new pool comes up first.
          agentPoolName: agentPoolName(pool.name, zone, poolInputsHash(fixed)),
          mode: "User",
          ...fixed,
          // One zone per pool: the autoscaler can then balance zones and scale the right one.
          availabilityZones: [zone],
          count: pool.desiredSize,
          minCount: pool.minSize,
          maxCount: pool.maxSize,
          nodeLabels: { ...pool.labels, ...(pool.spot ? SPOT_LABEL : {}) },
          nodeTaints: [...pool.taints.map(nodeTaint), ...(pool.spot ? [SPOT_TAINT] : [])],
          // AKS upgrades spot pools without surge nodes.
          ...(pool.spot ? {} : { upgradeSettings: { maxSurge: MAX_SURGE } }),
          tags: { ...scope.tags, pool: pool.name },
        },
        { ...opts, ...POOL_OPTIONS },
      );
      ready.push(userPool);
    });
  });

  // Cluster admins through Azure RBAC: the named Entra users, groups or service principals only
  // (at least one, checked above). The deploying identity is not granted implicitly: the role
  // assignment needs its principal type, which getClientConfig does not tell.
  k8s.adminPrincipals.forEach((entry, i) => {
    const grant = roleAssignment(scope, `admin-${i}`, {
      ...entraPrincipal(entry),
      role: "aksRbacClusterAdmin",
      scope: cluster.id,
    });
    ready.push(grant);
  });

  // The CA from AKS's kubeconfig; the server from the cluster's public FQDN, which resolves from
  // anywhere (to the private IP when the cluster is private), never the VNet-only privatelink name
  // AKS's kubeconfig carries for private clusters.
  const access = pulumi
    .all([
      containerservice.listManagedClusterUserCredentialsOutput(
        { resourceGroupName: rg.name, resourceName: cluster.name },
        opts,
      ),
      cluster.fqdn,
    ])
    .apply(([creds, fqdn]) => {
      const { caData } = clusterAccess(creds.kubeconfigs[0].value);
      if (!fqdn) throw new Error(`AKS cluster ${clusterName} reports no public FQDN`);
      return { server: `https://${fqdn}:443`, caData };
    });
  // Waits for the pools and the admin grants: in one stack the Helm releases reach the cluster
  // through this kubeconfig, with an admin's token, and their pods need nodes.
  const kubeconfig = pulumi
    .all([cluster.name, access, pulumi.all(ready.map((r) => r.id))])
    .apply(([name, { server, caData }]) => aksKubeconfig(name, server, caData));

  return {
    clusterName: cluster.name,
    // Built from its parts (the same string as cluster.id) so downstream layers read the group
    // and name back from it; it waits for the cluster like cluster.id would.
    clusterId: pulumi
      .all([client.subscriptionId, rg.name, cluster.id])
      .apply(([sub, group]) =>
        formatArmId(sub, group, "Microsoft.ContainerService", "managedClusters", clusterName),
      ),
    endpoint: access.apply((a) => a.server),
    certificateAuthority: access.apply((a) => a.caData),
    kubeconfig: pulumi.secret(kubeconfig),
    version: pulumi
      .all([cluster.currentKubernetesVersion, cluster.kubernetesVersion])
      .apply(([current, wanted]) => current ?? wanted ?? k8s.version),
    nodeSecurityGroupId: nodesAsg.id,
    clusterSecurityGroupId: clusterIdentity.principalId,
    nodeIdentity: cluster.identityProfile.apply((p) => p?.["kubeletidentity"]?.objectId ?? ""),
    oidcIssuerUrl: cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? ""),
    encryptionKeyId: key.keyUri,
    // The configured pools, as on every cloud; AKS names their per-zone pools `agentPoolName(...)`.
    nodePoolNames: pulumi.output(k8s.nodePools.map((p) => p.name)),
  };
}
