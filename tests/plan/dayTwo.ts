/**
 * REVIEW.md "ForceNew on config": the day-2 edits users make to a running platform (admins,
 * sizes, versions, retention, allow-lists, tags) are planned at once on every prod stack, and
 * every input they alter is checked against the provider's replace-on-change inputs. A type whose
 * inputs change must be listed in REPLACES (reviewed), even when nothing of it replaces.
 * Imported by wholePlan.test.ts, so both share one worker's plans (the worst case is the day-one
 * platform: it runs the oldest accepted minor, see worstCaseConfig).
 */
import * as fs from "fs";
import * as path from "path";
import type { PlannedResource, PlannedStack } from "../../automation/offline/plan";
import { POOL_REPLACE_INPUTS } from "../../providers/huawei/kubernetes";
import { DEFAULT_KUBERNETES_VERSION } from "../../components/versions";
import { CONFIG_CHANGES } from "./configChanges";
import { changedPlan, EXAMPLE_STACKS, ROOT, urnKey, worstCasePlan } from "./worstCase";

/**
 * Inputs that replace the resource when they change (Terraform `ForceNew`, or an API that refuses
 * the update), as dotted path prefixes. Sources: the Terraform providers' schemas at the pinned
 * bridges' versions (aws v6, google v6/7, azure-native's own API specs).
 */
const REPLACES: Record<string, readonly string[]> = {
  // internal/service/eks/cluster.go: bootstrap_cluster_creator_admin_permissions is ForceNew.
  "aws:eks/cluster:Cluster": [
    "name",
    "accessConfig.bootstrapClusterCreatorAdminPermissions",
    "kubernetesNetworkConfig",
  ],
  // internal/service/eks/addon.go: addon_name and cluster_name are ForceNew; addon_version updates.
  "aws:eks/addon:Addon": ["addonName", "clusterName"],
  "aws:eks/nodeGroup:NodeGroup": [
    "amiType",
    "capacityType",
    "diskSize",
    "instanceTypes",
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "nodeRoleArn",
    "subnetIds",
    "remoteAccess",
  ],
  "aws:ec2/launchTemplate:LaunchTemplate": ["name", "namePrefix"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
  "aws:backup/plan:Plan": [],
  // internal/service/backup/vault_lock_configuration.go: no Update; every argument is ForceNew.
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": [
    "backupVaultName",
    "changeableForDays",
    "maxRetentionDays",
    "minRetentionDays",
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["bucket"],
  "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
  // Kubernetes objects: the name and namespace identify them; a Secret's type and a Service's
  // clusterIP are immutable; a Job's pod template is immutable (pulumi-kubernetes replaces it:
  // the Alertmanager loader re-runs on a new config, deleted first, see REPLACED_IN_PLACE).
  "kubernetes:core/v1:Secret": ["metadata.name", "metadata.namespace", "type"],
  "kubernetes:core/v1:ConfigMap": ["metadata.name", "metadata.namespace"],
  "kubernetes:apps/v1:Deployment": ["metadata.name", "metadata.namespace", "spec.selector"],
  "kubernetes:core/v1:Service": ["metadata.name", "metadata.namespace", "spec.clusterIP"],
  "kubernetes:batch/v1:Job": [
    "metadata.name",
    "metadata.namespace",
    "spec.template",
    "spec.selector",
  ],
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": ["metadata.name", "metadata.namespace"],
  "kubernetes:keda.sh/v1alpha1:ClusterTriggerAuthentication": ["metadata.name"],
  // terraform-provider-tls: every argument of its resources is replace-on-change (a key's algorithm,
  // a CSR's names and key, a certificate's request, CA, uses and validity). A replaced leaf is
  // signed by the same CA, so clients that trust the CA are not affected (components/privateTls.ts).
  "tls:index/privateKey:PrivateKey": ["algorithm", "ecdsaCurve", "rsaBits"],
  "tls:index/certRequest:CertRequest": [
    "dnsNames",
    "ipAddresses",
    "privateKeyPem",
    "subject",
    "uris",
  ],
  "tls:index/selfSignedCert:SelfSignedCert": [
    "allowedUses",
    "dnsNames",
    "ipAddresses",
    "isCaCertificate",
    "maxPathLength",
    "privateKeyPem",
    "setSubjectKeyId",
    "subject",
    "validityPeriodHours",
  ],
  "tls:index/locallySignedCert:LocallySignedCert": [
    "allowedUses",
    "caCertPem",
    "caPrivateKeyPem",
    "certRequestPem",
    "isCaCertificate",
    "validityPeriodHours",
  ],
  // A new password is a new resource; `length` and `special` are ForceNew (terraform-provider-random).
  "random:index/randomPassword:RandomPassword": ["length", "special", "keepers"],
  // container_node_pool: initial_node_count is ForceNew (terraform-provider-google #6901).
  "gcp:container/nodePool:NodePool": [
    "initialNodeCount",
    "name",
    "cluster",
    "location",
    "nodeConfig.spot",
    "nodeConfig.serviceAccount",
    "nodeConfig.oauthScopes",
    "nodeConfig.bootDiskKmsKey",
  ],
  "gcp:container/cluster:Cluster": [
    "name",
    "location",
    "network",
    "subnetwork",
    "ipAllocationPolicy",
    "privateClusterConfig.masterIpv4CidrBlock",
  ],
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": ["bucketId", "location", "project"],
  "gcp:gkebackup/backupPlan:BackupPlan": ["name", "cluster", "location"],
  "gcp:storage/bucket:Bucket": ["name", "location", "project"],
  "gcp:compute/routerPeer:RouterPeer": ["name", "router", "region", "interface"],
  // containerservice/managedCluster.js (the pinned SDK): "The Azure API does not currently allow
  // [agentPoolProfiles] to be updated directly"; a private cluster stays private
  // (terraform-provider-azurerm kubernetes_cluster_resource.go: private_cluster_enabled ForceNew).
  "azure-native:containerservice:ManagedCluster": [
    "resourceName",
    "resourceGroupName",
    "location",
    "dnsPrefix",
    "nodeResourceGroup",
    "agentPoolProfiles",
    "apiServerAccessProfile.enablePrivateCluster",
    "apiServerAccessProfile.privateDNSZone",
  ],
  // The AKS API refuses changes to these on an existing pool ("Changing property ... is not allowed").
  "azure-native:containerservice:AgentPool": [
    "agentPoolName",
    "vmSize",
    "availabilityZones",
    "vnetSubnetID",
    "osDiskSizeGB",
    "osDiskType",
    "enableEncryptionAtHost",
    "scaleSetPriority",
    "maxPods",
  ],
  "azure-native:network:FlowLog": [],
  "azure-native:operationalinsights:Workspace": [],
  "azure-native:dataprotection:BackupPolicy": [],
  "azure-native:storage:ManagementPolicy": [],
  "azure-native:network:LocalNetworkGateway": [],
  // OCI, from oracle/terraform-provider-oci internal/service/*: containerengine_cluster_resource.go
  // (ForceNew, plus ForceNewIfChange on endpoint_config.0.subnet_id), containerengine_node_pool_resource.go,
  // core_ipsec_resource.go (static_routes updates in place). The others: the SDK's (Updatable) marks.
  "oci:ContainerEngine/cluster:Cluster": [
    "compartmentId",
    "vcnId",
    "clusterPodNetworkOptions",
    "kmsKeyId",
    "endpointConfig.subnetId",
    "options.ipFamilies",
    "options.kubernetesNetworkConfig",
    "options.serviceLbSubnetIds",
  ],
  "oci:ContainerEngine/nodePool:NodePool": [
    "clusterId",
    "compartmentId",
    "nodeImageId",
    "nodeImageName",
  ],
  "oci:Core/ipsec:Ipsec": ["cpeId", "drgId"],
  "oci:Core/volumeBackupPolicy:VolumeBackupPolicy": ["compartmentId"],
  "oci:FileStorage/filesystemSnapshotPolicy:FilesystemSnapshotPolicy": ["availabilityDomain"],
  "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy": ["bucket", "namespace"],
  // terraform-provider-volcengine docs (v0.0.194): vke_cluster kubernetes_version, pods_config,
  // services_config, cluster_config.resource_public_access_default_enabled and
  // api_server_public_access_config.public_access_network_config are ForceNew.
  "volcengine:vke/cluster:Cluster": [
    "kubernetesVersion",
    "podsConfig",
    "servicesConfig",
    "clusterConfig.resourcePublicAccessDefaultEnabled",
    "clusterConfig.apiServerPublicAccessConfig.publicAccessNetworkConfig",
  ],
  // vke_node_pool: cluster_id and node_config.instance_charge_type are ForceNew.
  "volcengine:vke/nodePool:NodePool": ["clusterId", "nodeConfig.instanceChargeType"],
  // vke_addon: cluster_id, name, deploy_mode, deploy_node_type, version are ForceNew.
  "volcengine:vke/addon:Addon": ["clusterId", "name", "deployMode", "deployNodeType", "version"],
  // vpn_connection: vpn_gateway_id is ForceNew; subnets, proposals and the key update in place.
  "volcengine:vpn/connection:Connection": ["vpnGatewayId"],
  // tos_bucket_lifecycle / tos_bucket_encryption: bucket_name is ForceNew.
  "volcengine:tos/bucketLifecycle:BucketLifecycle": ["bucketName"],
  "volcengine:tos/bucketEncryption:BucketEncryption": ["bucketName"],
  // redis_instance: port and engine_version are ForceNew (resource_volcengine_redis_instance.go).
  "volcengine:redis/instance:Instance": ["port", "engineVersion"],
  // route_entry: every input but the name and description is ForceNew; vpn_gateway_route: all.
  "volcengine:vpc/routeEntry:RouteEntry": [
    "routeTableId",
    "destinationCidrBlock",
    "nextHopType",
    "nextHopId",
  ],
  "volcengine:vpn/gatewayRoute:GatewayRoute": ["vpnGatewayId", "destinationCidrBlock", "nextHopId"],
  "volcengine:iam/policy:Policy": ["policyName"],
  // aliyun/terraform-provider-alicloud resource_alicloud_cs_managed_kubernetes.go: ForceNew.
  "alicloud:cs/managedKubernetes:ManagedKubernetes": [
    "profile",
    "podCidr",
    "serviceCidr",
    "nodeCidrMask",
    "proxyMode",
    "ipStack",
    "clusterDomain",
    "encryptionProviderKey",
    "serviceAccountIssuer",
    "apiAudiences",
    "autoMode",
  ],
  // resource_alicloud_cs_kubernetes_node_pool.go: ForceNew (instance types, sizes, spot and disks update in place).
  "alicloud:cs/nodePool:NodePool": [
    "clusterId",
    "deploymentSetId",
    "nodeNameMode",
    "securityGroupId",
    "securityGroupIds",
    "securityHardeningOs",
    "socEnabled",
    "cisEnabled",
    "loginAsNonRoot",
    "teeConfig",
  ],
  "alicloud:cs/kubernetesPermission:KubernetesPermission": ["uid"],
  // resource_alicloud_cs_autoscaling_config.go: one per cluster, keyed by cluster_id.
  "alicloud:cs/autoscalingConfig:AutoscalingConfig": ["clusterId"],
  "alicloud:log/store:Store": ["projectName", "logstoreName", "name", "project"],
  "alicloud:log/project:Project": ["projectName", "name"],
  "alicloud:ecs/autoSnapshotPolicy:AutoSnapshotPolicy": ["associationType"],
  "alicloud:hbr/nasBackupPlan:NasBackupPlan": ["fileSystemId", "vaultId", "backupType"],
  "alicloud:oss/bucket:Bucket": ["bucket"],
  "alicloud:vpn/connection:Connection": ["vpnGatewayId"],
  "alicloud:vpc/routeEntry:RouteEntry": [
    "routeTableId",
    "destinationCidrblock",
    "nexthopType",
    "nexthopId",
  ],
  "alicloud:vpc/flowLog:FlowLog": ["resourceId", "resourceType"],
  // resource_alicloud_redis_tair_instance.go: ForceNew (secondary_zone_id too in some versions).
  "alicloud:redis/tairInstance:TairInstance": [
    "instanceType",
    "paymentType",
    "port",
    "zoneId",
    "secondaryZoneId",
    "vpcId",
    "vswitchId",
  ],
  // terraform-provider-huaweicloud huaweicloud/services/*: ForceNew arguments of the types a day-2
  // edit reaches (node pool: providers/huawei/kubernetes.ts POOL_REPLACE_INPUTS; ECS user data).
  "huaweicloud:Cce/nodePool:NodePool": ["name", "clusterId", ...POOL_REPLACE_INPUTS],
  "huaweicloud:Cce/cluster:Cluster": [
    "name",
    "flavorId",
    "clusterVersion",
    "masters",
    "vpcId",
    "subnetId",
    "containerNetworkType",
    "containerNetworkCidr",
    "serviceNetworkCidr",
  ],
  "huaweicloud:Cce/addon:Addon": ["clusterId", "templateName"],
  "huaweicloud:Ecs/instance:Instance": [
    "userData",
    "imageName",
    "availabilityZone",
    "networks",
    "eipId",
  ],
  "huaweicloud:Vpc/route:Route": ["destination", "vpcId"],
  "huaweicloud:Lts/group:Group": ["groupName"],
  "huaweicloud:Obs/bucket:Bucket": ["bucket", "multiAz", "parallelFs", "region"],
  "huaweicloud:Cbr/policy:Policy": [],
  // @pulumi/command 1.2.1: `triggers` always replaces, `update` or not (remote/command.js sets
  // replaceOnChanges triggers[*]), and so does `connection` (provider/pkg/provider/remote:
  // `provider:"replaceOnChanges,secret"`); create, update and stdin changes run `update`.
  "command:remote:Command": ["connection", "triggers"],
  "kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim": [
    "metadata.name",
    "metadata.namespace",
    "spec.bucketName",
    "spec.storageClassName",
  ],
};

/**
 * Settings objects whose id is their parent's (one per vault): replacing them is harmless only
 * when the old one is deleted first. Create-before-delete would put the new settings, then the
 * old one's delete would remove them (the vault would be left unlocked).
 */
const REPLACED_IN_PLACE = new Set([
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  // The Alertmanager config loader: replacing it is how a changed config is loaded again.
  "kubernetes:batch/v1:Job",
]);

/** Inputs the cloud's autoscaler owns: an `up` must never reset them, whatever the config says. */
const AUTOSCALER_OWNED: Record<string, string> = {
  "aws:eks/nodeGroup:NodeGroup": "scalingConfig.desiredSize",
  "gcp:container/nodePool:NodePool": "initialNodeCount",
  "azure-native:containerservice:AgentPool": "count",
  "oci:ContainerEngine/nodePool:NodePool": "nodeConfigDetails.size",
  "volcengine:vke/nodePool:NodePool": "autoScaling.desiredReplicas",
  "alicloud:cs/nodePool:NodePool": "desiredSize",
  "huaweicloud:Cce/nodePool:NodePool": "initialNodeCount",
};

/** Labels and tags change on every resource with a tag edit, and are always updated in place. */
const TAG_INPUTS =
  /^(tags|tagsAll|labels|resourceLabels|defaultTags|tagSpecifications|freeformTags)(\.|$)/;

/** Leaf paths whose values differ between two input trees (arrays compared whole). */
function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  const isMap = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].flatMap((k) =>
      changedPaths(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      ),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

const custom = (stacks: PlannedStack[]) =>
  new Map(
    stacks
      .flatMap((s) => s.resources)
      .filter((r) => r.custom && r.type !== "pulumi:pulumi:StackReference")
      .map((r) => [urnKey(r.urn), r] as [string, PlannedResource]),
  );

const prodStacks = EXAMPLE_STACKS.filter((s) => s.startsWith("prod-"));

describe.each(prodStacks)("day-2 config changes on %s", (base) => {
  let before: Map<string, PlannedResource>;
  let after: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan(base));
    after = custom(
      await changedPlan(base, "day-two", (raw, cloud) =>
        CONFIG_CHANGES.forEach((c) => c.apply(raw, cloud)),
      ),
    );
  }, 120_000);

  /** Every changed input, as `type name: path`, on resources present before and after. */
  const changes = () =>
    [...after].flatMap(([urn, r]) => {
      const old = before.get(urn);
      if (!old) return [];
      return changedPaths(old.inputs, r.inputs)
        .filter((p) => !TAG_INPUTS.test(p))
        .map((p) => ({ type: r.type, name: r.name, path: p, options: r.options }));
    });

  it("change something (the edits reach the plan)", () => {
    expect(changes().length).toBeGreaterThan(3);
  });

  it("replace nothing and remove nothing", () => {
    const unreviewed = [...new Set(changes().map((c) => c.type))].filter((t) => !(t in REPLACES));
    expect(unreviewed).toEqual([]);
    const replacing = changes()
      .filter(
        (c) => !c.options.ignoreChanges.some((i) => c.path === i || c.path.startsWith(`${i}.`)),
      )
      .filter((c) => !(REPLACED_IN_PLACE.has(c.type) && c.options.deleteBeforeReplace))
      .filter((c) =>
        (REPLACES[c.type] ?? []).some((p) => c.path === p || c.path.startsWith(`${p}.`)),
      )
      .map((c) => `${c.type} ${c.name}: ${c.path}`);
    expect(replacing).toEqual([]);
    const removed = [...before.keys()].filter((urn) => !after.has(urn));
    expect(removed).toEqual([]);
  });

  it("delete settings singletons before replacing them", () => {
    const unsafe = [...after.values()]
      .filter((r) => REPLACED_IN_PLACE.has(r.type) && !r.options.deleteBeforeReplace)
      .map((r) => `${r.type} ${r.name}`);
    expect(unsafe).toEqual([]);
  });

  /** Node pools created inline with their cluster, which the cluster's API does not update. */
  const INLINE_POOLS: Record<string, string> = {
    "azure-native:containerservice:ManagedCluster": "agentPoolProfiles",
  };
  it("leave inline node pools' inputs as they were (not only ignored)", () => {
    const edited = [...after]
      .filter(([, r]) => r.type in INLINE_POOLS)
      .filter(([urn, r]) => {
        const path = INLINE_POOLS[r.type];
        return JSON.stringify(before.get(urn)?.inputs[path]) !== JSON.stringify(r.inputs[path]);
      })
      .map(([, r]) => `${r.type} ${r.name}: ${INLINE_POOLS[r.type]}`);
    expect(edited).toEqual([]);
  });

  it("leave the node count to the autoscaler", () => {
    const reset = [...after.values()]
      .filter((r) => r.type in AUTOSCALER_OWNED)
      // ACK's fixed-size system pool has no autoscaler: its size is the backend's.
      .filter((r) => !(r.type === "alicloud:cs/nodePool:NodePool" && !r.inputs.scalingConfig))
      .filter((r) => !r.options.ignoreChanges.includes(AUTOSCALER_OWNED[r.type]))
      .map((r) => `${r.type} ${r.name}: ${AUTOSCALER_OWNED[r.type]} not in ignoreChanges`);
    expect(reset).toEqual([]);
  });
});

/** Example stacks that install K3s over SSH (on-prem `cluster.mode: k3s`). */
const K3S_STACKS = EXAMPLE_STACKS.filter((s) => {
  const text = fs.readFileSync(path.join(ROOT, `Pulumi.${s}.yaml`), "utf8");
  return /^\s*mode: k3s\s*$/m.test(text);
});

/**
 * K3s over SSH: a release upgrade must update every node command in place (a replacement runs the
 * old command's delete after the new create, on the same host). An SSH key, user or port change
 * does replace them (`connection` is replace-on-change, and secret, so the plan cannot show its
 * diff), as can a spurious connection diff (pulumi/pulumi-command#447): so no remote command may
 * do anything on delete or be protected, and a replacement only re-runs the idempotent create.
 */
describe.each(K3S_STACKS)("K3s day-2 changes on %s", (base) => {
  const COMMAND = "command:remote:Command";
  const commands = (plan: Map<string, PlannedResource>) =>
    [...plan].filter(([, r]) => r.type === COMMAND);

  it("upgrades K3s in place: only the scripts' text changes, nothing replace-on-change", async () => {
    const before = custom(await worstCasePlan(base));
    const upgrade = CONFIG_CHANGES.find(
      (c) => c.name === "Kubernetes upgraded to the newest minor",
    )!;
    const after = custom(
      await changedPlan(base, "k3s-upgrade", (raw, cloud) => upgrade.apply(raw, cloud)),
    );
    const nodes = commands(after).filter(([, r]) => /-k3s-(server|agent)-/.test(r.name));
    expect(nodes.length).toBeGreaterThan(1);
    const changed = new Set<string>();
    for (const [urn, r] of commands(after)) {
      const paths = changedPaths(before.get(urn)!.inputs, r.inputs);
      paths.forEach((p) => changed.add(p));
      expect(
        paths.filter((p) => REPLACES[COMMAND].some((x) => p === x || p.startsWith(`${x}.`))),
      ).toEqual([]);
    }
    // The upgrade reached the commands (the release is in create/update), and only there.
    expect([...changed].sort()).toEqual(["create", "update"]);
    for (const [urn, r] of nodes)
      expect(before.get(urn)!.inputs.create).not.toEqual(r.inputs.create);
    expect([...before.keys()].filter((u) => !after.has(u))).toEqual([]);
  }, 120_000);

  it("replaces a command on an SSH change harmlessly: no delete, no triggers, not protected", async () => {
    const all = commands(custom(await worstCasePlan(base)));
    expect(all.length).toBeGreaterThan(1);
    for (const [, r] of all) {
      expect(r.inputs.connection).toBe("[secret]");
      expect({
        name: r.name,
        delete: r.inputs.delete,
        triggers: r.inputs.triggers,
        protect: r.options.protect,
      }).toEqual({
        name: r.name,
        delete: undefined,
        triggers: undefined,
        protect: false,
      });
    }
  }, 120_000);
});

/**
 * A VM-size edit: AKS cannot resize a pool, so each of its pools is replaced. The new one must come
 * up beside the old (a new cloud-side name, no delete-first), so no zone loses its capacity, and
 * the system pools, which have their own size, must not move at all.
 */
describe("a node-pool VM size edit on prod-azure", () => {
  const POOL = "azure-native:containerservice:AgentPool";
  let before: Map<string, PlannedResource>;
  let after: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan("prod-azure"));
    after = custom(
      await changedPlan("prod-azure", "vm-size", (raw) => {
        const pools = (raw.kubernetes as { nodePools: { instanceTypes: string[] }[] }).nodePools;
        for (const pool of pools) pool.instanceTypes = ["Standard_E8ds_v5"];
      }),
    );
  }, 120_000);

  it("replaces only user pools, each under a new name and created before the old is deleted", () => {
    const replaced = [...after]
      .filter(([urn]) => before.has(urn))
      .flatMap(([urn, r]) =>
        changedPaths(before.get(urn)!.inputs, r.inputs)
          .filter((p) => !r.options.ignoreChanges.includes(p))
          .filter((p) => (REPLACES[r.type] ?? []).some((x) => p === x || p.startsWith(`${x}.`)))
          .map(() => [urn, r] as [string, PlannedResource]),
      );
    const pools = [...new Map(replaced).values()];
    expect(pools.length).toBe(6);
    for (const r of pools) {
      expect(r.type).toBe(POOL);
      expect(r.inputs.mode).toBe("User");
      expect(r.inputs.vmSize).toBe("Standard_E8ds_v5");
      const old = [...before.values()].find((b) => b.urn.endsWith(`::${r.name}`))!;
      expect(r.inputs.agentPoolName).not.toBe(old.inputs.agentPoolName);
      expect(r.options.deleteBeforeReplace).toBeFalsy();
    }
    // No new pool takes a name an old one still holds (it would be refused as existing).
    const oldNames = new Set(
      [...before.values()].filter((r) => r.type === POOL).map((r) => r.inputs.agentPoolName),
    );
    expect(pools.filter((r) => oldNames.has(r.inputs.agentPoolName))).toEqual([]);
    expect([...before.keys()].filter((urn) => !after.has(urn))).toEqual([]);
  });

  it("leaves the system pools as they were", () => {
    const system = [...after].filter(([, r]) => r.type === POOL && r.inputs.mode === "System");
    expect(system).toHaveLength(2);
    for (const [urn, r] of system) expect(r.inputs).toEqual(before.get(urn)!.inputs);
    const cluster = [...after].find(
      ([, r]) => r.type === "azure-native:containerservice:ManagedCluster",
    )!;
    expect(cluster[1].inputs.agentPoolProfiles).toEqual(
      before.get(cluster[0])!.inputs.agentPoolProfiles,
    );
  });
});

/**
 * A spot flip on GKE: `spot` is ForceNew, so the pool is replaced. The new pool must come up beside
 * the old (a new GKE name, no delete-first), and a machine-type edit, which GKE applies in place
 * by a surge upgrade, must leave the name alone.
 */
describe("node-pool edits on prod-gcp", () => {
  const POOL = "gcp:container/nodePool:NodePool";
  type Pools = { kubernetes: { nodePools: { spot: boolean; instanceTypes: string[] }[] } };
  let before: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan("prod-gcp"));
  }, 120_000);
  const pools = (plan: Map<string, PlannedResource>) =>
    [...plan].filter(([, r]) => r.type === POOL).sort(([a], [b]) => a.localeCompare(b));

  it("names each pool within GKE's 40 characters at the longest config pool name (20)", () => {
    const names = pools(before).map(([, r]) => r.inputs.name as string);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      expect(name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
      // The worst case pads each config name to 20; the GKE name adds "-" and a 6-character hash.
      expect(name).toHaveLength(27);
    }
  });

  it("replaces a pool whose spot flips under a new name, created before the old is deleted", async () => {
    const after = custom(
      await changedPlan("prod-gcp", "spot-flip", (raw) => {
        const spot = (raw as unknown as Pools).kubernetes.nodePools.find((p) => p.spot)!;
        spot.spot = false;
      }),
    );
    const renamed = pools(after).filter(
      ([urn, r]) => before.get(urn)?.inputs.name !== r.inputs.name,
    );
    expect(renamed).toHaveLength(1);
    const [urn, r] = renamed[0];
    expect((r.inputs.nodeConfig as { spot: boolean }).spot).toBe(false);
    expect((before.get(urn)!.inputs.nodeConfig as { spot: boolean }).spot).toBe(true);
    const oldNames = new Set(pools(before).map(([, p]) => p.inputs.name));
    expect(oldNames.has(r.inputs.name)).toBe(false);
    for (const [, p] of pools(after)) expect(p.options.deleteBeforeReplace).toBeFalsy();
    expect([...before.keys()].filter((u) => !after.has(u))).toEqual([]);
  }, 120_000);

  it("keeps every pool's name on a machine-type edit (updated in place)", async () => {
    const after = custom(
      await changedPlan("prod-gcp", "machine-type", (raw) => {
        for (const p of (raw as unknown as Pools).kubernetes.nodePools)
          p.instanceTypes = ["n2-standard-16"];
      }),
    );
    const edited = pools(after);
    expect(edited.length).toBeGreaterThan(1);
    for (const [urn, r] of edited) {
      expect((r.inputs.nodeConfig as { machineType: string }).machineType).toBe("n2-standard-16");
      expect(r.inputs.name).toBe(before.get(urn)!.inputs.name);
    }
  }, 120_000);
});

/**
 * Volcengine day-2 edits that reach ForceNew inputs: a Redis engine upgrade (ignored, done in the
 * console), a NAT layout flip on dev (moves a zone's default route to another gateway; prod must
 * be perZone) and a reordered
 * VPN peer list. Whatever replaces must go delete-first: a route table (and a VPN gateway) refuses
 * a second route to one destination.
 */
describe("ForceNew day-2 edits on prod-volcengine", () => {
  const ROUTE = "volcengine:vpc/routeEntry:RouteEntry";
  const VPN_ROUTE = "volcengine:vpn/gatewayRoute:GatewayRoute";
  const REDIS = "volcengine:redis/instance:Instance";
  let before: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan("prod-volcengine"));
  }, 120_000);

  /** Resources present before and after whose ForceNew inputs changed, and not ignored. */
  const replaced = (after: Map<string, PlannedResource>) =>
    [...after]
      .filter(([urn]) => before.has(urn))
      .filter(([urn, r]) =>
        changedPaths(before.get(urn)!.inputs, r.inputs)
          .filter((p) => !r.options.ignoreChanges.some((i) => p === i || p.startsWith(`${i}.`)))
          .some((p) => (REPLACES[r.type] ?? []).some((x) => p === x || p.startsWith(`${x}.`))),
      )
      .map(([, r]) => r);

  it("keeps the Redis instance on a cache.version edit (engineVersion ignored, upgrade in the console)", async () => {
    const after = custom(
      await changedPlan("prod-volcengine", "redis-version", (raw) => {
        (raw.cache as { version: string }).version = "6.0";
      }),
    );
    const redis = [...after.values()].filter((r) => r.type === REDIS);
    expect(redis).toHaveLength(1);
    expect(redis[0].inputs.engineVersion).toBe("6.0");
    expect(redis[0].options.ignoreChanges).toContain("engineVersion");
    expect(replaced(after)).toEqual([]);
  }, 120_000);

  it("replaces the moved default route delete-first on a natGateways flip (dev to perZone)", async () => {
    const dev = custom(await worstCasePlan("dev-volcengine"));
    const after = custom(
      await changedPlan("dev-volcengine", "nat-per-zone", (raw) => {
        (raw.network as { natGateways: string }).natGateways = "perZone";
      }),
    );
    const moved = [...after]
      .filter(([urn]) => dev.has(urn))
      .filter(([urn, r]) =>
        changedPaths(dev.get(urn)!.inputs, r.inputs).some((p) =>
          (REPLACES[r.type] ?? []).some((x) => p === x || p.startsWith(`${x}.`)),
        ),
      )
      .map(([, r]) => r);
    // The second zone now routes to its own gateway.
    expect(moved.map((r) => `${r.type} ${r.inputs.destinationCidrBlock}`)).toEqual([
      `${ROUTE} 0.0.0.0/0`,
    ]);
    for (const r of moved) expect(r.options.deleteBeforeReplace).toBe(true);
  }, 120_000);

  it("moves no VPN route on a reordered, longer peer list (routes named by CIDR)", async () => {
    const after = custom(
      await changedPlan("prod-volcengine", "vpn-reorder", (raw) => {
        for (const peer of (raw.vpn as { peers: { cidrs: string[] }[] }).peers)
          peer.cidrs = ["172.16.0.0/16", ...peer.cidrs];
      }),
    );
    expect(replaced(after)).toEqual([]);
    const routes = [...after.values()].filter((r) => r.type === ROUTE || r.type === VPN_ROUTE);
    expect(routes.length).toBeGreaterThan(4);
    for (const r of routes) expect(r.options.deleteBeforeReplace).toBe(true);
    expect([...before.keys()].filter((urn) => !after.has(urn))).toEqual([]);
  }, 120_000);
});

/**
 * Node-pool edits on ACK: instance types, spot and disk size update a pool in place (none is
 * ForceNew in resource_alicloud_cs_kubernetes_node_pool.go), so every pool keeps its name and
 * nothing is replaced; the cluster's create-only inputs stay as they were.
 */
describe("node-pool edits on prod-alibaba", () => {
  const POOL = "alicloud:cs/nodePool:NodePool";
  type Pools = {
    kubernetes: { nodePools: { spot: boolean; instanceTypes: string[]; diskSizeGb?: number }[] };
  };
  it("updates every pool in place under its own name", async () => {
    const before = custom(await worstCasePlan("prod-alibaba"));
    const after = custom(
      await changedPlan("prod-alibaba", "pool-edits", (raw) => {
        for (const p of (raw as unknown as Pools).kubernetes.nodePools) {
          p.instanceTypes = ["ecs.g8i.2xlarge"];
          p.spot = !p.spot;
          p.diskSizeGb = 200;
        }
      }),
    );
    const pools = [...after].filter(([, r]) => r.type === POOL);
    expect(pools.length).toBeGreaterThan(1);
    for (const [urn, r] of pools) {
      const old = before.get(urn)!;
      expect(r.inputs.instanceTypes).toEqual(["ecs.g8i.2xlarge"]);
      expect(r.inputs.nodePoolName).toBe(old.inputs.nodePoolName);
      const forceNew = changedPaths(old.inputs, r.inputs).filter((p) =>
        (REPLACES[POOL] ?? []).some((x) => p === x || p.startsWith(`${x}.`)),
      );
      expect(forceNew).toEqual([]);
    }
    expect([...before.keys()].filter((u) => !after.has(u))).toEqual([]);
  }, 120_000);
});

/**
 * ACK's version and Tair's placement on prod-alibaba: the cluster's release is resolved at creation
 * only (a later `up` after ACK ships a patch, or a minor bump in the config, must not upgrade the
 * control plane unasked: docs/clouds/alibaba.md, upgrades), and reordering the zones must not move
 * the Tair instance (zoneId, secondaryZoneId and vswitchId are ForceNew).
 */
describe("ACK version and Tair zones on prod-alibaba", () => {
  const CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes";
  const TAIR = "alicloud:redis/tairInstance:TairInstance";
  const ignored = (r: PlannedResource, p: string) =>
    r.options.ignoreChanges.some((i) => p === i || p.startsWith(`${i}.`));

  it("leaves a running cluster's version alone when the configured minor (and so the release) changes", async () => {
    const before = custom(await worstCasePlan("prod-alibaba"));
    const after = custom(
      await changedPlan("prod-alibaba", "minor", (raw) => {
        (raw.kubernetes as Record<string, unknown>).version = DEFAULT_KUBERNETES_VERSION;
      }),
    );
    const clusters = [...after].filter(([, r]) => r.type === CLUSTER);
    expect(clusters).toHaveLength(1);
    for (const [urn, r] of clusters) {
      const old = before.get(urn)!;
      expect(r.inputs.version).not.toEqual(old.inputs.version);
      expect(changedPaths(old.inputs, r.inputs).filter((p) => !ignored(r, p))).not.toContain(
        "version",
      );
    }
  }, 120_000);

  it("keeps the Tair instance's zones and vSwitch when the zones are reordered", async () => {
    const before = custom(await worstCasePlan("prod-alibaba"));
    const after = custom(
      await changedPlan("prod-alibaba", "zone-order", (raw) => {
        raw.zones = [...(raw.zones as string[])].reverse();
      }),
    );
    const caches = [...after].filter(([, r]) => r.type === TAIR);
    expect(caches).toHaveLength(1);
    for (const [urn, r] of caches) {
      const old = before.get(urn)!;
      expect(r.inputs.zoneId).not.toEqual(old.inputs.zoneId);
      const forceNew = changedPaths(old.inputs, r.inputs)
        .filter((p) => !ignored(r, p))
        .filter((p) => (REPLACES[TAIR] ?? []).some((x) => p === x || p.startsWith(`${x}.`)));
      expect(forceNew).toEqual([]);
    }
  }, 120_000);
});

/**
 * OKE's release and node image on prod-oci: both are resolved at creation only. A later `up` after
 * OKE ships a patch or an image, or a minor bump in the config, must neither upgrade the control
 * plane nor (with node cycling on) replace every node unasked (docs/clouds/oci.md, upgrades).
 */
describe("OKE release and node images on prod-oci", () => {
  const CLUSTER = "oci:ContainerEngine/cluster:Cluster";
  const POOL = "oci:ContainerEngine/nodePool:NodePool";
  const ignored = (r: PlannedResource, p: string) =>
    r.options.ignoreChanges.some((i) => p === i || p.startsWith(`${i}.`));

  it("changes no applied version or image of the cluster or a pool when the configured minor changes", async () => {
    const before = custom(await worstCasePlan("prod-oci"));
    const after = custom(
      await changedPlan("prod-oci", "minor", (raw) => {
        (raw.kubernetes as Record<string, unknown>).version = DEFAULT_KUBERNETES_VERSION;
      }),
    );
    const changed = [...after].filter(([, r]) => r.type === CLUSTER || r.type === POOL);
    expect(changed.filter(([, r]) => r.type === POOL).length).toBeGreaterThan(1);
    for (const [urn, r] of changed) {
      const old = before.get(urn)!;
      expect(r.inputs.kubernetesVersion).not.toEqual(old.inputs.kubernetesVersion);
      const applied = changedPaths(old.inputs, r.inputs).filter((p) => !ignored(r, p));
      expect(applied).not.toContain("kubernetesVersion");
      expect(applied).not.toContain("nodeSourceDetails.imageId");
    }
  }, 120_000);
});
