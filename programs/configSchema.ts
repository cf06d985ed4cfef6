/**
 * The shape of the `officeless:` stack configuration: the zod schema of every key (types, ranges,
 * single-field formats) and every default, in one place. Parsing, the cross-field rules and the
 * error messages live in programs/config.ts, which re-exports what is public here.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  ALERT_SEVERITIES,
  CacheConfig,
  CloudId,
  COLLECTOR_PRESETS,
  DEFAULT_MAINTENANCE_WINDOW,
  DEFAULT_WEBHOOK_PORTS,
  ENVIRONMENTS,
  GRAFANA_EXPOSURES,
  Environment,
  LAYERS,
  NetworkConfig,
  OBSERVABILITY_MODES,
  WEEKDAYS,
} from "../components/types";
import { isCloudId, plannedClouds, supportedClouds } from "../providers/registry";
import { DEFAULT_KUBERNETES_VERSION } from "../components/versions";
import { OBSERVABILITY_DEFAULTS } from "../components/observabilitySettings";
import { userTlsProblems } from "../components/tlsCheck";
import { ONPREM_CLUSTER_MODES, ONPREM_DISTRIBUTIONS } from "../providers/onprem/types";

/**
 * Stands in for `secure:` values in the offline plan, which has no key to decrypt them. Rules that
 * would judge the secret's content accept it; the real run checks the real value.
 */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-plan-secret-placeholder";

/**
 * Longest `officeless:name`: backends append role suffixes to it, and the tightest AWS physical-name
 * limits are 32-40 characters (load balancers and target groups, ElastiCache ids).
 */
export const MAX_NAME_LENGTH = 24;

/** Every default of the stack configuration. Those that depend on the environment are functions. */
export const DEFAULTS = {
  name: (environment: Environment): string => `officeless-${environment}`,
  network: {
    publicSubnetPrefix: 24,
    privateSubnetPrefix: 19,
    databaseSubnetPrefix: 24,
    natGateways: (environment: Environment): NetworkConfig["natGateways"] =>
      environment === "prod" ? "perZone" : "single",
    flowLogRetentionDays: (environment: Environment): number => (environment === "prod" ? 90 : 14),
    webhookPorts: DEFAULT_WEBHOOK_PORTS,
  },
  kubernetes: {
    version: DEFAULT_KUBERNETES_VERSION,
    logRetentionDays: 90,
    endpoint: { dnsAccess: false },
    pool: { spot: false, diskSizeGb: 100 },
    maintenanceWindow: DEFAULT_MAINTENANCE_WINDOW,
  },
  storage: {
    blockDefaultClass: true,
    fileEnabled: true,
    lifecycle: {
      transitionToInfrequentAccessDays: 30,
      noncurrentVersionExpirationDays: 90,
      abortIncompleteMultipartUploadDays: 7,
    },
    accessLogging: true,
    /** A copy of the buckets in another region: prod only by default (it doubles storage cost). */
    replication: (environment: Environment): boolean => environment === "prod",
  },
  vpn: { enabled: false },
  cache: {
    enabled: true,
    engine: "valkey" as CacheConfig["engine"],
    size: "small" as CacheConfig["size"],
    replicas: (environment: Environment): number => (environment === "prod" ? 2 : 0),
    highAvailability: (environment: Environment): boolean => environment === "prod",
  },
  observability: OBSERVABILITY_DEFAULTS,
  onprem: {
    ssh: { user: "root", port: 22 },
    /** K3s's own defaults, so a cluster built without them keeps its ranges. */
    k3s: { clusterCidr: "10.42.0.0/16", serviceCidr: "10.43.0.0/16" },
    loadBalancerMode: "l2" as const,
    s3: { region: "us-east-1", forcePathStyle: true },
    backupSnapshotMoveData: true,
  },
  backup: {
    enabled: true,
    retentionDays: 35,
    /** Daily at 03:00 UTC, in the cloud's syntax (GCP's backend converts the AWS form). */
    schedule: (cloud: CloudId | undefined): string =>
      cloud === "azure"
        ? "R/2025-01-01T03:00:00+00:00/P1D"
        : cloud === "onprem"
          ? "0 3 * * *" // Velero's Schedule takes a standard 5-field cron
          : "cron(0 3 * * ? *)",
    /** Recovery points copied to another region: prod only by default. */
    crossRegionCopy: (environment: Environment): boolean => environment === "prod",
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Schema: shapes, types, ranges and single-field formats. Messages start lower-case so the
// formatter can tell them from zod's own.

/** How a value reads in a message: "a list", "a map", "a string", ... */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return `a ${typeof value}`;
}

/** `pulumi config set --path` may store numbers and booleans as strings; accept those spellings. */
function int(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    z
      .number({
        error: (issue) =>
          issue.code === "invalid_type"
            ? `must be a whole number, got ${kindOf(issue.input)}`
            : undefined,
      })
      .int()
      .min(min)
      .max(max),
  );
}
function bool() {
  return z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());
}
/** `""` counts as unset: Pulumi.yaml declares optional keys with an empty default. */
function emptyAsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
}

/** `{}` and `""` count as unset: Pulumi.yaml declares an optional map with an empty default. */
function emptyMapAsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (v) =>
      v === "" ||
      (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0)
        ? undefined
        : v,
    schema.optional(),
  );
}

const LOWER_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const NAME_RULE =
  "must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen";
/** AWS's rule for VPN tunnel pre-shared keys. */
const PRE_SHARED_KEY = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;

const cloudSchema = z.string().superRefine((value, ctx) => {
  if (!isCloudId(value)) {
    ctx.addIssue({
      code: "custom",
      message: `is not a known cloud; supported: ${supportedClouds().join(", ")} (planned: ${plannedClouds().join(", ")})`,
    });
  } else if (plannedClouds().includes(value)) {
    ctx.addIssue({
      code: "custom",
      message: `is not supported yet; supported: ${supportedClouds().join(", ")}; planned: ${plannedClouds().join(", ")}`,
    });
  }
});

const nameSchema = emptyAsUnset(
  z
    .string()
    .regex(LOWER_NAME, { error: NAME_RULE })
    .refine((v) => v.length <= MAX_NAME_LENGTH, {
      error: `must be at most ${MAX_NAME_LENGTH} characters so derived physical names stay under AWS limits`,
    }),
);

const cidrList = z.array(z.string());

const networkSchema = z.strictObject({
  cidr: z.string(),
  publicSubnetPrefix: int(16, 28).default(DEFAULTS.network.publicSubnetPrefix),
  privateSubnetPrefix: int(16, 28).default(DEFAULTS.network.privateSubnetPrefix),
  databaseSubnetPrefix: int(0, 28)
    .refine((v) => v === 0 || v >= 16, {
      error: "must be 0 (no database tier) or between 16 and 28",
    })
    .default(DEFAULTS.network.databaseSubnetPrefix),
  natGateways: z.enum(["perZone", "single"]).optional(),
  flowLogRetentionDays: int(1, 3653).optional(),
  webhookPorts: z
    .array(int(1, 65535))
    .max(50)
    .refine((ports) => new Set(ports).size === ports.length, {
      error: "must not list a port twice",
    })
    .default([...DEFAULTS.network.webhookPorts]),
});

const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

const nodePoolSchema = z.strictObject({
  name: z.string().regex(LOWER_NAME, { error: NAME_RULE }).max(20),
  // An empty list is reported by the shared rules (kubernetesIssues), which components run too.
  instanceTypes: z.array(z.string().min(1)),
  minSize: int(0, 1000),
  maxSize: int(0, 1000),
  desiredSize: int(0, 1000).optional(),
  spot: bool().default(DEFAULTS.kubernetes.pool.spot),
  diskSizeGb: int(20, 16384).default(DEFAULTS.kubernetes.pool.diskSizeGb),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z.array(taintSchema).default([]),
});

/** GKE's rule: at least 48 hours of maintenance availability in any 32 days (a weekday occurs 4+ times). */
export const MIN_MAINTENANCE_HOURS_PER_32_DAYS = 48;

const maintenanceWindowSchema = z
  .strictObject({
    startTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be HH:MM in UTC, e.g. "03:00"' })
      .default(DEFAULTS.kubernetes.maintenanceWindow.startTime),
    // GKE refuses windows shorter than 4 contiguous hours.
    durationHours: int(4, 24).default(DEFAULTS.kubernetes.maintenanceWindow.durationHours),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .refine((days) => new Set(days).size === days.length, { error: "must not list a day twice" })
      .default([...DEFAULTS.kubernetes.maintenanceWindow.days]),
  })
  .refine((w) => w.days.length * 4 * w.durationHours >= MIN_MAINTENANCE_HOURS_PER_32_DAYS, {
    error: `must leave GKE ${MIN_MAINTENANCE_HOURS_PER_32_DAYS} hours in any 32 days: days x durationHours x 4 must reach ${MIN_MAINTENANCE_HOURS_PER_32_DAYS} (e.g. every day for 4 hours, or SA and SU for 6)`,
  })
  .prefault({});

const kubernetesSchema = z.strictObject({
  version: z.string().default(DEFAULTS.kubernetes.version),
  nodePools: z.array(nodePoolSchema),
  endpoint: z
    .strictObject({
      publicAccessCidrs: cidrList.default([]),
      privateAccessCidrs: cidrList.default([]),
      dnsAccess: bool().default(DEFAULTS.kubernetes.endpoint.dnsAccess),
    })
    .prefault({}),
  logRetentionDays: int(1, 3653).default(DEFAULTS.kubernetes.logRetentionDays),
  maintenanceWindow: maintenanceWindowSchema,
  adminPrincipals: z.array(z.string()).default([]),
  /** CCE only: the Cluster Autoscaler add-on build (providers/huawei/catalog.ts); refused elsewhere. */
  autoscalerAddonVersion: z.string().optional(),
});

/** `enabled` defaults by environment (resolved in config.ts); `region` defaults per cloud region. */
const crossRegionSchema = z
  .strictObject({
    enabled: bool().optional(),
    region: z
      .string()
      // The shape only (AWS, GCP and Azure names differ); each cloud's catalog checks the name.
      .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
        error: 'must be a region name like "eu-central-1" (AWS) or "northeurope" (Azure)',
      })
      .optional(),
  })
  .prefault({});

const storageSchema = z.strictObject({
  block: z
    .strictObject({ defaultClass: bool().default(DEFAULTS.storage.blockDefaultClass) })
    .prefault({}),
  file: z.strictObject({ enabled: bool().default(DEFAULTS.storage.fileEnabled) }).prefault({}),
  object: z
    .strictObject({
      lifecycle: z
        .strictObject({
          transitionToInfrequentAccessDays: int(0, 36500).default(
            DEFAULTS.storage.lifecycle.transitionToInfrequentAccessDays,
          ),
          noncurrentVersionExpirationDays: int(1, 36500).default(
            DEFAULTS.storage.lifecycle.noncurrentVersionExpirationDays,
          ),
          abortIncompleteMultipartUploadDays: int(1, 36500).default(
            DEFAULTS.storage.lifecycle.abortIncompleteMultipartUploadDays,
          ),
        })
        .prefault({}),
      accessLogging: bool().default(DEFAULTS.storage.accessLogging),
      replication: crossRegionSchema,
    })
    .prefault({}),
});

const peerSchema = z.strictObject({
  name: z.string().regex(LOWER_NAME, { error: NAME_RULE }).max(20),
  publicIp: z.string(),
  cidrs: cidrList,
  bgpAsn: int(0, 4294967295).optional(),
  // The format (IPv4) is a shared rule and the ranges each cloud's own (providers/<cloud>/catalog.ts).
  bgpPeerAddress: z.string().optional(),
  preSharedKey: z
    .string()
    .refine((v) => v === OFFLINE_SECRET_PLACEHOLDER || PRE_SHARED_KEY.test(v), {
      error:
        "must be 8-64 characters of letters, digits, . and _, and must not start with 0 (AWS's rule)",
    })
    .optional(),
});

const vpnSchema = z.strictObject({
  enabled: bool().default(DEFAULTS.vpn.enabled),
  peers: z.array(peerSchema).default([]),
});

const cacheSchema = z.strictObject({
  enabled: bool().default(DEFAULTS.cache.enabled),
  engine: z.enum(["valkey", "redis"]).default(DEFAULTS.cache.engine),
  version: z
    .string()
    .regex(/^\d+(\.\d+){0,2}$/, { error: 'must be an engine version like "8.0" or "7.1"' })
    .optional(),
  size: z.enum(["small", "medium", "large"]).default(DEFAULTS.cache.size),
  nodeType: z.string().min(1).optional(),
  replicas: int(0, 5).optional(),
  highAvailability: bool().optional(),
});

/** Mimir's, Loki's and Tempo's tenant ids allow more; this keeps one id usable as a Kubernetes and DNS label. */
const TENANT_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const tenantId = z.string().regex(TENANT_ID, {
  error:
    "must be a tenant id: lowercase letters, digits and hyphens, at most 63 (a platform's officeless:name)",
});
const httpsUrl = z.string().regex(/^https?:\/\/[^\s]+$/, { error: "must be an http(s) URL" });
const severities = z
  .array(z.enum(ALERT_SEVERITIES))
  .min(1)
  .refine((s) => new Set(s).size === s.length, { error: "must not list a severity twice" })
  .optional();
const receiverName = z.string().regex(LOWER_NAME, { error: NAME_RULE }).max(40);
/**
 * A `secure:` value, or the offline plan's placeholder for one. Observability's secret fields
 * are checked for being stored as secrets in config.ts (the value is never shown).
 */
const secretText = z.string().min(1);
const receiverSchema = z.discriminatedUnion("type", [
  z.strictObject({
    name: receiverName,
    type: z.literal("email"),
    severities,
    to: z.string().regex(/^[^@\s]+@[^@\s]+$/, { error: "must be an email address" }),
    from: z.string().regex(/^[^@\s]+@[^@\s]+$/, { error: "must be an email address" }),
    smarthost: z.string().regex(/^[^\s:]+:\d{1,5}$/, { error: 'must be "host:port"' }),
    authUsername: z.string().min(1).optional(),
    authPassword: secretText.optional(),
  }),
  z.strictObject({
    name: receiverName,
    type: z.literal("slack"),
    severities,
    channel: z.string().min(1),
    apiUrl: secretText,
  }),
  z.strictObject({
    name: receiverName,
    type: z.literal("pagerduty"),
    severities,
    routingKey: secretText,
  }),
  z.strictObject({ name: receiverName, type: z.literal("webhook"), severities, url: secretText }),
]);

/** The user's own certificate for a private endpoint; checked against its host where the host is known. */
const userTlsSchema = z.strictObject({
  certificate: secretText,
  privateKey: secretText,
  caCertificate: secretText,
});
type UserTls = z.infer<typeof userTlsSchema>;

/** Adds an issue per problem of a user's certificate (none for the offline plan's placeholders). */
function checkUserTls(tls: UserTls | undefined, host: string | undefined, ctx: z.RefinementCtx) {
  if (!tls || Object.values(tls).includes(OFFLINE_SECRET_PLACEHOLDER)) return;
  for (const p of userTlsProblems(tls, host))
    ctx.addIssue({ code: "custom", path: ["tls", p.field], message: p.message });
}

const hostOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).hostname : undefined;
  } catch {
    return undefined;
  }
};

const observabilitySchema = z.strictObject({
  enabled: bool().default(DEFAULTS.observability.enabled),
  retentionDays: int(1, 3650).default(DEFAULTS.observability.retentionDays),
  // Unset is DEFAULTS.observability.mode (resolved in observabilitySettings).
  mode: z.enum(OBSERVABILITY_MODES).optional(),
  // Unset entries take retentionDays (observabilitySettings); set ones are refused in remote mode.
  retention: z
    .strictObject({
      metrics: int(1, 3650).optional(),
      logs: int(1, 3650).optional(),
      traces: int(1, 3650).optional(),
    })
    .optional(),
  collectorPreset: z.enum(COLLECTOR_PRESETS).optional(),
  alerting: z.strictObject({ receivers: z.array(receiverSchema).max(20).default([]) }).prefault({}),
  grafana: z
    .strictObject({
      enabled: bool().optional(),
      rootUrl: httpsUrl.optional(),
      oidc: z
        .strictObject({
          clientId: z.string().min(1),
          clientSecret: secretText,
          authUrl: httpsUrl,
          tokenUrl: httpsUrl,
          apiUrl: httpsUrl,
          scopes: z.string().min(1).optional(),
          roleAttributePath: z.string().min(1).optional(),
        })
        .optional(),
      exposure: z.enum(GRAFANA_EXPOSURES).optional(),
      allowedCidrs: z.array(z.string()).max(50).optional(),
      tls: userTlsSchema.optional(),
    })
    .superRefine((g, ctx) => checkUserTls(g.tls, hostOf(g.rootUrl), ctx))
    .optional(),
  autoscaling: z
    .strictObject({ enabled: bool().default(DEFAULTS.observability.autoscaling) })
    .optional(),
  central: z
    .strictObject({
      tenants: z
        .array(tenantId)
        .min(1)
        .max(100)
        .refine((t) => new Set(t).size === t.length, { error: "must not list a tenant twice" }),
      hostname: z
        .string()
        .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
          error: "must be a DNS name like obs.internal.example.com",
        })
        .optional(),
      allowedCidrs: z.array(z.string()).max(50).optional(),
      tls: userTlsSchema.optional(),
    })
    .superRefine((c, ctx) => checkUserTls(c.tls, c.hostname, ctx))
    .optional(),
  remote: z
    .strictObject({
      stack: z.string().regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, {
        error: 'must be the central stack\'s full name, "<organization>/<project>/<stack>"',
      }),
    })
    .optional(),
});

const backupSchema = z.strictObject({
  enabled: bool().default(DEFAULTS.backup.enabled),
  retentionDays: int(1, 36500).default(DEFAULTS.backup.retentionDays),
  schedule: z.string().min(1).optional(),
  crossRegionCopy: crossRegionSchema,
  /** Alibaba Cloud only: `instanceTag` (ECS must allow-list the account first) or `off`. */
  diskSnapshots: z.enum(["instanceTag", "off"]).optional(),
});

/** An OCI resource id: `ocid1.<type>.<realm>.[region].<unique>` (docs.oracle.com, Resource Identifiers). */
export const OCID = /^ocid1\.[a-z0-9]+\.[a-z0-9-]+(\.[a-z0-9-]*)*\.[a-z0-9]+$/;
const ocid = (type: string, example: string) =>
  z.string().refine((v) => OCID.test(v) && v.split(".")[1] === type, {
    error: `must be an OCI ${type} OCID, e.g. ${example}`,
  });

/** Oracle Cloud settings; required (and checked) for `cloud: oci` in programs/config.ts. */
const ociSchema = z.strictObject({
  compartmentId: z
    .string()
    .refine((v) => OCID.test(v) && /^(compartment|tenancy)$/.test(v.split(".")[1]), {
      error: "must be a compartment (or tenancy) OCID, e.g. ocid1.compartment.oc1..aaaaaaaa...",
    }),
  tenancyId: ocid("tenancy", "ocid1.tenancy.oc1..aaaaaaaa..."),
  homeRegion: z
    .string()
    .regex(/^[a-z]+-[a-z]+-\d+$/, { error: 'must be an OCI region name like "eu-frankfurt-1"' })
    .optional(),
  serviceUserEmail: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: "must be an email address" })
    .optional(),
  imageSigningKeyIds: z.array(ocid("key", "ocid1.key.oc1.eu-frankfurt-1.aaaaaaaa...")).default([]),
  nodeCycling: z.boolean().optional(),
  veleroPluginImage: z
    .string()
    .regex(/^[^\s@]+@sha256:[0-9a-f]{64}$/, {
      error:
        "must be an image pinned by digest, e.g. registry.example.com/velero-plugin-for-aws:v1.14.3-oci@sha256:<64 hex digits>",
    })
    .optional(),
  flexShapes: z
    .record(z.string(), z.strictObject({ ocpus: int(1, 114), memoryInGbs: int(1, 1760) }))
    .default({}),
});

// ---------------------------------------------------------------------------------------------
// officeless:onprem: the customer's data centre. Shapes here; what combines with what (modes,
// distributions, addresses inside the declared networks) in providers/onprem/catalog.ts.

/** A Kubernetes label value (zones and node names become labels): at most 63 characters. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_RULE =
  "must be a DNS label: lowercase letters, digits and hyphens, at most 63 characters, starting and ending with a letter or digit";
/** `host` or `host:port`, no scheme and no path: the form Mimir, Loki, Tempo and Velero share. */
const S3_ENDPOINT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/;

/** A kubeconfig with a cluster server, checked on the plain text before it becomes a secret. */
const kubeconfigText = secretText.superRefine((text, ctx) => {
  if (text === OFFLINE_SECRET_PLACEHOLDER) return;
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be a kubeconfig (YAML); it does not parse" });
    return;
  }
  const clusters = (doc as { clusters?: { cluster?: { server?: unknown } }[] } | null)?.clusters;
  const server = Array.isArray(clusters) ? clusters[0]?.cluster?.server : undefined;
  if (typeof server !== "string" || !/^https:\/\//.test(server)) {
    ctx.addIssue({
      code: "custom",
      message:
        "must be a kubeconfig whose first cluster has an https:// server (kubectl config view --minify --flatten --raw)",
    });
  }
  if (/"insecure-skip-tls-verify":true/.test(JSON.stringify(doc ?? {}))) {
    ctx.addIssue({
      code: "custom",
      message:
        "must verify the API server's certificate: remove insecure-skip-tls-verify and include certificate-authority-data",
    });
  }
  // The runner and every layer stack read it, so it must carry its files inline (--flatten).
  const files = JSON.stringify(doc ?? {}).match(
    /"(certificate-authority|client-certificate|client-key|tokenFile)":/,
  );
  if (files) {
    ctx.addIssue({
      code: "custom",
      message: `must be self-contained: it refers to a file (${files[1]}); export it with kubectl config view --minify --flatten --raw`,
    });
  }
  const users = (doc as { users?: { user?: { exec?: unknown } }[] } | null)?.users;
  if (Array.isArray(users) && users.some((u) => u?.user?.exec !== undefined)) {
    ctx.addIssue({
      code: "custom",
      message:
        "must not use an exec credential plugin (the deploy runner may not have it): use a client certificate or a service-account token",
    });
  }
});

/** An OpenSSH public host key line, as `ssh-keyscan` prints it without the host name. */
const hostKeySchema = z
  .string()
  .regex(/^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]+=*$/, {
    error:
      'must be the host\'s public SSH key as "<type> <base64>", e.g. from: ssh-keyscan -t ed25519 <address> | cut -d" " -f2-',
  });

const hostSchema = z.strictObject({
  name: z.string().regex(DNS_LABEL, { error: DNS_LABEL_RULE }),
  address: z.string(),
  zone: z.string(),
  hostKey: hostKeySchema.optional(),
});

const s3EndpointShape = {
  endpoint: z.string().regex(S3_ENDPOINT, {
    error: 'must be a host or host:port without scheme or path, e.g. "s3.dc1.example.com"',
  }),
  region: z.string().min(1).default(DEFAULTS.onprem.s3.region),
  forcePathStyle: bool().default(DEFAULTS.onprem.s3.forcePathStyle),
  bucketPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$/, {
      error: "must be 3-42 lowercase letters, digits and hyphens (an S3 bucket name prefix)",
    })
    .optional(),
  accessKeyId: z.string().min(1),
  secretAccessKey: secretText,
};

const onpremSchema = z.strictObject({
  distribution: z.enum(ONPREM_DISTRIBUTIONS),
  cluster: z.strictObject({
    mode: z.enum(ONPREM_CLUSTER_MODES),
    kubeconfig: kubeconfigText.optional(),
    k3s: z
      .strictObject({
        version: z
          .string()
          .regex(/^v1\.\d{2}\.\d{1,2}\+k3s\d$/, {
            error: 'must be a K3s release like "v1.36.1+k3s1"',
          })
          .optional(),
        servers: z.array(hostSchema).min(1),
        agents: z.array(hostSchema).default([]),
        apiAddress: z.string().optional(),
        clusterCidr: z.string().default(DEFAULTS.onprem.k3s.clusterCidr),
        serviceCidr: z.string().default(DEFAULTS.onprem.k3s.serviceCidr),
      })
      .optional(),
  }),
  ssh: z
    .strictObject({
      user: z
        .string()
        .regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: "must be a Linux user name" })
        .default(DEFAULTS.onprem.ssh.user),
      port: int(1, 65535).default(DEFAULTS.onprem.ssh.port),
      privateKey: secretText,
    })
    .optional(),
  nodeNetworks: z.array(z.strictObject({ zone: z.string(), cidr: z.string() })).min(1),
  loadBalancer: z.strictObject({
    mode: z.enum(["l2", "bgp"]).default(DEFAULTS.onprem.loadBalancerMode),
    addressPools: z
      .array(
        z.strictObject({
          name: z.string().regex(DNS_LABEL, { error: DNS_LABEL_RULE }).max(40),
          addresses: z.array(z.string()).min(1),
        }),
      )
      .min(1),
    bgp: z
      .strictObject({
        localAsn: int(1, 4294967295),
        peers: z.array(z.strictObject({ address: z.string(), asn: int(1, 4294967295) })).min(1),
      })
      .optional(),
    gatewayHostname: z
      .string()
      .regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: 'must be a lowercase DNS name or a "*." wildcard, e.g. "apps.dc1.example.com"',
      })
      .optional(),
  }),
  storage: z
    .strictObject({
      block: z
        .strictObject({
          provider: z.enum(["rook-ceph", "longhorn", "existing"]).default("rook-ceph"),
          storageClassName: z.string().regex(DNS_LABEL, { error: DNS_LABEL_RULE }).optional(),
        })
        .prefault({}),
      // Unset follows the block provider: CephFS and RGW when Ceph runs anyway (config.ts).
      file: z
        .strictObject({
          provider: z.enum(["rook-ceph", "nfs", "none"]).optional(),
          nfs: z
            .strictObject({
              server: z.string().min(1),
              share: z.string().regex(/^\//, {
                error: 'must be an absolute export path, e.g. "/exports/officeless"',
              }),
            })
            .optional(),
        })
        .prefault({}),
      object: z
        .strictObject({
          provider: z.enum(["rook-ceph", "external"]).optional(),
          external: z.strictObject(s3EndpointShape).optional(),
        })
        .prefault({}),
      ceph: z
        .strictObject({
          deviceFilter: z
            .string()
            .min(1)
            .refine(
              (v) => {
                try {
                  new RegExp(v);
                  return true;
                } catch {
                  return false;
                }
              },
              { error: 'must be a regular expression over device names, e.g. "^sd[b-z]"' },
            )
            .optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  autoscaling: z
    .strictObject({
      provider: z.enum(["none", "clusterapi", "rancher"]).default("none"),
      clusterapi: z
        .strictObject({ clusterName: z.string().min(1), namespace: z.string().min(1) })
        .optional(),
      rancher: z
        .strictObject({
          url: z
            .string()
            .regex(/^https:\/\/[^\s/]+/, { error: "must be the Rancher server's https:// URL" }),
          clusterName: z.string().min(1),
          clusterNamespace: z.string().min(1).default("fleet-default"),
          token: secretText,
        })
        .optional(),
    })
    .prefault({}),
  vpn: z
    .strictObject({
      localPublicIp: z.string().optional(),
      gatewayHost: z
        .strictObject({ address: z.string(), hostKey: hostKeySchema.optional() })
        .optional(),
    })
    .prefault({}),
  backup: z
    .strictObject({
      target: z.enum(["external", "rook-ceph"]).optional(),
      external: z
        .strictObject({
          ...s3EndpointShape,
          bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
            error: "must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens",
          }),
        })
        .optional(),
      snapshotMoveData: bool().default(DEFAULTS.onprem.backupSnapshotMoveData),
    })
    .prefault({}),
});

/** Paths below `officeless:onprem` that hold secrets: they must be set with --secret and never appear in messages. */
export const ONPREM_SECRET_PATHS: readonly (readonly string[])[] = [
  ["cluster", "kubeconfig"],
  ["ssh", "privateKey"],
  ["storage", "object", "external", "secretAccessKey"],
  ["backup", "external", "secretAccessKey"],
  ["autoscaling", "rancher", "token"],
];

const stackReferenceSchema = z.strictObject({
  organization: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  baseStack: z.string().min(1).optional(),
});

/** The schema of every `officeless:` key, in the order problems are reported. */
export const SECTIONS = {
  cloud: cloudSchema,
  environment: z.enum(ENVIRONMENTS),
  name: nameSchema,
  region: z.string().min(1),
  zones: z.array(z.string().min(1)),
  network: networkSchema,
  kubernetes: kubernetesSchema,
  storage: storageSchema.prefault({}),
  vpn: vpnSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  observability: observabilitySchema.prefault({}),
  backup: backupSchema.prefault({}),
  /** Required (and only allowed) when `cloud` is onprem; checked in config.ts. */
  onprem: emptyMapAsUnset(onpremSchema),
  tags: z.record(z.string(), z.string()).default({}),
  layer: emptyAsUnset(z.enum(LAYERS)),
  stackReference: stackReferenceSchema.prefault({}),
  /** Required (and only allowed) when `cloud` is oci; checked in config.ts. */
  oci: emptyMapAsUnset(ociSchema),
};
export type SectionKey = keyof typeof SECTIONS;
export type Parsed = { -readonly [K in SectionKey]?: z.output<(typeof SECTIONS)[K]> };
/** Every `officeless:` key, in the order problems are reported. */
export const CONFIG_KEYS = Object.keys(SECTIONS) as SectionKey[];
/** Config keys every stack must set. */
export const REQUIRED_KEYS: readonly SectionKey[] = [
  "cloud",
  "environment",
  "region",
  "zones",
  "network",
  "kubernetes",
];
