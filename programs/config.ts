/**
 * The boundary: the `officeless:` stack configuration is read once, checked with zod, every default
 * is resolved here (and only here), and the cross-field rules shared with the components run on the
 * sections that parsed. Every problem is collected and thrown as one `ValidationError` whose paths are
 * full config keys (`officeless:kubernetes.nodePools[1].minSize`); secret values never appear in it.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  BackupConfig,
  CacheConfig,
  CloudId,
  ENVIRONMENTS,
  Environment,
  KubernetesConfig,
  LAYERS,
  NetworkConfig,
  ObservabilityConfig,
  PlatformConfig,
  StackReferenceConfig,
  StorageConfig,
  Tags,
  VpnPeerConfig,
} from "../components/types";
import {
  Issue,
  ValidationError,
  backupIssues,
  cacheIssues,
  closestMatch,
  editDistance,
  kubernetesIssues,
  networkIssues,
  tagIssues,
  vpnIssues,
  zoneIssues,
} from "../components/validation";
import { catalogFor, isCloudId, plannedClouds, supportedClouds } from "../providers/registry";

/** The project's config namespace: keys are `officeless:<key>`. */
export const CONFIG_NAMESPACE = "officeless";

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
    natGateways: (environment: Environment): NetworkConfig["natGateways"] => (environment === "prod" ? "perZone" : "single"),
    flowLogRetentionDays: (environment: Environment): number => (environment === "prod" ? 90 : 14),
  },
  kubernetes: {
    version: "1.33",
    logRetentionDays: 90,
    pool: { spot: false, diskSizeGb: 100 },
  },
  storage: {
    blockDefaultClass: true,
    fileEnabled: true,
    lifecycle: { transitionToInfrequentAccessDays: 30, noncurrentVersionExpirationDays: 90, abortIncompleteMultipartUploadDays: 7 },
  },
  vpn: { enabled: false },
  cache: {
    enabled: true,
    engine: "valkey" as CacheConfig["engine"],
    size: "small" as CacheConfig["size"],
    replicas: (environment: Environment): number => (environment === "prod" ? 2 : 0),
    highAvailability: (environment: Environment): boolean => environment === "prod",
  },
  observability: { enabled: true, retentionDays: 30 },
  backup: {
    enabled: true,
    retentionDays: 35,
    /** Daily at 03:00 UTC, in the cloud's syntax (GCP's backend converts the AWS form). */
    schedule: (cloud: CloudId | undefined): string => (cloud === "azure" ? "R/2025-01-01T03:00:00+00:00/P1D" : "cron(0 3 * * ? *)"),
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Schema: shapes, types, ranges and single-field formats. Messages start lower-case so the
// formatter can tell them from zod's own.

/** `pulumi config set --path` may store numbers and booleans as strings; accept those spellings. */
function int(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    z
      .number({ error: (issue) => (issue.code === "invalid_type" ? `must be a whole number, got ${kindOf(issue.input)}` : undefined) })
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

const LOWER_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const NAME_RULE = "must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen";
/** AWS's rule for VPN tunnel pre-shared keys. */
const PRE_SHARED_KEY = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;

const cloudSchema = z.string().superRefine((value, ctx) => {
  if (!isCloudId(value)) {
    ctx.addIssue({ code: "custom", message: `is not a known cloud; supported: ${supportedClouds().join(", ")} (planned: ${plannedClouds().join(", ")})` });
  } else if (plannedClouds().includes(value)) {
    ctx.addIssue({ code: "custom", message: `is not supported yet; supported: ${supportedClouds().join(", ")}; planned: ${plannedClouds().join(", ")}` });
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
    .refine((v) => v === 0 || v >= 16, { error: "must be 0 (no database tier) or between 16 and 28" })
    .default(DEFAULTS.network.databaseSubnetPrefix),
  natGateways: z.enum(["perZone", "single"]).optional(),
  flowLogRetentionDays: int(1, 3653).optional(),
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

const kubernetesSchema = z.strictObject({
  version: z.string().default(DEFAULTS.kubernetes.version),
  nodePools: z.array(nodePoolSchema),
  endpoint: z
    .strictObject({
      publicAccessCidrs: cidrList.default([]),
      privateAccessCidrs: cidrList.default([]),
    })
    .prefault({}),
  logRetentionDays: int(1, 3653).default(DEFAULTS.kubernetes.logRetentionDays),
  adminPrincipals: z.array(z.string()).default([]),
});

const storageSchema = z.strictObject({
  block: z.strictObject({ defaultClass: bool().default(DEFAULTS.storage.blockDefaultClass) }).prefault({}),
  file: z.strictObject({ enabled: bool().default(DEFAULTS.storage.fileEnabled) }).prefault({}),
  object: z
    .strictObject({
      lifecycle: z
        .strictObject({
          transitionToInfrequentAccessDays: int(0, 36500).default(DEFAULTS.storage.lifecycle.transitionToInfrequentAccessDays),
          noncurrentVersionExpirationDays: int(1, 36500).default(DEFAULTS.storage.lifecycle.noncurrentVersionExpirationDays),
          abortIncompleteMultipartUploadDays: int(1, 36500).default(DEFAULTS.storage.lifecycle.abortIncompleteMultipartUploadDays),
        })
        .prefault({}),
    })
    .prefault({}),
});

const peerSchema = z.strictObject({
  name: z.string().regex(LOWER_NAME, { error: NAME_RULE }).max(20),
  publicIp: z.string(),
  cidrs: cidrList,
  bgpAsn: int(0, 4294967295).optional(),
  preSharedKey: z
    .string()
    .refine((v) => v === OFFLINE_SECRET_PLACEHOLDER || PRE_SHARED_KEY.test(v), {
      error: "must be 8-64 characters of letters, digits, . and _, and must not start with 0 (AWS's rule)",
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
  version: z.string().regex(/^\d+(\.\d+){0,2}$/, { error: 'must be an engine version like "8.0" or "7.1"' }).optional(),
  size: z.enum(["small", "medium", "large"]).default(DEFAULTS.cache.size),
  nodeType: z.string().min(1).optional(),
  replicas: int(0, 5).optional(),
  highAvailability: bool().optional(),
});

const observabilitySchema = z.strictObject({
  enabled: bool().default(DEFAULTS.observability.enabled),
  retentionDays: int(1, 3650).default(DEFAULTS.observability.retentionDays),
});

const backupSchema = z.strictObject({
  enabled: bool().default(DEFAULTS.backup.enabled),
  retentionDays: int(1, 36500).default(DEFAULTS.backup.retentionDays),
  schedule: z.string().min(1).optional(),
});

const stackReferenceSchema = z.strictObject({
  organization: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  baseStack: z.string().min(1).optional(),
});

/** The schema of every `officeless:` key, in the order problems are reported. */
const SECTIONS = {
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
  tags: z.record(z.string(), z.string()).default({}),
  layer: emptyAsUnset(z.enum(LAYERS)),
  stackReference: stackReferenceSchema.prefault({}),
};
type SectionKey = keyof typeof SECTIONS;
type Parsed = { -readonly [K in SectionKey]?: z.output<(typeof SECTIONS)[K]> };
/** Every `officeless:` key, in the order problems are reported. */
export const CONFIG_KEYS = Object.keys(SECTIONS) as SectionKey[];
const SECTION_KEYS = CONFIG_KEYS;

/** Config keys every stack must set. */
export const REQUIRED_KEYS: readonly SectionKey[] = ["cloud", "environment", "region", "zones", "network", "kubernetes"];

// ---------------------------------------------------------------------------------------------
// Issues: zod's and the shared rules', mapped to full keys, values hidden where secret.

type Key = PropertyKey;

function pathText(keys: readonly Key[]): string {
  return keys.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}

function valueAt(raw: unknown, keys: readonly Key[]): unknown {
  let current = raw;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<Key, unknown>)[key];
  }
  return current;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a map of keys to values",
  array: "a list",
  record: "a map of keys to values",
};

/** Strips wrappers (default, optional, preprocess pipes) down to the schema that has a shape. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; out?: z.core.$ZodType };
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe") current = def.out!._zod.def.type === "transform" ? def.in! : def.out!;
    else return current;
  }
}

/** The keys an object schema at `keys` (below a section) allows. */
function allowedKeysAt(schema: z.core.$ZodType, keys: readonly Key[]): string[] {
  let current = unwrap(schema);
  for (const key of keys) {
    const def = current._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    if (def.type === "object" && typeof key === "string" && def.shape?.[key]) current = unwrap(def.shape[key]);
    else if (def.type === "array" && typeof key === "number" && def.element) current = unwrap(def.element);
    else return [];
  }
  const def = current._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unknownKeyIssue(keys: readonly Key[], key: string, allowed: readonly string[], value: unknown): Issue {
  const guess = closestMatch(key, allowed);
  return {
    path: pathText([...keys, key]),
    value,
    message: guess ? `is not a known key; did you mean "${guess}"?` : `is not a known key; allowed here: ${allowed.join(", ")}`,
  };
}

/** Turns one zod issue into ours: full path, the raw value, and what is allowed. */
function fromZod(section: SectionKey, issue: z.core.$ZodIssue, raw: Record<string, unknown>): Issue[] {
  const keys: Key[] = [section, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(SECTIONS[section], issue.path);
    return issue.keys.map((key) => unknownKeyIssue(keys, key, allowed, valueAt(raw, [...keys, key])));
  }
  const value = valueAt(raw, keys);
  const base = { path: pathText(keys) };
  if (value === undefined && issue.code === "invalid_type") {
    const hint = REQUIRED_KEYS.includes(section) && keys.length === 1 ? `; set it with: pulumi config set ${CONFIG_NAMESPACE}:${section} ...` : "";
    return [{ ...base, message: `is required (${EXPECTED[issue.expected] ?? issue.expected})${hint}` }];
  }
  return [{ ...base, value, message: describe(issue, value) }];
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  // Our own messages (refinements, formats) start lower-case; zod's defaults do not.
  if (/^[a-z]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${kindOf(value)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = Number(small ? issue.minimum : issue.maximum);
      const op = small ? (issue.inclusive ? "at least" : "more than") : issue.inclusive ? "at most" : "less than";
      if (issue.origin === "array") return `must list ${op} ${bound} item${bound === 1 ? "" : "s"}`;
      if (issue.origin === "string") return `must be ${op} ${bound} character${bound === 1 ? "" : "s"} long`;
      return `must be ${op} ${bound}`;
    }
    default:
      return issue.message;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

export interface ParseOptions {
  /** Top-level keys (without namespace) whose values are secrets: `vpn` when a key is set with --secret. */
  readonly secretKeys?: ReadonlySet<string>;
  /** The stack, named in the error. */
  readonly stack?: string;
}

/**
 * Checks the `officeless:` config (keys without the namespace, values already JSON-parsed) and
 * returns it with every default resolved. Throws one `ValidationError` listing every problem.
 */
export function parseConfig(raw: Record<string, unknown>, options: ParseOptions = {}): PlatformConfig {
  const secretKeys = options.secretKeys ?? new Set<string>();
  const issues: Issue[] = [];
  const parsed: Parsed = {};

  for (const key of Object.keys(raw)) {
    if (!(SECTION_KEYS as string[]).includes(key)) issues.push(unknownKeyIssue([], key, SECTION_KEYS, raw[key]));
  }
  for (const key of SECTION_KEYS) {
    const result = SECTIONS[key].safeParse(raw[key]);
    if (result.success) {
      (parsed as Record<string, unknown>)[key] = result.data;
      continue;
    }
    issues.push(...result.error.issues.flatMap((issue) => fromZod(key, issue, raw)));
    // A typo'd key must not hide the section's other problems: without the unknown keys, the
    // section may parse, and its cross-field rules still run.
    if (result.error.issues.every((issue) => issue.code === "unrecognized_keys")) {
      const retry = SECTIONS[key].safeParse(withoutKeys(raw[key], result.error.issues));
      if (retry.success) (parsed as Record<string, unknown>)[key] = retry.data;
    }
  }

  const resolved = resolve(parsed);
  issues.push(...crossFieldIssues(resolved, secretKeys));

  if (issues.length > 0) {
    const order = (issue: Issue) => {
      const index = SECTION_KEYS.findIndex((k) => issue.path === k || issue.path.startsWith(`${k}.`) || issue.path.startsWith(`${k}[`));
      return index < 0 ? -1 : index;
    };
    const sorted = issues
      .map((issue, i) => ({ issue: redact(issue, secretKeys), i }))
      .sort((a, b) => order(a.issue) - order(b.issue) || a.i - b.i)
      .map(({ issue }) => issue);
    const where = options.stack ? ` of stack "${options.stack}"` : "";
    throw new ValidationError(sorted, `${CONFIG_NAMESPACE}:`, `Invalid configuration${where}`);
  }
  return assemble(resolved as Required<Resolved>);
}

/** A copy of `value` without the keys zod did not recognise. */
function withoutKeys(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(value);
  for (const issue of issues) {
    const target = valueAt(copy, issue.path) as Record<string, unknown> | undefined;
    if (issue.code === "unrecognized_keys" && target) for (const key of issue.keys) delete target[key];
  }
  return copy;
}

/** Secret values (a `--secret` key, any pre-shared key) are left out of messages. */
function redact(issue: Issue, secretKeys: ReadonlySet<string>): Issue {
  const top = issue.path.split(/[.[]/)[0];
  if (!("value" in issue) || (!secretKeys.has(top) && !/preSharedKey/.test(issue.path))) return issue;
  return { path: issue.path, message: issue.message };
}

/** Sections with defaults resolved; a section that failed to parse is absent. */
interface Resolved {
  cloud?: CloudId;
  environment?: Environment;
  name?: string;
  region?: string;
  zones?: string[];
  network?: NetworkConfig;
  kubernetes?: KubernetesConfig;
  storage?: StorageConfig;
  /** Peers keep the plain key beside the secret one, for the "is it stored as a secret" rule. */
  vpn?: { enabled: boolean; peers: (VpnPeerConfig & { plainPreSharedKey?: string })[] };
  cache?: CacheConfig;
  observability?: ObservabilityConfig;
  backup?: BackupConfig;
  tags?: Tags;
  layer?: PlatformConfig["layer"] | null;
  stackReference?: StackReferenceConfig;
}

function resolve(p: Parsed): Resolved {
  // Environment-dependent defaults need an environment; when it is invalid the run fails anyway, so
  // the lenient one stands in and only the rules that do not depend on it report.
  const env: Environment = p.environment ?? "dev";
  const r: Resolved = {};
  if (p.cloud !== undefined) r.cloud = p.cloud as CloudId;
  if (p.environment !== undefined) r.environment = p.environment;
  if ("name" in p) r.name = p.name ?? DEFAULTS.name(env);
  if (p.region !== undefined) r.region = p.region;
  if (p.zones !== undefined) r.zones = p.zones;
  if (p.network) {
    r.network = {
      ...p.network,
      natGateways: p.network.natGateways ?? DEFAULTS.network.natGateways(env),
      flowLogRetentionDays: p.network.flowLogRetentionDays ?? DEFAULTS.network.flowLogRetentionDays(env),
    };
  }
  if (p.kubernetes) {
    r.kubernetes = {
      ...p.kubernetes,
      nodePools: p.kubernetes.nodePools.map((pool) => ({ ...pool, desiredSize: pool.desiredSize ?? pool.minSize })),
    };
  }
  if (p.storage) r.storage = p.storage;
  if (p.vpn) {
    r.vpn = {
      enabled: p.vpn.enabled,
      peers: p.vpn.peers.map(({ preSharedKey, ...peer }) => ({
        ...peer,
        ...(preSharedKey !== undefined ? { preSharedKey: pulumi.secret(preSharedKey), plainPreSharedKey: preSharedKey } : {}),
      })),
    };
  }
  if (p.cache) {
    const { replicas, highAvailability, ...cache } = p.cache;
    r.cache = {
      ...cache,
      replicas: replicas ?? DEFAULTS.cache.replicas(env),
      highAvailability: highAvailability ?? DEFAULTS.cache.highAvailability(env),
    };
  }
  if (p.observability) r.observability = p.observability;
  if (p.backup) r.backup = { ...p.backup, schedule: p.backup.schedule ?? DEFAULTS.backup.schedule(r.cloud) };
  if (p.tags) r.tags = p.tags;
  if ("layer" in p) r.layer = p.layer ?? null;
  if (p.stackReference) r.stackReference = p.stackReference;
  return r;
}


/** A few valid choices for a message: the close ones first, else the first few. */
function someOf(word: string, choices: readonly string[], count = 6): string {
  const close = choices.filter((c) => editDistance(word, c) <= 2);
  const shown = (close.length > 0 ? close : choices).slice(0, count);
  return shown.join(", ") + (choices.length > shown.length ? ", ..." : "");
}

function crossFieldIssues(r: Resolved, secretKeys: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const env: Environment = r.environment ?? "dev";
  const catalog = r.cloud && !plannedClouds().includes(r.cloud) ? catalogFor(r.cloud) : undefined;
  const regionZones = catalog && r.region ? catalog.regions[r.region] : undefined;

  if (catalog && r.region !== undefined && !regionZones) {
    const regions = Object.keys(catalog.regions);
    issues.push({ path: "region", value: r.region, message: `is not a region of ${r.cloud}; valid: ${someOf(r.region, regions)}` });
  }
  if (r.zones) {
    if (regionZones) {
      r.zones.forEach((zone, i) => {
        if (!regionZones.includes(zone)) {
          issues.push({ path: `zones[${i}]`, value: zone, message: `is not a zone of ${r.region}; valid: ${regionZones.join(", ")}` });
        }
      });
    }
    issues.push(...zoneIssues(r.zones, env));
  }
  if (r.network) issues.push(...networkIssues(r.network, r.zones?.length ?? 0, env));
  const networkCidr = r.network?.cidr;
  if (r.kubernetes) issues.push(...kubernetesIssues(r.kubernetes, env, networkCidr));
  if (r.vpn) {
    issues.push(...vpnIssues(r.vpn, networkCidr));
    r.vpn.peers.forEach((peer, i) => {
      if (peer.plainPreSharedKey !== undefined && !secretKeys.has("vpn")) {
        issues.push({
          path: `vpn.peers[${i}].preSharedKey`,
          message:
            `must be stored as a secret: pulumi config set --secret --path '${CONFIG_NAMESPACE}:vpn.peers[${i}].preSharedKey' <key>` +
            " (or leave it unset and the cloud generates the tunnel keys)",
        });
      }
    });
  }
  if (r.cache && r.zones) issues.push(...cacheIssues(r.cache, env, r.zones.length));
  if (r.backup) issues.push(...backupIssues(r.backup, env));
  if (r.tags) issues.push(...tagIssues(r.tags));
  if (catalog?.configIssues) issues.push(...catalog.configIssues(r));
  return issues;
}

function assemble(r: Required<Resolved>): PlatformConfig {
  return {
    name: r.name,
    cloud: r.cloud,
    environment: r.environment,
    region: r.region,
    zones: r.zones,
    network: r.network,
    kubernetes: r.kubernetes,
    storage: r.storage,
    vpn: { enabled: r.vpn.enabled, peers: r.vpn.peers.map(({ plainPreSharedKey: _plain, ...peer }) => peer) },
    cache: r.cache,
    observability: r.observability,
    backup: r.backup,
    tags: r.tags,
    ...(r.layer ? { layer: r.layer } : {}),
    stackReference: r.stackReference,
  };
}

// ---------------------------------------------------------------------------------------------
// Sources: the Pulumi runtime, or a stack file for the offline plan.

/** Config values arrive as strings: JSON for maps and lists, plain text for scalars. */
function fromConfigText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

/** Reads and checks the running stack's `officeless:` config; other namespaces (`aws:region`) are ignored. */
export function loadConfig(): PlatformConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  // Not in the SDK's typings, but exported by @pulumi/pulumi/runtime/config.
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    raw[name] = fromConfigText(text);
    if (isSecret?.(key)) secretKeys.add(name);
  }
  return parseConfig(raw, { secretKeys, stack: pulumi.getStack() || undefined });
}

/** Replaces `{secure: ...}` leaves by the placeholder; calls `found` when there was one. */
function replaceSecure(value: unknown, found: () => void): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, found));
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === "secure") {
      found();
      return OFFLINE_SECRET_PLACEHOLDER;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, replaceSecure(v, found)]));
  }
  return value;
}

/**
 * Reads a `Pulumi.<stack>.yaml` for the offline plan: the `officeless:` entries without the
 * namespace, encrypted values replaced by a placeholder and their top-level keys reported secret.
 */
export function readStackFile(file: string): { raw: Record<string, unknown>; secretKeys: Set<string> } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read stack file ${file}: ${(err as Error).message}`);
  }
  const doc = (parseYaml(text) ?? {}) as { config?: unknown };
  const config = doc.config ?? {};
  if (typeof config !== "object" || Array.isArray(config) || config === null) {
    throw new Error(`${file}: "config" must be a map of keys to values`);
  }
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    raw[name] = replaceSecure(value, () => secretKeys.add(name));
  }
  return { raw, secretKeys };
}

/** Where a stack's config file lives: `stackConfigDir` of Pulumi.yaml when set, else the project folder. */
export function stackFilePath(projectDir: string, stack: string): string {
  let dir = projectDir;
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  if (fs.existsSync(projectFile)) {
    const project = parseYaml(fs.readFileSync(projectFile, "utf8")) as { stackConfigDir?: unknown } | null;
    if (typeof project?.stackConfigDir === "string") dir = path.join(projectDir, project.stackConfigDir);
  }
  return path.join(dir, `Pulumi.${stack}.yaml`);
}
