/**
 * Alibaba Cloud kubernetes layer: an ACK Pro managed cluster whose API server has no internet
 * endpoint (`slbInternetEnabled: false`), Kubernetes Secrets encrypted with a KMS key, RRSA on
 * (keyless pod identity through the cluster's OIDC provider in RAM), Terway in ENI multi-IP mode
 * on the network layer's pod vSwitches, control-plane and audit logs into an SLS project of the
 * stack, deletion protection in prod and a maintenance window; node pools over every zone's node
 * vSwitch with encrypted ESSD system disks, IMDSv2-only metadata, auto repair, rolling updates one
 * node at a time and ACK's managed node autoscaling, switched on for the cluster
 * (`cs.AutoscalingConfig`: ACK scales no pool before that). ACK labels autoscaled nodes
 * `k8s.aliyun.com=true` to keep system pods such as CoreDNS and metrics-server off them
 * (aliyun/terraform-provider-alicloud website/docs/r/cs_kubernetes_node_pool.html.markdown,
 * `scaling_config`), so a small fixed-size `system` pool, one node per zone and at least two,
 * carries them.
 *
 * Why no self-managed cluster-autoscaler (as on GKE and AKS): a node pool with `scalingConfig`
 * is scaled by ACK's own autoscaler, run by ACK with the AliyunCSManagedAutoScalerRole; the
 * upstream chart's Alibaba provider cannot auto-discover node pools (it takes static scaling
 * group ids) and would fight the managed one over the same scaling groups. The desired size is
 * left to the autoscaler: `desiredSize` is never sent.
 */
import * as cs from "@pulumi/alicloud/cs";
import * as pulumi from "@pulumi/pulumi";
import { resolvedAtCreation } from "../../components/createOnly";
import { execKubeconfig } from "../../components/kubeconfig";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import {
  BACKUP_SELECTION_TAG,
  MaintenanceWindowConfig,
  NodePoolConfig,
  Scope,
  DEFAULT_MAINTENANCE_WINDOW,
} from "../../components/types";
import {
  ACK_SERVICE_ROLES,
  alibabaConfigIssues,
  RAM_PRINCIPAL,
  SERVICE_CIDR,
  SYSTEM_POOL,
} from "./catalog";
import {
  alibabaTags,
  customerKey,
  cutName,
  logProject,
  requireRoles,
  throwIfIssues,
  tierSwitches,
} from "./common";

/** Every control-plane component ACK can ship logs of. */
export const CONTROL_PLANE_LOG_COMPONENTS = [
  "apiserver",
  "kcm",
  "scheduler",
  "ccm",
  "controlplane-events",
];

/**
 * Components installed at creation (ACK takes `addons` only then; later ones are
 * `cs.KubernetesAddon`s of the addons layer): Terway in ENI multi-IP mode with network policies,
 * and the managed CSI (the disk and NAS plugins on the nodes, the provisioner in ACK's control
 * plane). ACK installs CoreDNS, kube-proxy and metrics-server itself.
 */
export const CREATE_ADDONS = [
  { name: "terway-eniip", config: JSON.stringify({ NetworkPolicy: "true", IPVlan: "false" }) },
  { name: "csi-plugin" },
  { name: "managed-csiprovisioner" },
];

/** The credential plugin the kubeconfig runs: short-lived client certificates for the caller's RAM identity. */
export const ACK_CREDENTIAL_PLUGIN = "ack-ram-tool";

const DAY_NAMES: Record<string, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};

/** ACK's maintenance window: an RFC 3339 start (its time of day is what counts), hours, weekdays. */
export function maintenanceWindow(window: MaintenanceWindowConfig) {
  return {
    enable: true,
    maintenanceTime: `2025-01-06T${window.startTime}:00.000Z`,
    duration: `${window.durationHours}h`,
    weeklyPeriod: window.days.map((d) => DAY_NAMES[d]).join(","),
  };
}

/** The newest ACK release of a Kubernetes minor, e.g. `1.36.1-aliyun.1` for `1.36`. */
export function newestRelease(versions: readonly string[], minor: string): string {
  const patch = (v: string) => Number(/^\d+\.\d+\.(\d+)/.exec(v)?.[1] ?? -1);
  const build = (v: string) => Number(/-aliyun\.(\d+)$/.exec(v)?.[1] ?? 0);
  const found = versions
    .filter((v) => v.startsWith(`${minor}.`))
    .sort((a, b) => patch(b) - patch(a) || build(b) - build(a));
  if (found.length === 0) {
    throw new Error(
      `ACK offers no Kubernetes ${minor} release in this region; it offers ${versions.join(", ")}. Set officeless:kubernetes.version to one of their minors.`,
    );
  }
  return found[0];
}

/** The system pool's node count: one per zone, at least two (CoreDNS runs two replicas). */
export const systemPoolSize = (zones: number) => Math.max(2, zones);

/**
 * ACK's cluster-level autoscaler settings: the cluster autoscaler, picking the pool that wastes
 * least, scaling in and from zero. Pools' `scalingConfig` has no effect before this exists.
 */
export const AUTOSCALER = {
  scalerType: "cluster-autoscaler",
  expander: "least-waste",
  scaleDownEnabled: true,
  scaleUpFromZero: true,
  skipNodesWithSystemPods: true,
} as const;

function nodePool(
  scope: Scope,
  args: KubernetesClusterArgs,
  pool: NodePoolConfig,
  clusterId: pulumi.Output<string>,
  keyId: pulumi.Output<string>,
  autoscaling: cs.AutoscalingConfig | undefined,
): cs.NodePool {
  const zones = args.zones.length;
  // A fixed pool (the system pool) has its own size; an autoscaled one leaves it to ACK.
  const sizing = autoscaling
    ? {
        scalingConfig: {
          enable: true,
          minSize: pool.minSize * zones,
          maxSize: pool.maxSize * zones,
        },
      }
    : { desiredSize: String(pool.desiredSize) };
  return new cs.NodePool(
    `${scope.name}-pool-${pool.name}`,
    {
      clusterId,
      nodePoolName: pool.name,
      vswitchIds: args.network.privateSubnetIds,
      instanceTypes: [...pool.instanceTypes],
      // Zone balance, then price: scale-outs keep the zones even.
      multiAzPolicy: "BALANCE",
      imageType: "AliyunLinux3",
      systemDiskCategory: "cloud_essd",
      systemDiskPerformanceLevel: "PL1",
      systemDiskSize: pool.diskSizeGb,
      systemDiskEncrypted: true,
      systemDiskKmsKey: keyId,
      instanceMetadataOptions: { httpTokens: "required" },
      instanceChargeType: "PostPaid",
      spotStrategy: pool.spot ? "SpotAsPriceGo" : "NoSpot",
      // Spot nodes about to be reclaimed are replaced first.
      ...(pool.spot ? { spotInstanceRemedy: true } : {}),
      // ACK's managed autoscaler owns the size between these bounds (the config's are per zone).
      ...sizing,
      management: {
        enable: true,
        autoRepair: true,
        autoUpgrade: true,
        autoUpgradePolicy: { autoUpgradeKubelet: true },
        autoVulFix: true,
        autoVulFixPolicy: { restartNode: false, vulLevel: "asap" },
        maxUnavailable: 1,
      },
      rollingPolicy: { maxParallelism: 1 },
      labels: Object.entries(pool.labels).map(([key, value]) => ({ key, value })),
      taints: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      // The instances' tag selects their disks for the backup layer's snapshot policy.
      tags: { ...alibabaTags(scope.tags), [BACKUP_SELECTION_TAG]: "true" },
    },
    autoscaling
      ? // Never sent: were it ever set, ACK's autoscaler would own it anyway.
        { parent: scope.parent, ignoreChanges: ["desiredSize"], dependsOn: [autoscaling] }
      : { parent: scope.parent },
  );
}

export function alibabaKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  const k8s = args.kubernetes;
  throwIfIssues(
    alibabaConfigIssues({ kubernetes: k8s }),
    "Invalid Alibaba Cloud kubernetes arguments",
  );
  if (k8s.endpoint.publicAccessCidrs.length > 0) {
    throwIfIssues(
      [
        {
          path: "kubernetes.endpoint.publicAccessCidrs",
          value: k8s.endpoint.publicAccessCidrs,
          message:
            "ACK's public API endpoint takes its allow-list only through the console or the ModifyClusterAcl API, which the provider does not manage; reach the private endpoint over the VPN or from the VPC",
        },
      ],
      "Invalid Alibaba Cloud kubernetes arguments",
    );
  }
  const opts = { parent: scope.parent };
  const tags = alibabaTags(scope.tags);
  const key = customerKey(scope, "k8s", `${scope.name}: Kubernetes Secrets and node disks`);
  const logs = logProject(scope, "ack", `${scope.name} ACK control-plane and audit logs`);
  const roles = requireRoles(scope, "^AliyunCS", ACK_SERVICE_ROLES, "ACK");
  const pods = tierSwitches(scope, args.network.networkId, "pods", args.zones);
  const release = cs
    .getKubernetesVersionOutput(
      { clusterType: "ManagedKubernetes", profile: "Default", kubernetesVersion: k8s.version },
      opts,
    )
    .metadatas.apply((m) =>
      resolvedAtCreation("the ACK release of officeless:kubernetes.version", () =>
        newestRelease(
          m.map((v) => v.version),
          k8s.version,
        ),
      ),
    );

  const cluster = new cs.ManagedKubernetes(
    `${scope.name}-cluster`,
    {
      name: pulumi.all([roles]).apply(() => cutName(scope.name, 63)),
      clusterSpec: "ack.pro.small",
      profile: "Default",
      version: release,
      vswitchIds: args.network.privateSubnetIds,
      podVswitchIds: pods.apply((p) => p.map((s) => s.id)),
      serviceCidr: SERVICE_CIDR,
      newNatGateway: false,
      slbInternetEnabled: false,
      isEnterpriseSecurityGroup: true,
      proxyMode: "ipvs",
      enableRrsa: true,
      encryptionProviderKey: key.id,
      // Both are needed to turn encryption on; unset, the provider suppresses drift on the key.
      disableEncryption: false,
      deletionProtection: scope.protect,
      controlPlaneLogProject: logs.projectName,
      controlPlaneLogTtl: String(k8s.logRetentionDays),
      controlPlaneLogComponents: CONTROL_PLANE_LOG_COMPONENTS,
      auditLogConfig: { enabled: true, slsProjectName: logs.projectName },
      maintenanceWindow: maintenanceWindow(k8s.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW),
      addons: CREATE_ADDONS,
      // Outside prod a destroy leaves nothing: the ALB and SLB instances the controllers made go too.
      deleteOptions: scope.protect
        ? [
            { resourceType: "ALB", deleteMode: "retain" },
            { resourceType: "SLB", deleteMode: "retain" },
          ]
        : [
            { resourceType: "ALB", deleteMode: "delete" },
            { resourceType: "SLB", deleteMode: "delete" },
          ],
      tags,
    },
    {
      ...opts,
      protect: scope.protect,
      dependsOn: [logs.project],
      // Create-only inputs: ACK ignores later changes, so a diff on them would only mislead.
      // `version`: the release is resolved at creation only; a later `up` after ACK ships a patch
      // must not upgrade the control plane unasked (docs/clouds/alibaba.md, upgrades).
      ignoreChanges: [
        "addons",
        "podVswitchIds",
        "isEnterpriseSecurityGroup",
        "newNatGateway",
        "version",
      ],
    },
  );

  const autoscaling = new cs.AutoscalingConfig(
    `${scope.name}-autoscaling`,
    { clusterId: cluster.id, ...AUTOSCALER },
    opts,
  );
  // The system pool takes the first on-demand pool's instance types and disk.
  const base = k8s.nodePools.find((p) => !p.spot) ?? k8s.nodePools[0];
  const system: NodePoolConfig = {
    ...base,
    name: SYSTEM_POOL,
    spot: false,
    minSize: systemPoolSize(args.zones.length),
    maxSize: systemPoolSize(args.zones.length),
    desiredSize: systemPoolSize(args.zones.length),
    labels: { "officeless.io/pool": SYSTEM_POOL },
    taints: [],
  };
  const pools = [
    nodePool(scope, args, system, cluster.id, key.id, undefined),
    ...k8s.nodePools.map((pool) => nodePool(scope, args, pool, cluster.id, key.id, autoscaling)),
  ];

  // Cluster admins: ACK's `admin` RBAC role on this cluster for each RAM user or role. The
  // provider patches the principal's grants (others it holds on other clusters stay).
  const admins = k8s.adminPrincipals.map((principal, i) => {
    const [, kind, uid] = RAM_PRINCIPAL.exec(principal)!;
    return new cs.KubernetesPermission(
      `${scope.name}-admin-${i}`,
      {
        uid,
        permissions: [
          {
            cluster: cluster.id,
            roleName: "admin",
            roleType: "cluster",
            isCustom: false,
            isRamRole: kind === "role",
          },
        ],
      },
      opts,
    );
  });

  const endpoint = cluster.connections.apply((c) => c.apiServerIntranet ?? "");
  const ca = cluster.certificateAuthority.apply((c) => c.clusterCert ?? "");
  // The outputs wait for the node pools (and grants), so downstream releases find nodes.
  const ready = pulumi.all([...pools.map((p) => p.id), ...admins.map((a) => a.id)]);
  const after = <T>(value: pulumi.Output<T>): pulumi.Output<T> =>
    pulumi.all([value, ready]).apply(([v]) => v as T);
  return {
    clusterName: after(cluster.name),
    clusterId: after(cluster.id),
    endpoint: after(endpoint),
    certificateAuthority: ca,
    kubeconfig: pulumi
      .all([cluster.id, cluster.name, endpoint, ca])
      .apply(([id, name, server, caData]) =>
        execKubeconfig({
          name,
          server,
          certificateAuthorityData: caData,
          exec: {
            command: ACK_CREDENTIAL_PLUGIN,
            args: [
              "credential-plugin",
              "get-credential",
              "--cluster-id",
              id,
              "--api-version",
              "v1beta1",
            ],
            installHint:
              "ack-ram-tool gives kubectl short-lived ACK credentials: https://github.com/AliyunContainerService/ack-ram-tool",
          },
        }),
      ),
    version: cluster.version,
    nodeSecurityGroupId: cluster.securityGroupId,
    clusterSecurityGroupId: cluster.securityGroupId,
    nodeIdentity: cluster.workerRamRoleName,
    oidcIssuerUrl: cluster.rrsaMetadata.apply((m) => m.rrsaOidcIssuerUrl ?? ""),
    encryptionKeyId: key.id,
    nodePoolNames: after(pulumi.output([SYSTEM_POOL, ...k8s.nodePools.map((p) => p.name)])),
  };
}
