/**
 * Shared vocabulary of the platform: cloud ids, environments, layers, and the validated
 * configuration each layer is built from. Pure types and constants: no cloud SDK here.
 */
import * as pulumi from "@pulumi/pulumi";
import type { OnpremConfig } from "../providers/onprem/types";

/** Every target the platform deploys to. The order is the order of the README's support table. */
export const CLOUDS = [
  "aws",
  "gcp",
  "azure",
  "alibaba",
  "oci",
  "volcengine",
  "huawei",
  "onprem",
] as const;
export type CloudId = (typeof CLOUDS)[number];

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * The layers, mirroring the Terraform layout (01-network ... 06-cache). Each can live in its own
 * stack with its own state; `layerDependencies` says which upstream stacks it reads.
 */
export const LAYERS = [
  "network",
  "kubernetes",
  "storage",
  "vpn",
  "addons",
  "cache",
  "observability",
] as const;
export type LayerName = (typeof LAYERS)[number];

/** Tag keys every resource carries besides the user's own tags. */
export const TAG_KEYS = {
  environment: "environment",
  layer: "layer",
  managedBy: "managed-by",
} as const;
export const MANAGED_BY = "officeless";

/** Plain tags: cloud-agnostic key/value labels. Backends adapt them (GCP labels are lower-case). */
export type Tags = Record<string, string>;

export interface NetworkConfig {
  /** The network's address space, e.g. `10.0.0.0/16`. */
  readonly cidr: string;
  /** Prefix length of each public subnet (one per zone). */
  readonly publicSubnetPrefix: number;
  /** Prefix length of each private (node) subnet (one per zone). Large: pods take VPC IPs on AWS. */
  readonly privateSubnetPrefix: number;
  /** Isolated database tier (no route to the internet), one subnet per zone; 0 turns it off. */
  readonly databaseSubnetPrefix: number;
  /** `perZone`: one NAT gateway per zone (zone failure keeps egress); `single`: one shared, dev only. */
  readonly natGateways: "perZone" | "single";
  /** Days to keep VPC flow logs. */
  readonly flowLogRetentionDays: number;
  /**
   * TCP ports the control plane may call admission webhooks on in pods, beyond 443 and 10250.
   * GCP opens them from the GKE control-plane range to the nodes (other clouds do not filter this
   * path). @default DEFAULT_WEBHOOK_PORTS
   */
  readonly webhookPorts?: readonly number[];
}

/**
 * Webhook ports terraform-google-modules' private-cluster and safer-cluster open by default
 * (`firewall_inbound_ports`): 8443 (Mimir's rollout-operator and most operators), 9443
 * (controller-runtime's default), 15017 (Istio).
 */
export const DEFAULT_WEBHOOK_PORTS: readonly number[] = [8443, 9443, 15017];

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface NodePoolConfig {
  /** Pool name, unique in the cluster; child resource names derive from it. */
  readonly name: string;
  /** Cloud instance types; the first is the primary, the rest widen spot capacity. */
  readonly instanceTypes: readonly string[];
  /** Nodes per zone, minimum. */
  readonly minSize: number;
  /** Nodes per zone, maximum. */
  readonly maxSize: number;
  /** Nodes per zone at creation; later the autoscaler owns it (ignored on update). */
  readonly desiredSize: number;
  /** Spot / preemptible capacity. */
  readonly spot: boolean;
  /** Root volume size in GiB. */
  readonly diskSizeGb: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
}

/** Weekdays as RFC 5545 (RRULE BYDAY) spells them. */
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface MaintenanceWindowConfig {
  /** Start of each window, `HH:MM` in UTC. */
  readonly startTime: string;
  /** Length of each window in hours. */
  readonly durationHours: number;
  /** Days the window opens on. */
  readonly days: readonly Weekday[];
}

/** Every day 03:00-07:00 UTC: GKE wants 48 hours of availability in any 32 days. */
export const DEFAULT_MAINTENANCE_WINDOW: MaintenanceWindowConfig = {
  startTime: "03:00",
  durationHours: 4,
  days: WEEKDAYS,
};

export interface KubernetesConfig {
  /** Kubernetes minor version, e.g. `1.33`. */
  readonly version: string;
  readonly nodePools: readonly NodePoolConfig[];
  readonly endpoint: {
    /**
     * CIDRs allowed to reach a public API endpoint. Empty (the default) keeps the endpoint private only.
     */
    readonly publicAccessCidrs: readonly string[];
    /** Extra CIDRs (VPN peers, CI runners' networks) allowed to the private endpoint. */
    readonly privateAccessCidrs: readonly string[];
    /**
     * GKE only (other clouds' catalogs refuse `true`): turns on external traffic to the cluster's
     * DNS-based endpoint, where every request needs a Google identity with IAM permission to the
     * cluster, so CI outside the network can reach a cluster whose IP endpoints stay private; the
     * kubeconfig and `endpoint` output then use it. @default false: no external traffic on the DNS
     * endpoint, and the kubeconfig uses the private IP endpoint (the public one with a public allow-list)
     */
    readonly dnsAccess?: boolean;
  };
  /** Days to keep control-plane logs. */
  readonly logRetentionDays: number;
  /**
   * When the cloud may upgrade and repair the cluster on its own: GKE's recurring maintenance
   * window (other clouds do not use it yet). @default DEFAULT_MAINTENANCE_WINDOW
   */
  readonly maintenanceWindow?: MaintenanceWindowConfig;
  /**
   * Principals granted cluster admin, in the cloud's own identity format (each cloud's catalog
   * checks it): AWS IAM role or user ARNs (an EKS access entry with AmazonEKSClusterAdminPolicy),
   * GCP IAM members `user:`, `group:` or `serviceAccount:` (roles/container.admin on the project,
   * conditioned to this cluster), Azure Entra object ids with their kind, `user:<id>`, `group:<id>`
   * or `servicePrincipal:<id>` (Azure Kubernetes Service RBAC Cluster Admin on the cluster; the
   * role assignment needs the kind). Empty (the default) on AWS grants it to the identity that
   * deploys and nobody else; a list replaces that identity (list it too when it runs the later
   * layers). Azure requires at least one entry: the deploying identity is never granted implicitly,
   * since its principal type is unknown. On GCP the deploying identity keeps whatever project roles
   * it already holds.
   */
  readonly adminPrincipals: readonly string[];
  /**
   * Huawei Cloud only: the CCE Cluster Autoscaler add-on build (`1.<minor>.<build>`) for
   * `version`, as `hcloud CCE ListAddonTemplates` lists it; refused on other clouds.
   */
  readonly autoscalerAddonVersion?: string;
}

export interface ObjectLifecycleConfig {
  /** Days until current objects move to an infrequent-access class; 0 disables. */
  readonly transitionToInfrequentAccessDays: number;
  /** Days noncurrent versions are kept. */
  readonly noncurrentVersionExpirationDays: number;
  /** Days before incomplete multipart uploads are aborted. */
  readonly abortIncompleteMultipartUploadDays: number;
}

export interface StorageConfig {
  readonly block: {
    /** Make the encrypted block StorageClass the cluster default. */
    readonly defaultClass: boolean;
  };
  readonly file: {
    /** Shared file system (EFS, Filestore, Azure Files, ...) with a mount target in every zone. */
    readonly enabled: boolean;
  };
  readonly object: {
    readonly lifecycle: ObjectLifecycleConfig;
    /** Server access logs of every bucket, into a log bucket of the stack (AWS). */
    readonly accessLogging: boolean;
    /** A copy of every bucket in another region (AWS: S3 replication). */
    readonly replication: CrossRegionConfig;
  };
}

/** A copy of stored data in a second region (AWS only so far). */
export interface CrossRegionConfig {
  readonly enabled: boolean;
  /** The other region; unset picks the cloud's partner region of `region` (providers/aws/catalog.ts). */
  readonly region?: string;
}

export interface VpnPeerConfig {
  /** Peer name, unique; child names derive from it. */
  readonly name: string;
  /** The peer device's public IPv4 address. */
  readonly publicIp: string;
  /** The peer's networks, routed over the tunnel. */
  readonly cidrs: readonly string[];
  /** BGP ASN for dynamic routing; unset means static routes to `cidrs`. */
  readonly bgpAsn?: number;
  /**
   * The peer's BGP address inside the tunnel (IPv4). Each cloud checks its own rules and exports
   * the sessions (`VpnConnectionInfo.bgpSessions`). AWS and GCP put each tunnel's session in a
   * link-local /30 of 169.254.0.0/16: this address is the peer's in the first tunnel's /30, the
   * second tunnel uses the next /30 (4 addresses on) and the cloud takes the other host of each.
   * AWS needs the second host of the /30 (it keeps the first). Azure takes any IPv4 address
   * but the device's public one. Unset derives one: AWS picks the /30s itself, GCP uses
   * 169.254.(100 + peer index).2 and .6, Azure the first host of the peer's first CIDR.
   */
  readonly bgpPeerAddress?: string;
  /** Pre-shared key; unset lets the cloud generate one (exported as a secret). */
  readonly preSharedKey?: pulumi.Output<string>;
}

export interface VpnConfig {
  readonly enabled: boolean;
  readonly peers: readonly VpnPeerConfig[];
}

export interface CacheConfig {
  readonly enabled: boolean;
  readonly engine: "valkey" | "redis";
  /** Engine version; unset picks the cloud's current default for the engine. */
  readonly version?: string;
  /** Cloud-agnostic size, mapped per cloud; `nodeType` overrides it. */
  readonly size: "small" | "medium" | "large";
  /** Cloud-specific node type (e.g. `cache.r7g.large`), overrides `size`. */
  readonly nodeType?: string;
  /** Replicas per shard besides the primary. */
  readonly replicas: number;
  /** Multi-zone with automatic failover. */
  readonly highAvailability: boolean;
}

export interface ObservabilityConfig {
  readonly enabled: boolean;
  /** Days metrics, logs and traces are kept (each signal's `retention` entry overrides it). */
  readonly retentionDays: number;
  /**
   * `local`: this cluster runs Mimir, Loki, Tempo, Grafana and its collectors; `central`: the same,
   * plus an authenticated write path per tenant for other platforms; `remote`: collectors only,
   * sending to a central platform. @default "local"
   */
  readonly mode?: ObservabilityMode;
  /** Days per signal. @default retentionDays for each */
  readonly retention?: Partial<Readonly<Record<ObservabilitySignalKind, number>>>;
  /** Collector and Grafana sizing. @default "large" in prod, else "small" */
  readonly collectorPreset?: CollectorPreset;
  readonly alerting?: AlertingConfig;
  readonly grafana?: GrafanaConfig;
  /** KEDA, for HPAs on Mimir queries. @default enabled */
  readonly autoscaling?: { readonly enabled: boolean };
  /** `central` mode: the platforms that send here, each its own tenant. */
  readonly central?: CentralObservabilityConfig;
  /** `remote` mode: the central platform's observability stack. */
  readonly remote?: RemoteObservabilityConfig;
}

export const OBSERVABILITY_MODES = ["local", "central", "remote"] as const;
export type ObservabilityMode = (typeof OBSERVABILITY_MODES)[number];
export type ObservabilitySignalKind = "metrics" | "logs" | "traces";
export const COLLECTOR_PRESETS = ["small", "large"] as const;
export type CollectorPreset = (typeof COLLECTOR_PRESETS)[number];
export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

interface ReceiverBase {
  /** Unique; the Alertmanager receiver's name. */
  readonly name: string;
  /** Severities routed to it. @default ["critical", "warning"] */
  readonly severities?: readonly AlertSeverity[];
}
/** Where alerts go. Secret fields (URLs with tokens, keys, passwords) are Pulumi secrets. */
export type AlertReceiverConfig =
  | (ReceiverBase & {
      readonly type: "email";
      readonly to: string;
      readonly from: string;
      /** `host:port` of the SMTP relay. */
      readonly smarthost: string;
      readonly authUsername?: string;
      readonly authPassword?: pulumi.Output<string>;
    })
  | (ReceiverBase & {
      readonly type: "slack";
      readonly channel: string;
      readonly apiUrl: pulumi.Output<string>;
    })
  | (ReceiverBase & { readonly type: "pagerduty"; readonly routingKey: pulumi.Output<string> })
  | (ReceiverBase & { readonly type: "webhook"; readonly url: pulumi.Output<string> });

export interface AlertingConfig {
  readonly receivers: readonly AlertReceiverConfig[];
}

export const GRAFANA_EXPOSURES = ["none", "private"] as const;
export type GrafanaExposure = (typeof GRAFANA_EXPOSURES)[number];

/** The user's own certificate for a private endpoint, instead of one from the platform's CA. */
export interface PrivateTlsConfig {
  /** PEM: the server certificate, then any intermediates. */
  readonly certificate: string;
  /** PEM private key of the certificate (a secret). */
  readonly privateKey: pulumi.Output<string>;
  /** PEM of the CA that issued it, which clients trust. */
  readonly caCertificate: string;
}

export interface GrafanaConfig {
  /** @default true, except in remote mode (the central platform's Grafana shows this tenant) */
  readonly enabled?: boolean;
  /** URL users reach Grafana at (`server.root_url`); OIDC redirects and `exposure: private` need it. */
  readonly rootUrl?: string;
  /**
   * `none`: a ClusterIP Service (port-forward); `private`: a private load balancer of the cloud,
   * HTTPS served by Grafana itself with a certificate for rootUrl's host. There is no public
   * option. @default "none"
   */
  readonly exposure?: GrafanaExposure;
  /** `private`: networks admitted to its load balancer (`loadBalancerSourceRanges`). @default the cloud's */
  readonly allowedCidrs?: readonly string[];
  /** `private`: the user's certificate for rootUrl's host. @default one from the platform's private CA */
  readonly tls?: PrivateTlsConfig;
  /** Generic OAuth2/OIDC sign-in. */
  readonly oidc?: {
    readonly clientId: string;
    readonly clientSecret: pulumi.Output<string>;
    readonly authUrl: string;
    readonly tokenUrl: string;
    readonly apiUrl: string;
    /** @default "openid profile email" */
    readonly scopes?: string;
    /** JMESPath over the ID token/userinfo that yields Admin, Editor or Viewer. */
    readonly roleAttributePath?: string;
  };
}

export interface CentralObservabilityConfig {
  /** Tenant ids of the platforms that send here (their `officeless:name`). */
  readonly tenants: readonly string[];
  /**
   * Private DNS name of the write path, which you point at its internal load balancer: its TLS
   * certificate names it and remote platforms dial it. Required.
   */
  readonly hostname?: string;
  /** The user's certificate for `hostname`. @default one from the platform's private CA */
  readonly tls?: PrivateTlsConfig;
  /**
   * Networks allowed to the write path's load balancer (`loadBalancerSourceRanges`): the remote
   * platforms' node networks. @default the cloud's default for a private load balancer (on AWS
   * the VPC's own CIDR only, so peered networks must be listed)
   */
  readonly allowedCidrs?: readonly string[];
}

export interface RemoteObservabilityConfig {
  /** The central platform's stack (`org/project/stack`) whose `central` output it reads. */
  readonly stack: string;
}

export interface BackupConfig {
  readonly enabled: boolean;
  /** Days recovery points are kept. */
  readonly retentionDays: number;
  /** Cron schedule in the cloud's syntax, e.g. `cron(0 3 * * ? *)` on AWS. */
  readonly schedule: string;
  /** Copies of every recovery point in a vault of another region (AWS Backup copy actions). */
  readonly crossRegionCopy: CrossRegionConfig;
  /**
   * Alibaba Cloud only: disk snapshots by the nodes' instance tag (`instanceTag`, which ECS turns
   * on per account on request) or none (`off`, NAS backups only). Required there with backups on.
   */
  readonly diskSnapshots?: "instanceTag" | "off";
}

/** A flexible shape's size (OCI `nodeShapeConfig`): OCPUs and memory of every node of the pool. */
export interface OciFlexShape {
  readonly ocpus: number;
  readonly memoryInGbs: number;
}

/** Oracle Cloud settings (`officeless:oci`), required when `cloud` is `oci`. */
export interface OciSettings {
  /** The compartment every resource is created in (`ocid1.compartment.oc1..`, or the tenancy's). */
  readonly compartmentId: string;
  /** The tenancy: users, groups and dynamic groups can only be created in its root compartment. */
  readonly tenancyId: string;
  /**
   * The tenancy's home region, where IAM resources are created and changed. @default `region`
   * (when it differs, IAM resources go through a provider for the home region)
   */
  readonly homeRegion?: string;
  /**
   * Vault key OCIDs (RSA, in this region) whose signatures images must carry: turns on OKE image
   * verification. @default none: image verification off
   */
  readonly imageSigningKeyIds: readonly string[];
  /**
   * OKE node cycling on the node pools (nodes replaced when a pool's settings change). OKE refuses
   * a placement change (zones, fault domains, subnet) with cycling on: turn it off for that `up`
   * (docs/clouds/oci.md, day-2 changes). @default true
   */
  readonly nodeCycling?: boolean;
  /**
   * The image of a velero-plugin-for-aws build with velero-io/velero-plugin-for-aws#335 (multipart
   * uploads OCI accepts), pinned by digest: turns on Velero backups of the cluster's claims.
   * @default none: Velero off on OCI (the released plugin fails every upload over 5 MiB there)
   */
  readonly veleroPluginImage?: string;
  /**
   * The email of the observability layer's IAM user (tenancies with identity domains require one,
   * unique in the tenancy; nobody signs in as it). @default `<name>-observability@users.officeless.invalid`
   */
  readonly serviceUserEmail?: string;
  /**
   * Size of every node on a flexible shape, by shape name (`VM.Standard.E5.Flex`), for all pools on
   * it. @default DEFAULT_OCI_FLEX_SHAPE
   */
  readonly flexShapes: Readonly<Record<string, OciFlexShape>>;
}

/** A node on a flexible shape without `officeless:oci.flexShapes.<shape>`: 2 OCPUs, 16 GB. */
export const DEFAULT_OCI_FLEX_SHAPE: OciFlexShape = { ocpus: 2, memoryInGbs: 16 };

/** Where per-layer stacks find each other. */
export interface StackReferenceConfig {
  /** Pulumi organization; unset uses the current stack's organization. */
  readonly organization?: string;
  /** Pulumi project; unset uses the current project. */
  readonly project?: string;
  /** The base stack layer stacks derive from; unset strips `-<layer>` from the current stack name. */
  readonly baseStack?: string;
}

/** The validated stack configuration: every default resolved, every rule checked. */
export interface PlatformConfig {
  /** Prefix of every logical and physical name, e.g. `officeless-prod`. */
  readonly name: string;
  readonly cloud: CloudId;
  readonly environment: Environment;
  readonly region: string;
  readonly zones: readonly string[];
  readonly network: NetworkConfig;
  readonly kubernetes: KubernetesConfig;
  readonly storage: StorageConfig;
  readonly vpn: VpnConfig;
  readonly cache: CacheConfig;
  readonly observability: ObservabilityConfig;
  readonly backup: BackupConfig;
  readonly tags: Tags;
  /** The on-prem site (`officeless:onprem`): set exactly when `cloud` is onprem. */
  readonly onprem?: OnpremConfig;
  /** Build only this layer (one stack per layer); unset builds every layer in one stack. */
  readonly layer?: LayerName;
  readonly stackReference: StackReferenceConfig;
  /** Oracle Cloud settings; present exactly when `cloud` is `oci`. */
  readonly oci?: OciSettings;
}

/**
 * What a component passes its backend: where children go and how they are named, tagged and
 * protected. `parent` is the component itself, so providers flow down to every child.
 */
export interface Scope {
  /** The component's name: child names are `${name}-<role>`. */
  readonly name: string;
  readonly parent: pulumi.ComponentResource;
  /** User tags plus environment, layer and managed-by. */
  readonly tags: Tags;
  /** Protect stateful children (keys, buckets, file systems, caches, vaults): true in prod. */
  readonly protect: boolean;
}

/** Settings every component takes besides its layer's own. */
export interface CommonArgs {
  /** Which backend builds the children. */
  readonly cloud: CloudId;
  readonly region: string;
  readonly environment: Environment;
  /** User tags; environment, layer and managed-by are added. */
  readonly tags?: Tags;
  /** Protect stateful resources. @default true when environment is prod */
  readonly protect?: boolean;
  /** Oracle Cloud settings (compartment, tenancy); the OCI backend requires them. */
  readonly oci?: OciSettings;
  /** The on-prem site's facts, which the onprem backend reads in place of a cloud API (cloud onprem only). */
  readonly onprem?: OnpremConfig;
}

/** Builds the scope a component hands to its backend. */
export function scopeOf(
  parent: pulumi.ComponentResource,
  name: string,
  layer: string,
  args: CommonArgs,
): Scope {
  return {
    name,
    parent,
    tags: {
      ...(args.tags ?? {}),
      [TAG_KEYS.environment]: args.environment,
      [TAG_KEYS.layer]: layer,
      [TAG_KEYS.managedBy]: MANAGED_BY,
    },
    protect: args.protect ?? args.environment === "prod",
  };
}

/** Tag key (value `true`) that the backup plan selects volumes and file systems by. */
export const BACKUP_SELECTION_TAG = "officeless-backup";
