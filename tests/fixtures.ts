/**
 * Test fixtures every cloud shares, independent of the config parser: a valid platform config built
 * from what differs per cloud, the common args every component takes, upstream layer outputs built
 * from a cloud's ids (plain `pulumi.output` values, the way a downstream stack reads them) and the
 * Kubernetes provider option. The AWS config lives here too; each cloud's ids live in
 * tests/awsUpstream.ts, tests/gcpFixtures.ts and tests/azureFixtures.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesOutputs } from "../components/kubernetesCluster";
import { NetworkOutputs } from "../components/network";
import { BUCKET_PURPOSES, BucketPurpose, StorageOutputs } from "../components/storage";
import {
  CloudId,
  Environment,
  NodePoolConfig,
  PlatformConfig,
  Tags,
  VpnPeerConfig,
} from "../components/types";

/** What a cloud's fixture config sets; every other field is the same on every cloud. */
export interface CloudConfigSpec {
  readonly cloud: CloudId;
  readonly region: string;
  readonly zones: readonly string[];
  readonly cidr: string;
  /** Instance types of the `general` pool and of the `spot` pool. */
  readonly instanceTypes: { readonly general: readonly string[]; readonly spot: readonly string[] };
  /** Changes to the `spot` pool; unset keeps it as on AWS. */
  readonly spotPool?: Partial<NodePoolConfig>;
  /** Unset grants cluster admin to nobody but the deploying identity. */
  readonly adminPrincipals?: readonly string[];
  /** Changes to the one VPN peer, `office`; unset keeps static routes. */
  readonly vpnPeer?: Partial<VpnPeerConfig>;
  /** Cache replicas besides the primary; unset means 2. */
  readonly cacheReplicas?: number;
  /** Backup schedule in the cloud's syntax; unset means the AWS cron `cron(0 3 * * ? *)`. */
  readonly backupSchedule?: string;
  /** Unset means `team: platform` and `cost-center: 1234`. */
  readonly tags?: Tags;
}

/** A valid config for one cloud: `perZone` NAT and a highly available cache in prod only. */
export function platformConfig(environment: Environment, spec: CloudConfigSpec): PlatformConfig {
  const prod = environment === "prod";
  return {
    name: `officeless-${environment}`,
    cloud: spec.cloud,
    environment,
    region: spec.region,
    zones: spec.zones,
    network: {
      cidr: spec.cidr,
      publicSubnetPrefix: 24,
      privateSubnetPrefix: 19,
      databaseSubnetPrefix: 24,
      natGateways: prod ? "perZone" : "single",
      flowLogRetentionDays: 90,
    },
    kubernetes: {
      version: "1.36",
      nodePools: [
        {
          name: "general",
          instanceTypes: spec.instanceTypes.general,
          minSize: 1,
          maxSize: 5,
          desiredSize: 2,
          spot: false,
          diskSizeGb: 100,
          labels: { workload: "general" },
          taints: [],
        },
        {
          name: "spot",
          instanceTypes: spec.instanceTypes.spot,
          minSize: 0,
          maxSize: 10,
          desiredSize: 0,
          spot: true,
          diskSizeGb: 100,
          labels: { capacity: "spot" },
          taints: [{ key: "spot", value: "true", effect: "NoSchedule" }],
          ...spec.spotPool,
        },
      ],
      endpoint: { publicAccessCidrs: [], privateAccessCidrs: ["192.168.0.0/16"] },
      logRetentionDays: 90,
      adminPrincipals: spec.adminPrincipals ?? [],
    },
    storage: {
      block: { defaultClass: true },
      file: { enabled: true },
      object: {
        lifecycle: {
          transitionToInfrequentAccessDays: 30,
          noncurrentVersionExpirationDays: 90,
          abortIncompleteMultipartUploadDays: 7,
        },
        accessLogging: true,
        // The region default applies (AWS: the partner region of eu-west-1, eu-central-1).
        replication: { enabled: prod },
      },
    },
    vpn: {
      enabled: true,
      peers: [
        { name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"], ...spec.vpnPeer },
      ],
    },
    cache: {
      enabled: true,
      engine: "valkey",
      size: "medium",
      replicas: spec.cacheReplicas ?? 2,
      highAvailability: prod,
    },
    observability: { enabled: true, retentionDays: 30 },
    backup: {
      enabled: true,
      retentionDays: 35,
      schedule: spec.backupSchedule ?? "cron(0 3 * * ? *)",
      crossRegionCopy: { enabled: prod },
    },
    tags: spec.tags ?? { team: "platform", "cost-center": "1234" },
    stackReference: {},
  };
}

export function awsConfig(environment: Environment = "prod"): PlatformConfig {
  return platformConfig(environment, {
    cloud: "aws",
    region: "eu-west-1",
    zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    cidr: "10.20.0.0/16",
    instanceTypes: { general: ["m6i.large"], spot: ["m6i.xlarge", "m5.xlarge"] },
    adminPrincipals: ["arn:aws:iam::123456789012:role/platform-admin"],
  });
}

/** The common args every component takes, from a config. */
export function commonArgs(config: PlatformConfig) {
  const { cloud, region, environment, tags } = config;
  return { cloud, region, environment, tags };
}

/** Component options with a Kubernetes provider, as the program passes them. */
export function withKubernetes(): pulumi.ComponentResourceOptions {
  return { providers: { kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }) } };
}

/** One bucket name or id per purpose, in `BUCKET_PURPOSES` order. */
export function bucketsBy(id: (purpose: BucketPurpose) => string): Record<BucketPurpose, string> {
  const entries = BUCKET_PURPOSES.map((purpose) => [purpose, id(purpose)]);
  return Object.fromEntries(entries) as Record<BucketPurpose, string>;
}

export type SubnetTier = "public" | "private" | "database";

/** A cloud's network ids; the subnet, route table and NAT lists may depend on the zones. */
export interface NetworkIds {
  readonly networkId: string;
  readonly cidr: string;
  /** A tier's subnet ids: one per zone, or one regional subnet. */
  readonly subnetIds: (tier: SubnetTier, zones: readonly string[]) => string[];
  /** Unset means none: routes live on the network, not in per-zone tables. */
  readonly privateRouteTableIds?: (zones: readonly string[]) => string[];
  /** Unset means one egress address, `203.0.113.10`. */
  readonly natPublicIps?: (zones: readonly string[]) => string[];
}

/** A cloud's cluster ids; the CA, kubeconfig and pool names are the same everywhere. */
export interface KubernetesIds {
  readonly clusterName: string;
  readonly clusterId: string;
  readonly endpoint: string;
  readonly nodeSecurityGroupId: string;
  readonly clusterSecurityGroupId: string;
  readonly nodeIdentity: string;
  readonly oidcIssuerUrl: string;
  readonly encryptionKeyId: string;
  /** The version `kubernetesOutputs()` reports when called without one; unset means `1.36`. */
  readonly version?: string;
}

/** A cloud's storage ids; the StorageClass names are the same everywhere. */
export interface StorageIds {
  readonly fileSystemId: string;
  /** Read at each call: the outputs carry a copy. */
  readonly buckets: Readonly<Record<BucketPurpose, string>>;
  readonly encryptionKeyId: string;
}

/** Builders of the upstream layers' outputs; each call makes fresh outputs. */
export interface UpstreamOutputs {
  /** The network of `zones`; `databaseTier: false` leaves the database subnets empty. */
  networkOutputs(zones: readonly string[], databaseTier?: boolean): NetworkOutputs;
  kubernetesOutputs(version?: string): KubernetesOutputs;
  storageOutputs(): StorageOutputs;
}

/** Upstream layer outputs with every field, from one cloud's ids. */
export function upstreamOutputs(ids: {
  readonly network: NetworkIds;
  readonly kubernetes: KubernetesIds;
  readonly storage: StorageIds;
}): UpstreamOutputs {
  const { network, kubernetes, storage } = ids;
  return {
    networkOutputs: (zones, databaseTier = true) => ({
      networkId: pulumi.output(network.networkId),
      cidr: pulumi.output(network.cidr),
      zones: pulumi.output([...zones]),
      publicSubnetIds: pulumi.output(network.subnetIds("public", zones)),
      privateSubnetIds: pulumi.output(network.subnetIds("private", zones)),
      databaseSubnetIds: pulumi.output(databaseTier ? network.subnetIds("database", zones) : []),
      privateRouteTableIds: pulumi.output(network.privateRouteTableIds?.(zones) ?? []),
      natPublicIps: pulumi.output(network.natPublicIps?.(zones) ?? ["203.0.113.10"]),
    }),
    kubernetesOutputs: (version = kubernetes.version ?? "1.36") => ({
      clusterName: pulumi.output(kubernetes.clusterName),
      clusterId: pulumi.output(kubernetes.clusterId),
      endpoint: pulumi.output(kubernetes.endpoint),
      certificateAuthority: pulumi.output("Y2E="),
      kubeconfig: pulumi.secret("{}"),
      version: pulumi.output(version),
      nodeSecurityGroupId: pulumi.output(kubernetes.nodeSecurityGroupId),
      clusterSecurityGroupId: pulumi.output(kubernetes.clusterSecurityGroupId),
      nodeIdentity: pulumi.output(kubernetes.nodeIdentity),
      oidcIssuerUrl: pulumi.output(kubernetes.oidcIssuerUrl),
      encryptionKeyId: pulumi.output(kubernetes.encryptionKeyId),
      nodePoolNames: pulumi.output(["general", "spot"]),
    }),
    storageOutputs: () => ({
      blockStorageClass: pulumi.output("officeless-block"),
      fileSystemId: pulumi.output(storage.fileSystemId),
      fileStorageClass: pulumi.output("officeless-file"),
      buckets: pulumi.output({ ...storage.buckets }),
      encryptionKeyId: pulumi.output(storage.encryptionKeyId),
    }),
  };
}
