/**
 * GCP kubernetes layer: a regional GKE Standard cluster with private nodes and a private IP
 * endpoint (authorized networks from config), on request the IAM-gated DNS endpoint for CI, Workload
 * Identity, secrets encrypted with a Cloud KMS key, the REGULAR release channel, Dataplane V2,
 * shielded nodes, Binary Authorization (project policy), a recurring maintenance window from config,
 * route export to the control plane's peering (the office over the VPN reaches the private
 * endpoint), the Gateway API, Backup for GKE and Filestore CSI add-ons, control-plane logs
 * kept for the configured days, and one node pool per configured pool over every zone, scaled by
 * GKE's own autoscaler (balanced across zones) and upgraded by surge (1 up, 0 down). Named admins
 * get roles/container.admin on the project with an IAM condition limiting it to this cluster.
 */
import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { inputsHash } from "../../components/inputsHash";
import { execKubeconfig } from "../../components/kubeconfig";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import {
  DEFAULT_MAINTENANCE_WINDOW,
  MaintenanceWindowConfig,
  NodePoolConfig,
  NodeTaint,
  Scope,
} from "../../components/types";
import { ValidationError } from "../../components/validation";
import { gcpConfigIssues } from "./catalog";
import {
  accountId,
  agentUser,
  customerKey,
  gcpLabels,
  gcpProject,
  NODE_TAG,
  projectServices,
  retainedLogs,
} from "./common";
import { fixedRanges, PODS_RANGE_NAME, SERVICES_RANGE_NAME } from "./ranges";

/**
 * The APIs the kubernetes layer calls: GKE and Compute Engine, Cloud KMS for its key, IAM and
 * Resource Manager for the node account and its project roles, Cloud Logging and Monitoring (the
 * log bucket, and the system logs and metrics GKE and the nodes write), Binary Authorization, and
 * Backup for GKE, whose agent add-on the cluster turns on.
 */
export const KUBERNETES_APIS = [
  "container.googleapis.com",
  "compute.googleapis.com",
  "cloudkms.googleapis.com",
  "iam.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "binaryauthorization.googleapis.com",
  "gkebackup.googleapis.com",
];

/** Control-plane components whose logs GKE sends to Cloud Logging. */
export const CONTROL_PLANE_LOG_COMPONENTS = [
  "SYSTEM_COMPONENTS",
  "APISERVER",
  "CONTROLLER_MANAGER",
  "SCHEDULER",
];

/**
 * The node service account's only role: Kubernetes Engine Default Node Service Account, the
 * minimum GKE documents for custom node accounts (docs.cloud.google.com/kubernetes-engine/security/
 * configure-node-service-accounts): logs, metrics, monitoring reads and autoscaler metrics of its
 * system agents. No Editor, no storage, no registry administration.
 */
export const NODE_ROLES = ["roles/container.defaultNodeServiceAccount"];

/**
 * The throw-away default pool's boot disk: GKE's default (100 GB pd-balanced on 3 nodes of a
 * regional cluster) takes 300 GB of the SSD_TOTAL_GB quota, which new projects often have at 250
 * to 500 (terraform-google-kubernetes-engine #1795). Standard disks count against DISKS_TOTAL_GB.
 */
export const DEFAULT_POOL_DISK = { diskType: "pd-standard", diskSizeGb: 30 };

/** A new project's smallest regional SSD_TOTAL_GB quota seen in practice. */
export const SSD_QUOTA_FLOOR_GB = 250;

/**
 * The pd-balanced boot disk GB the node pools use at their largest: every zone at maxSize plus
 * the one surge node each zone adds while upgrading. PVCs of the block StorageClass come on top.
 */
export function nodeDiskNeedGb(
  pools: KubernetesClusterArgs["kubernetes"]["nodePools"],
  zones: number,
): number {
  return pools.reduce((sum, p) => sum + (p.maxSize + 1) * zones * p.diskSizeGb, 0);
}

/** The warning the plan shows when the pools may not fit a new project's SSD quota. */
export function ssdQuotaHint(needGb: number, region: string): string {
  return (
    `The node pools use up to ${needGb} GB of pd-balanced boot disks (SSD_TOTAL_GB quota) at their maximum size, ` +
    `plus the block StorageClass's volumes; new projects often have ${SSD_QUOTA_FLOOR_GB}-500 GB in a region. Check it before \`up\`: ` +
    `gcloud compute regions describe ${region} --flatten=quotas --filter=quotas.metric=SSD_TOTAL_GB ` +
    `--format="value(quotas.limit,quotas.usage)", and request more under IAM & Admin > Quotas (Compute Engine API, Persistent Disk SSD (GB)).`
  );
}

/**
 * The role `adminPrincipals` get: full control of the cluster and of every Kubernetes object in it
 * (container.*), the GKE counterpart of EKS's AmazonEKSClusterAdminPolicy and AKS's RBAC Cluster
 * Admin. roles/container.clusterAdmin would not do: it manages the cluster resource but grants no
 * Kubernetes API access. container.admin is granted on the project only, so the binding carries
 * an IAM condition on the resource name that limits it to this cluster and what is inside it.
 */
export const ADMIN_ROLE = "roles/container.admin";

/**
 * The IAM condition that limits a project-level grant to one cluster and its Kubernetes objects.
 * The cluster's resource name is matched with the project id and with its number, since IAM may
 * present either; a trailing `/` keeps `prod` from matching `prod2`.
 */
export function clusterCondition(projectIds: readonly string[], location: string, cluster: string) {
  const names = projectIds.map(
    (project) => `projects/${project}/locations/${location}/clusters/${cluster}`,
  );
  return {
    title: `only-${cluster}`.slice(0, 100),
    description: `Limits the grant to the GKE cluster ${cluster} and its Kubernetes objects`,
    expression: names
      .map((name) => `resource.name == "${name}" || resource.name.startsWith("${name}/")`)
      .join(" || "),
  };
}

/** Nodes call Google APIs with this scope only; IAM on the (least-privilege) service account decides. */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/**
 * Node pool inputs GKE cannot change on an existing pool (ForceNew in terraform-provider-google
 * google/services/container/node_config.go, the schema @pulumi/gcp 9.37 bridges), of those the
 * pools set. Their hash is in the pool's GKE name, so a change is a new pool created beside the old
 * one. machineType, diskType and diskSizeGb are not ForceNew (GoogleCloudPlatform/magic-modules
 * #9575, provider 5.10+): GKE migrates the nodes in place by a surge upgrade, so they stay out.
 */
export const POOL_REPLACE_INPUTS = [
  "spot",
  "serviceAccount",
  "oauthScopes",
  "bootDiskKmsKey",
  "metadata",
  "shieldedInstanceConfig",
] as const;

/** GKE node pool names: lowercase letters, digits and hyphens, a letter first, at most 40. */
export const MAX_POOL_NAME = 40;
/** Characters of the replace-input hash in a pool's GKE name: base 36, 2 billion values. */
export const POOL_HASH_LENGTH = 6;

/**
 * What a pool is created with that GKE does not change later: the `POOL_REPLACE_INPUTS` of its
 * nodeConfig. The node account and key are passed in (outputs in the program, their values when
 * hashed), so the pool gets exactly what its name is the hash of.
 */
export function poolFixed<T>(pool: NodePoolConfig, serviceAccount: T, bootDiskKmsKey: T) {
  return {
    spot: pool.spot,
    serviceAccount,
    oauthScopes: [CLOUD_PLATFORM_SCOPE],
    bootDiskKmsKey,
    metadata: { "disable-legacy-endpoints": "true" },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
  };
}

/**
 * A pool's GKE name: its config name, a hyphen and the hash of its replace-on-change inputs
 * (`general-k3x9a1`); the longest config name (20) gives 27 characters.
 */
export function gkePoolName(pool: string, fixed: Partial<Record<string, unknown>>): string {
  return `${pool}-${inputsHash(POOL_REPLACE_INPUTS, fixed, POOL_HASH_LENGTH)}`;
}

const TAINT_EFFECTS: Record<NodeTaint["effect"], string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

/**
 * A kubeconfig (JSON, which is YAML) that gets short-lived tokens from `gke-gcloud-auth-plugin`.
 * The DNS endpoint's certificate is publicly trusted, so it goes without `caData`; the IP
 * endpoints need the cluster CA.
 */
export function gkeKubeconfig(name: string, server: string, caData?: string): string {
  return execKubeconfig({
    name,
    server,
    certificateAuthorityData: caData,
    exec: {
      command: "gke-gcloud-auth-plugin",
      installHint:
        "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
      provideClusterInfo: true,
    },
  });
}

/**
 * Binary Authorization against the project's singleton policy (safer-cluster's baseline). A new
 * project's policy admits every image until an administrator tightens it, so turning it on breaks
 * nothing and the policy is one place to enforce signed images later.
 */
export const BINARY_AUTHORIZATION = { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" };

/** A fixed first day for the recurring window, so the plan never changes with the clock. */
const MAINTENANCE_EPOCH = Date.UTC(2025, 0, 1);

/**
 * The recurring maintenance window of the config: `startTime` and `endTime` on a fixed day (GKE
 * repeats their time of day), `recurrence` a weekly RRULE over the configured days.
 */
export function maintenancePolicy(window: MaintenanceWindowConfig = DEFAULT_MAINTENANCE_WINDOW) {
  const [hours, minutes] = window.startTime.split(":").map(Number);
  const start = MAINTENANCE_EPOCH + (hours * 60 + minutes) * 60_000;
  const end = start + window.durationHours * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
  return {
    recurringWindow: {
      startTime: iso(start),
      endTime: iso(end),
      recurrence: `FREQ=WEEKLY;BYDAY=${window.days.join(",")}`,
    },
  };
}

/** Networks allowed to the API's IP endpoints: the VPC itself, then the configured ones. */
export function authorizedNetworks(
  vpcCidr: string,
  endpoint: KubernetesClusterArgs["kubernetes"]["endpoint"],
): { cidrBlock: string; displayName: string }[] {
  return [
    { cidrBlock: vpcCidr, displayName: "platform-network" },
    ...endpoint.privateAccessCidrs.map((cidrBlock, i) => ({
      cidrBlock,
      displayName: `private-${i}`,
    })),
    ...endpoint.publicAccessCidrs.map((cidrBlock, i) => ({
      cidrBlock,
      displayName: `public-${i}`,
    })),
  ];
}

/** `projects/p/global/networks/vpc` -> `vpc`: the peering API takes the network's name. */
export function networkName(networkId: string): string {
  return networkId.split("/").pop() ?? networkId;
}

export function gcpKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  // What GKE would refuse (admin members, log retention), before any child exists.
  const issues = gcpConfigIssues({ kubernetes: args.kubernetes });
  if (issues.length > 0)
    throw new ValidationError(issues, "args.", "Invalid KubernetesCluster arguments");
  const k8s = args.kubernetes;
  const clusterName = scope.name;
  const project = gcpProject(scope);
  // APIs on and the GKE agent created before the key grants name it (Compute Engine's comes with its API).
  const services = projectServices(scope, project, KUBERNETES_APIS, ["gke", "compute"]);
  const apis = services.apis;
  const opts: pulumi.CustomResourceOptions = { parent: scope.parent, dependsOn: apis };
  const labels = gcpLabels(scope.tags);
  const publicEndpoint = k8s.endpoint.publicAccessCidrs.length > 0;
  const dnsAccess = k8s.endpoint.dnsAccess ?? false;
  const ranges = args.network.cidr.apply(fixedRanges);
  const diskNeed = nodeDiskNeedGb(k8s.nodePools, args.zones.length);
  if (diskNeed > SSD_QUOTA_FLOOR_GB)
    void pulumi.log.warn(ssdQuotaHint(diskNeed, args.region), scope.parent);

  // One key for Kubernetes secrets (GKE's agent) and node boot disks (Compute Engine's agent).
  const { key, grants } = customerKey(
    scope,
    "encryption",
    args.region,
    [agentUser(project, services, "gke"), agentUser(project, services, "compute")],
    apis,
  );

  const nodeAccount = new serviceaccount.Account(
    `${scope.name}-nodes-sa`,
    {
      accountId: accountId(clusterName, "nodes"),
      displayName: `${clusterName} GKE nodes`,
      description: `Least-privilege identity of the GKE nodes of ${clusterName}: logs and metrics only`,
    },
    opts,
  );
  const nodeRoles = NODE_ROLES.map(
    (role) =>
      new projects.IAMMember(
        `${scope.name}-nodes-${role.split("/")[1].replace(/\./g, "-")}`,
        { project: project.projectId, role, member: nodeAccount.member },
        opts,
      ),
  );

  retainedLogs(scope, "control-plane-logs", {
    project,
    filter: `resource.type="k8s_control_plane_component" AND resource.labels.cluster_name="${clusterName}"`,
    retentionDays: k8s.logRetentionDays,
    description: `GKE control-plane logs of ${clusterName}`,
    after: apis,
  });

  const cluster = new container.Cluster(
    `${scope.name}-cluster`,
    {
      name: clusterName,
      description: `${clusterName}: Officeless platform cluster`,
      // Regional: the control plane is replicated across the region's zones.
      location: args.region,
      nodeLocations: [...args.zones],
      minMasterVersion: k8s.version,
      releaseChannel: { channel: "REGULAR" },
      network: args.network.networkId,
      subnetwork: args.network.privateSubnetIds.apply((ids) => ids[0]),
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: {
        clusterSecondaryRangeName: PODS_RANGE_NAME,
        servicesSecondaryRangeName: SERVICES_RANGE_NAME,
        stackType: "IPV4",
      },
      // Dataplane V2 (eBPF, Cilium): NetworkPolicy is always enforced. `networkPolicy` and the
      // Calico add-on (`addonsConfig.networkPolicyConfig`) stay unset: the API refuses them with it.
      datapathProvider: "ADVANCED_DATAPATH",
      binaryAuthorization: BINARY_AUTHORIZATION,
      // Auto-upgrades and node repairs wait for the window (GKE's security patches may not).
      maintenancePolicy: maintenancePolicy(k8s.maintenanceWindow),
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: !publicEndpoint,
        masterIpv4CidrBlock: ranges.controlPlane,
        // VPN peers reach the private endpoint from any region's attachment.
        masterGlobalAccessConfig: { enabled: true },
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: args.network.cidr.apply((cidr) => authorizedNetworks(cidr, k8s.endpoint)),
        gcpPublicCidrsAccessEnabled: false,
        // The allow-list applies to the private endpoint too, not only the public one.
        privateEndpointEnforcementEnabled: true,
      },
      // The DNS endpoint, opt-in: every request needs a Google identity with
      // container.clusters.connect (IAM), so CI outside the network reaches a cluster whose IP
      // endpoints stay private. Off is explicit, so turning it off again updates the cluster.
      controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: dnsAccess } },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      workloadIdentityConfig: {
        workloadPool: pulumi.interpolate`${project.projectId}.svc.id.goog`,
      },
      // Off by default in GKE: secrets in etcd are envelope-encrypted with our key.
      databaseEncryption: { state: "ENCRYPTED", keyName: key.id },
      enableShieldedNodes: true,
      // Node pools are managed below; the default pool exists only while the cluster is created.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: {
        ...DEFAULT_POOL_DISK,
        serviceAccount: nodeAccount.email,
        oauthScopes: [CLOUD_PLATFORM_SCOPE],
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        tags: [NODE_TAG],
      },
      loggingConfig: { enableComponents: CONTROL_PLANE_LOG_COMPONENTS },
      // Ingress-nginx is retired; GKE's own Gateway controller serves the standard Gateway API.
      gatewayApiConfig: { channel: "CHANNEL_STANDARD" },
      addonsConfig: {
        gcePersistentDiskCsiDriverConfig: { enabled: true },
        // The storage layer's file StorageClass and the backup layer need these two.
        gcpFilestoreCsiDriverConfig: { enabled: true },
        gkeBackupAgentConfig: { enabled: true },
        httpLoadBalancing: { disabled: false },
        horizontalPodAutoscaling: { disabled: false },
      },
      deletionProtection: scope.protect,
      resourceLabels: labels,
    },
    {
      ...opts,
      // GKE checks its agent's access to the key at creation.
      dependsOn: [...apis, ...grants],
      // The default pool's settings matter only at creation (it is removed right after).
      ignoreChanges: ["nodeConfig", "initialNodeCount"],
    },
  );

  // The private endpoint from the office: with `masterIpv4CidrBlock` GKE runs the control plane
  // in its own VPC, peered with ours. The routes the VPN's Cloud Router learns are custom routes;
  // exporting them over that peering gives the control plane the way back to the peers. Deleting
  // this config is a no-op in GCP: the peering goes with the cluster. A cluster GKE puts on
  // Private Service Connect reports no peering (terraform-provider-google PR #19605): its endpoint
  // is an internal address of our VPC, which the VPN reaches by the VPC's own routes, so there is
  // nothing to export. Whether a peering exists is known only once the cluster does: the config
  // is created from its output (a preview of a new cluster does not show it).
  cluster.privateClusterConfig.apply((c) => {
    if (!c?.peeringName) {
      void pulumi.log.warn(
        `GKE cluster ${clusterName} reports no control-plane peering (Private Service Connect): no route export is needed, its private endpoint is an address of the VPC`,
        cluster,
      );
      return;
    }
    new compute.NetworkPeeringRoutesConfig(
      `${scope.name}-control-plane-routes`,
      {
        project: project.projectId,
        network: args.network.networkId.apply(networkName),
        peering: c.peeringName,
        exportCustomRoutes: true,
        importCustomRoutes: false,
      },
      opts,
    );
  });

  // Named admins: roles/container.admin on the project, conditioned to this cluster. The deploying
  // identity keeps the project roles it already has (GKE has no creator-only grant to withdraw).
  k8s.adminPrincipals.forEach((member, i) => {
    new projects.IAMMember(
      `${scope.name}-admin-${i}`,
      {
        project: project.projectId,
        role: ADMIN_ROLE,
        member,
        condition: pulumi
          .all([project.projectId, project.number, cluster.name])
          .apply(([projectId, number, name]) =>
            clusterCondition([projectId, number], args.region, name),
          ),
      },
      opts,
    );
  });

  const pools = k8s.nodePools.map((pool) => {
    const fixed = poolFixed(pool, nodeAccount.email, key.id);
    return new container.NodePool(
      `${scope.name}-${pool.name}`,
      {
        // Per cluster; a new name when an input GKE cannot update changes, so the new pool is
        // created before the old one is deleted (and drained) instead of after.
        name: pulumi
          .all([nodeAccount.email, key.id])
          .apply(([email, keyId]) => gkePoolName(pool.name, poolFixed(pool, email, keyId))),
        cluster: cluster.id,
        location: args.region,
        nodeLocations: [...args.zones],
        // Per zone, like the config: GKE keeps each zone between min and max.
        initialNodeCount: pool.desiredSize,
        autoscaling: {
          minNodeCount: pool.minSize,
          maxNodeCount: pool.maxSize,
          locationPolicy: "BALANCED",
        },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          ...fixed,
          // GKE pools have one machine type; further `instanceTypes` entries are not used here.
          machineType: pool.instanceTypes[0],
          diskSizeGb: pool.diskSizeGb,
          diskType: "pd-balanced",
          imageType: "COS_CONTAINERD",
          // Pods see the GKE metadata server only: no node credentials, Workload Identity instead.
          workloadMetadataConfig: { mode: "GKE_METADATA" },
          labels: { ...pool.labels },
          taints: pool.taints.map((t) => ({
            key: t.key,
            value: t.value ?? "",
            effect: TAINT_EFFECTS[t.effect],
          })),
          tags: [NODE_TAG],
          resourceLabels: { ...labels, "node-pool": pool.name },
        },
      },
      {
        ...opts,
        dependsOn: [...apis, ...nodeRoles, ...grants],
        // GKE's autoscaler owns the size after creation.
        ignoreChanges: ["initialNodeCount", "nodeCount"],
      },
    );
  });

  // The DNS endpoint when it takes external traffic; else the IP endpoint the allow-lists open:
  // the public one with a public allow-list (a runner listed there), the private one otherwise.
  const server = dnsAccess
    ? pulumi.interpolate`https://${cluster.controlPlaneEndpointsConfig.apply((c) => c.dnsEndpointConfig?.endpoint ?? "")}`
    : pulumi.interpolate`https://${cluster.privateClusterConfig.apply((c) => (publicEndpoint ? c.publicEndpoint : c.privateEndpoint))}`;
  const caData = cluster.masterAuth.apply((auth) => auth.clusterCaCertificate ?? "");
  // Waits for the node pools: in one stack the Helm releases reach the cluster through this
  // kubeconfig, and their pods need nodes before the releases' timeouts run out.
  const kubeconfig = pulumi
    .all([cluster.name, server, caData, pulumi.all(pools.map((p) => p.id))])
    .apply(([name, url, ca]) => gkeKubeconfig(name, url, dnsAccess ? undefined : ca));

  return {
    clusterName: cluster.name,
    clusterId: cluster.id,
    // The URL the kubeconfig uses, so the reachability probe checks the same one.
    endpoint: server,
    certificateAuthority: caData,
    kubeconfig: pulumi.secret(kubeconfig),
    version: cluster.masterVersion,
    nodeSecurityGroupId: pulumi.output(NODE_TAG),
    clusterSecurityGroupId: ranges.controlPlane,
    nodeIdentity: nodeAccount.email,
    oidcIssuerUrl: pulumi.interpolate`https://container.googleapis.com/v1/projects/${project.projectId}/locations/${args.region}/clusters/${cluster.name}`,
    encryptionKeyId: key.id,
    // The configured pools, as on every cloud; GKE names them `gkePoolName(...)` (name + hash).
    nodePoolNames: pulumi.output(k8s.nodePools.map((p) => p.name)),
  };
}
