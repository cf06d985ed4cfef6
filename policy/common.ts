/**
 * Rules every cloud shares: stateful resources protected in prod, credentials passed as secrets,
 * cloud name limits, zone-aware replicas pinned to real zones. The lists they read (stateful types
 * per cloud, name limits per type) live beside them in the package, and the whole-plan tests read
 * the same lists.
 */
import { ZONE_LABEL } from "../components/observabilityValues";
import { NAME_LIMITS } from "./nameLimits";
import { CloudPolicies, OfficelessPolicy, ResourceView } from "./types";
import { eachKnown, valueAt } from "./views";

/** Input and output names that carry a credential wherever they appear. */
export const CREDENTIAL_NAME =
  /^(password|adminPassword|secret|sharedSecret|sharedKey|authToken|preSharedKey|tunnel\dPresharedKey|kubeconfig|privateKey|clientSecret|secretAccessKey|tunnelPreSharedKeys|primaryKey|secondaryKey)$/i;

/** Every leaf of a value with its dotted path (list items by index). */
export function* leaves(value: unknown, path = ""): Generator<[string, unknown]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* leaves(value[i], path ? `${path}.${i}` : `${i}`);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) yield* leaves(v, path ? `${path}.${k}` : k);
  } else {
    yield [path, value];
  }
}

const ENVIRONMENT_CONFIG = {
  environment: {
    type: "string" as const,
    enum: ["dev", "staging", "prod"],
    description:
      "The stack's environment; unset: the `environment` tag or label the platform puts on its resources",
  },
};

/**
 * Types that hold data or keys, by the shape of their type token across clouds (`:Bucket$` is an
 * S3, GCS or OSS bucket alike); a cloud's file adds what these miss.
 */
export const STATEFUL_TYPES: readonly RegExp[] = [
  /(:Bucket$|kms\/key:Key$|:KeyRing$|kms\/keyring:Keyring$|:CryptoKey$|:FileSystem$|:LogGroup$|:ReplicationGroup$|backup\/vault:Vault$|:StorageAccount$|:BlobContainer$|:FileShare$|keyvault:(Vault|Key)$|redisenterprise:(RedisEnterprise|Database)$|redis\/instance:Instance$|memorystore\/instance:Instance$|filestore\/instance:Instance$|:BackupVault$|operationalinsights:Workspace$|:DiskEncryptionSet$|:ProjectBucketConfig$|gkebackup\/backupPlan:BackupPlan$|Dew\/key:Key$|Sfs\/turbo:Turbo$|Dcs\/instance:Instance$|Cbr\/vault:Vault$|Lts\/group:Group$)/,
];

/** Whether a type holds data or keys, for any cloud of the pack. */
export function statefulIn(clouds: readonly CloudPolicies[]): (type: string) => boolean {
  const patterns = [...STATEFUL_TYPES, ...clouds.flatMap((c) => c.stateful)];
  return (type) => patterns.some((p) => p.test(type));
}

export function protectedInProd(clouds: readonly CloudPolicies[]): OfficelessPolicy {
  const stateful = statefulIn(clouds);
  return {
    kind: "stack",
    name: "officeless-stateful-protected-in-prod",
    description:
      "In prod, every resource that holds data or keys (buckets, file systems, caches, keys, vaults, log stores) is protected, so no destroy or replacement deletes it",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        ...ENVIRONMENT_CONFIG,
        extraStatefulTypes: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "More resource types (regular expressions) to treat as stateful",
        },
      },
    },
    validate(stack, { config, environment }, report) {
      if (environment !== "prod") return;
      const extra = ((config.extraStatefulTypes as string[] | undefined) ?? []).map(
        (t) => new RegExp(t),
      );
      for (const r of stack.resources)
        if ((stateful(r.type) || extra.some((p) => p.test(r.type))) && !r.protect)
          report(`${r.type} ${r.name} holds data or keys and is not protected`, r.urn);
    },
  };
}

export const secretsAsSecrets: OfficelessPolicy = {
  kind: "resource",
  name: "officeless-credentials-are-secrets",
  description:
    "Inputs that carry a credential (passwords, keys, tokens, kubeconfigs) are Pulumi secrets. Checked by the offline plan; a real preview's policies receive secrets unwrapped and cannot tell",
  enforcementLevel: "mandatory",
  validate(r, _context, report) {
    for (const [path, value] of leaves(r.props)) {
      const leaf = path.split(".").pop()!;
      if (!CREDENTIAL_NAME.test(leaf) || value === undefined) continue;
      if (r.isSecret(path) === false) report(`${path} carries a credential in plain text`);
    }
  },
};

/** A name Pulumi generates when the input is absent: the logical name, '-' and 7 characters. */
const autoName = (r: ResourceView) => `${r.name}-abc1234`;

export const nameLimits: OfficelessPolicy = {
  kind: "resource",
  name: "officeless-name-limits",
  description:
    "Cloud-side names fit their cloud's length and character rules (policy/nameLimits.ts, with the source of each limit)",
  enforcementLevel: "mandatory",
  types: [...new Set(NAME_LIMITS.map((l) => l.type))],
  validate(r, _context, report) {
    for (const limit of NAME_LIMITS.filter((l) => l.type === r.type)) {
      if (r.isSecret(limit.input)) continue;
      const explicit = valueAt(r.props, limit.input);
      const name =
        typeof explicit === "string" ? explicit : limit.autoname ? autoName(r) : undefined;
      if (name === undefined) continue;
      const how = typeof explicit === "string" ? "" : " (auto-named)";
      if (name.length > limit.max || name.length < (limit.min ?? 1))
        report(
          `${limit.input}${how} "${name}" is ${name.length} characters; ${r.type} allows ${limit.min ?? 1}-${limit.max}`,
        );
      else if (limit.pattern && !limit.pattern.test(name))
        report(`${limit.input}${how} "${name}" does not match ${limit.pattern}`);
    }
  },
};

/** Zone-aware replication blocks of a chart's values (Mimir `zones: [...]`, Loki `zoneA/B/C`). */
function zoneBlocks(
  values: unknown,
  path = "values",
): { path: string; zones: [string, unknown][] }[] {
  if (!values || typeof values !== "object") return [];
  const out: { path: string; zones: [string, unknown][] }[] = [];
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    if (k === "zoneAwareReplication" && v && typeof v === "object") {
      const zar = v as Record<string, unknown>;
      if (zar.enabled === false) continue;
      const zones: [string, unknown][] = Array.isArray(zar.zones)
        ? zar.zones.map((z, i) => [`zones.${i}`, z])
        : Object.entries(zar).filter(([name]) => /^zone[A-Z]$/.test(name));
      out.push({ path: `${path}.${k}`, zones });
    } else out.push(...zoneBlocks(v, `${path}.${k}`));
  }
  return out;
}

export const zonePinnedReplication: OfficelessPolicy = {
  kind: "resource",
  name: "officeless-zone-pinned-replication",
  description: `Zone-aware replicas (Mimir, Loki) select a real zone through the ${ZONE_LABEL} node label, not logical zones only`,
  enforcementLevel: "mandatory",
  types: ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"],
  validate(r, _context, report) {
    eachKnown(zoneBlocks(r.props.values), ({ path, zones }) => {
      if (!zones.length) report(`${path} replicates by zone without naming the zones`);
      for (const [name, zone] of zones) {
        const selector = valueAt(zone, "nodeSelector") as Record<string, unknown> | undefined;
        if (typeof selector?.[ZONE_LABEL] !== "string" || !selector[ZONE_LABEL])
          report(`${path}.${name} is not pinned to a zone (nodeSelector ${ZONE_LABEL})`);
      }
    });
  },
};

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  "kubernetes:core/v1:Pod": "spec",
  "kubernetes:apps/v1:Deployment": "spec.template.spec",
  "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
  "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
  "kubernetes:batch/v1:Job": "spec.template.spec",
  "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
};

type SecurityContext = { runAsNonRoot?: unknown; runAsUser?: unknown } | undefined;

export const nonRootWithNumericUser: OfficelessPolicy = {
  kind: "resource",
  name: "officeless-non-root-numeric-user",
  description:
    "A container that must run as non-root names its numeric uid (runAsUser): images whose USER is a name (curlimages/curl's curl_user) are refused by the kubelet otherwise (CreateContainerConfigError), and the workload never starts",
  enforcementLevel: "mandatory",
  types: Object.keys(POD_SPEC_PATHS),
  validate(r, _context, report) {
    const path = POD_SPEC_PATHS[r.type];
    const pod = valueAt(r.props, path) as
      | { securityContext?: SecurityContext; containers?: unknown; initContainers?: unknown }
      | undefined;
    if (!pod) return;
    const podContext = pod.securityContext;
    for (const list of ["initContainers", "containers"] as const) {
      const containers = Array.isArray(pod[list]) ? (pod[list] as unknown[]) : [];
      containers.forEach((c, i) => {
        const own = (c as { securityContext?: SecurityContext }).securityContext;
        const nonRoot = own?.runAsNonRoot ?? podContext?.runAsNonRoot;
        const uid = own?.runAsUser ?? podContext?.runAsUser;
        if (nonRoot === true && typeof uid !== "number")
          report(
            `${path}.${list}.${i} must run as non-root but names no numeric runAsUser (pod or container securityContext)`,
          );
      });
    }
  },
};

export function commonPolicies(clouds: readonly CloudPolicies[]): OfficelessPolicy[] {
  return [
    protectedInProd(clouds),
    secretsAsSecrets,
    nameLimits,
    zonePinnedReplication,
    nonRootWithNumericUser,
  ];
}
