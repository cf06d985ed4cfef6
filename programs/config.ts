/**
 * The boundary: the `officeless:` stack configuration is read once, checked with zod (the schema
 * and every default are in configSchema.ts), every default is resolved here (and only here), and
 * the cross-field rules shared with the components run on the sections that parsed. Every problem
 * is collected and thrown as one `ValidationError` whose paths are full config keys
 * (`officeless:kubernetes.nodePools[1].minSize`); secret values never appear in it.
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
  Environment,
  KubernetesConfig,
  NetworkConfig,
  AlertReceiverConfig,
  ObservabilityConfig,
  OciSettings,
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
  storageIssues,
  cacheIssues,
  closestMatch,
  editDistance,
  kubernetesIssues,
  networkIssues,
  tagIssues,
  vpnIssues,
  zoneIssues,
} from "../components/validation";
import type { CloudCatalog } from "../providers/backend";
import { observabilityIssues } from "../components/observabilityIssues";
import { catalogFor, plannedClouds, supportedClouds } from "../providers/registry";
import type { OnpremConfig } from "../providers/onprem/types";
import { K3S_RELEASES } from "../providers/onprem/versions";
import {
  CONFIG_KEYS,
  DEFAULTS,
  OFFLINE_SECRET_PLACEHOLDER,
  ONPREM_SECRET_PATHS,
  Parsed,
  REQUIRED_KEYS,
  SECTIONS,
  SectionKey,
  kindOf,
} from "./configSchema";

/** The project's config namespace: keys are `officeless:<key>`. */
export const CONFIG_NAMESPACE = "officeless";

// The schema and the defaults live in configSchema.ts; their public names stay importable from here.
export {
  CONFIG_KEYS,
  DEFAULTS,
  MAX_NAME_LENGTH,
  OFFLINE_SECRET_PLACEHOLDER,
  REQUIRED_KEYS,
} from "./configSchema";

const SECTION_KEYS = CONFIG_KEYS;

// ---------------------------------------------------------------------------------------------
// Issues: zod's and the shared rules', mapped to full keys, values hidden where secret.

type Key = PropertyKey;

function pathText(keys: readonly Key[]): string {
  return keys.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    "",
  );
}

function valueAt(raw: unknown, keys: readonly Key[]): unknown {
  let current = raw;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<Key, unknown>)[key];
  }
  return current;
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
    const def = current._zod.def as unknown as {
      type: string;
      innerType?: z.core.$ZodType;
      in?: z.core.$ZodType;
      out?: z.core.$ZodType;
    };
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe")
      current = def.out!._zod.def.type === "transform" ? def.in! : def.out!;
    else return current;
  }
}

/** The keys an object schema at `keys` (below a section) allows. */
function allowedKeysAt(schema: z.core.$ZodType, keys: readonly Key[]): string[] {
  let current = unwrap(schema);
  for (const key of keys) {
    const def = current._zod.def as unknown as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      element?: z.core.$ZodType;
    };
    if (def.type === "object" && typeof key === "string" && def.shape?.[key])
      current = unwrap(def.shape[key]);
    else if (def.type === "array" && typeof key === "number" && def.element)
      current = unwrap(def.element);
    else return [];
  }
  const def = current._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unknownKeyIssue(
  keys: readonly Key[],
  key: string,
  allowed: readonly string[],
  value: unknown,
): Issue {
  const guess = closestMatch(key, allowed);
  return {
    path: pathText([...keys, key]),
    value,
    message: guess
      ? `is not a known key; did you mean "${guess}"?`
      : `is not a known key; allowed here: ${allowed.join(", ")}`,
  };
}

/** Turns one zod issue into ours: full path, the raw value, and what is allowed. */
function fromZod(
  section: SectionKey,
  issue: z.core.$ZodIssue,
  raw: Record<string, unknown>,
): Issue[] {
  const keys: Key[] = [section, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(SECTIONS[section], issue.path);
    return issue.keys.map((key) =>
      unknownKeyIssue(keys, key, allowed, valueAt(raw, [...keys, key])),
    );
  }
  const value = valueAt(raw, keys);
  const base = { path: pathText(keys) };
  if (value === undefined && issue.code === "invalid_type") {
    const hint =
      REQUIRED_KEYS.includes(section) && keys.length === 1
        ? `; set it with: pulumi config set ${CONFIG_NAMESPACE}:${section} ...`
        : "";
    return [
      { ...base, message: `is required (${EXPECTED[issue.expected] ?? issue.expected})${hint}` },
    ];
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
      const op = small
        ? issue.inclusive
          ? "at least"
          : "more than"
        : issue.inclusive
          ? "at most"
          : "less than";
      if (issue.origin === "array") return `must list ${op} ${bound} item${bound === 1 ? "" : "s"}`;
      if (issue.origin === "string")
        return `must be ${op} ${bound} character${bound === 1 ? "" : "s"} long`;
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
export function parseConfig(
  raw: Record<string, unknown>,
  options: ParseOptions = {},
): PlatformConfig {
  const secretKeys = options.secretKeys ?? new Set<string>();
  const issues: Issue[] = [];
  const parsed: Parsed = {};

  for (const key of Object.keys(raw)) {
    if (!(SECTION_KEYS as string[]).includes(key))
      issues.push(unknownKeyIssue([], key, SECTION_KEYS, raw[key]));
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
      const index = SECTION_KEYS.findIndex(
        (k) => issue.path === k || issue.path.startsWith(`${k}.`) || issue.path.startsWith(`${k}[`),
      );
      return index < 0 ? -1 : index;
    };
    const sorted = issues
      .map((issue, i) => ({ issue: withStack(redact(issue, secretKeys), options.stack), i }))
      .sort((a, b) => order(a.issue) - order(b.issue) || a.i - b.i)
      .map(({ issue }) => issue);
    const where = options.stack ? ` of stack "${options.stack}"` : "";
    throw new ValidationError(sorted, `${CONFIG_NAMESPACE}:`, `Invalid configuration${where}`);
  }
  return assemble(resolved as Required<Resolved>);
}

/** The fixes a message suggests (`pulumi config set ...`) name the stack, so they run as written. */
function withStack(issue: Issue, stack: string | undefined): Issue {
  if (!stack) return issue;
  return {
    ...issue,
    message: issue.message.replace(
      /pulumi config set (?!--stack)/g,
      `pulumi config set --stack ${stack} `,
    ),
  };
}

/** A copy of `value` without the keys zod did not recognise. */
function withoutKeys(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(value);
  for (const issue of issues) {
    const target = valueAt(copy, issue.path) as Record<string, unknown> | undefined;
    if (issue.code === "unrecognized_keys" && target)
      for (const key of issue.keys) delete target[key];
  }
  return copy;
}

/** Config keys that are always secret wherever they appear. */
const SECRET_LEAF = /(preSharedKey|kubeconfig|privateKey|secretAccessKey|token)$/i;
/**
 * Sections whose secret leaves are known (ONPREM_SECRET_PATHS): when such a section holds a secret,
 * its other scalar values still appear in messages; maps, lists and unknown keys (perhaps a
 * mistyped secret) do not.
 */
const KNOWN_SECRET_LEAVES: ReadonlySet<string> = new Set(["onprem"]);

/** Secret values (a `--secret` key, any pre-shared key, kubeconfig, private key) are left out of messages. */
function redact(issue: Issue, secretKeys: ReadonlySet<string>): Issue {
  if (!("value" in issue)) return issue;
  const top = issue.path.split(/[.[]/)[0];
  const hidden =
    SECRET_LEAF.test(issue.path) ||
    (secretKeys.has(top) &&
      (!KNOWN_SECRET_LEAVES.has(top) ||
        (issue.value !== null && typeof issue.value === "object") ||
        issue.message.startsWith("is not a known key")));
  return hidden ? { path: issue.path, message: issue.message } : issue;
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
  oci?: OciSettings;
  /** The section with its secrets wrapped, and which secret paths were set (for the --secret rule). */
  onprem?: OnpremConfig;
  onpremSecretsSet?: string[];
}

/** The `officeless:onprem` section with its dependent defaults resolved and its secrets wrapped. */
function resolveOnprem(
  p: NonNullable<Parsed["onprem"]>,
  env: Environment,
  kubernetesVersion: string | undefined,
): { onprem: OnpremConfig; secretsSet: string[] } {
  const secretsSet = ONPREM_SECRET_PATHS.filter((keys) => valueAt(p, keys) !== undefined).map(
    (keys) => `onprem.${keys.join(".")}`,
  );
  const secret = (v: string) => pulumi.secret(v);
  const ceph = p.storage.block.provider === "rook-ceph";
  const { k3s } = p.cluster;
  const onprem: OnpremConfig = {
    distribution: p.distribution,
    nodeNetworks: p.nodeNetworks,
    loadBalancer: p.loadBalancer,
    vpn: p.vpn,
    cluster: {
      mode: p.cluster.mode,
      ...(p.cluster.kubeconfig !== undefined ? { kubeconfig: secret(p.cluster.kubeconfig) } : {}),
      ...(k3s
        ? {
            k3s: {
              ...k3s,
              // The pinned release of the configured minor ("" when none is pinned: the catalog says so).
              version: k3s.version ?? K3S_RELEASES[kubernetesVersion ?? ""] ?? "",
            },
          }
        : {}),
    },
    ...(p.ssh ? { ssh: { ...p.ssh, privateKey: secret(p.ssh.privateKey) } } : {}),
    storage: {
      ...p.storage,
      // Ceph already runs for block volumes: CephFS and RGW come with it unless set otherwise.
      file: {
        ...p.storage.file,
        provider: p.storage.file.provider ?? (ceph ? "rook-ceph" : "none"),
      },
      object: {
        provider:
          p.storage.object.provider ?? (p.storage.object.external ? "external" : "rook-ceph"),
        ...(p.storage.object.external
          ? {
              external: {
                ...p.storage.object.external,
                secretAccessKey: secret(p.storage.object.external.secretAccessKey),
              },
            }
          : {}),
      },
    },
    autoscaling: {
      provider: p.autoscaling.provider,
      ...(p.autoscaling.clusterapi ? { clusterapi: p.autoscaling.clusterapi } : {}),
      ...(p.autoscaling.rancher
        ? { rancher: { ...p.autoscaling.rancher, token: secret(p.autoscaling.rancher.token) } }
        : {}),
    },
    backup: {
      snapshotMoveData: p.backup.snapshotMoveData,
      // An external target when one is given; otherwise the cluster's own RGW (refused in prod).
      target: p.backup.target ?? (p.backup.external || env === "prod" ? "external" : "rook-ceph"),
      ...(p.backup.external
        ? {
            external: {
              ...p.backup.external,
              secretAccessKey: secret(p.backup.external.secretAccessKey),
            },
          }
        : {}),
    },
  };
  return { onprem, secretsSet };
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
      flowLogRetentionDays:
        p.network.flowLogRetentionDays ?? DEFAULTS.network.flowLogRetentionDays(env),
    };
  }
  if (p.kubernetes) {
    r.kubernetes = {
      ...p.kubernetes,
      nodePools: p.kubernetes.nodePools.map((pool) => ({
        ...pool,
        desiredSize: pool.desiredSize ?? pool.minSize,
      })),
    };
  }
  // Out-of-region copies default on in prod only where the cloud's backend builds them.
  const copies = catalogOf(p.cloud as CloudId | undefined)?.crossRegionCopies;
  if (p.storage) {
    const { replication } = p.storage.object;
    r.storage = {
      ...p.storage,
      object: {
        ...p.storage.object,
        replication: {
          ...replication,
          enabled:
            replication.enabled ?? (DEFAULTS.storage.replication(env) && copies?.objects === true),
        },
      },
    };
  }
  if (p.vpn) {
    r.vpn = {
      enabled: p.vpn.enabled,
      peers: p.vpn.peers.map(({ preSharedKey, ...peer }) => ({
        ...peer,
        ...(preSharedKey !== undefined
          ? { preSharedKey: pulumi.secret(preSharedKey), plainPreSharedKey: preSharedKey }
          : {}),
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
  if (p.observability) r.observability = resolveObservability(p.observability);
  if (p.backup)
    r.backup = {
      ...p.backup,
      schedule: p.backup.schedule ?? DEFAULTS.backup.schedule(r.cloud),
      crossRegionCopy: {
        ...p.backup.crossRegionCopy,
        enabled:
          p.backup.crossRegionCopy.enabled ??
          (DEFAULTS.backup.crossRegionCopy(env) && copies?.backups === true),
      },
    };
  if (p.tags) r.tags = p.tags;
  if ("layer" in p) r.layer = p.layer ?? null;
  if (p.stackReference) r.stackReference = p.stackReference;
  // Present (maybe undefined) when the key parsed, so "required" is not reported beside a parse error.
  if ("oci" in p) r.oci = p.oci;
  if (p.onprem) {
    const { onprem, secretsSet } = resolveOnprem(p.onprem, env, p.kubernetes?.version);
    r.onprem = onprem;
    r.onpremSecretsSet = secretsSet;
  }
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
  const catalog = catalogOf(r.cloud);
  const namedRegions = catalog && !catalog.userDefinedRegions;
  const regionZones = namedRegions && r.region ? catalog.regions[r.region] : undefined;

  if (namedRegions && r.region !== undefined && !regionZones) {
    const regions = Object.keys(catalog.regions);
    issues.push({
      path: "region",
      value: r.region,
      message: `is not a region of ${r.cloud}; valid: ${someOf(r.region, regions)}`,
    });
  }
  if (r.zones) {
    if (regionZones) {
      r.zones.forEach((zone, i) => {
        if (!regionZones.includes(zone)) {
          issues.push({
            path: `zones[${i}]`,
            value: zone,
            message: `is not a zone of ${r.region}; valid: ${regionZones.join(", ")}`,
          });
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
  if (r.storage) issues.push(...storageIssues(r.storage, r.observability));
  if (r.observability) {
    issues.push(
      ...observabilityIssues(r.observability, {
        name: r.name,
        cloud: r.cloud,
        privateLoadBalancer: catalog?.privateLoadBalancerAnnotations !== undefined,
        noPrivateLoadBalancerReason: catalog?.noPrivateLoadBalancerReason,
      }),
    );
    issues.push(...observabilitySecretIssues(r.observability, secretKeys));
  }
  if (r.tags) issues.push(...tagIssues(r.tags));
  issues.push(...onpremSectionIssues(r, secretKeys));
  if (
    r.backup?.diskSnapshots !== undefined &&
    r.cloud !== undefined &&
    r.cloud !== "alibaba" &&
    r.cloud !== "oci"
  )
    issues.push({
      path: "backup.diskSnapshots",
      value: r.backup.diskSnapshots,
      message: `applies only to cloud alibaba or oci (cloud is ${r.cloud}); remove it`,
    });
  if (r.kubernetes?.autoscalerAddonVersion !== undefined && r.cloud !== "huawei")
    issues.push({
      path: "kubernetes.autoscalerAddonVersion",
      value: r.kubernetes.autoscalerAddonVersion,
      message: `applies only to cloud huawei (CCE's autoscaler add-on; cloud is ${r.cloud}); remove it`,
    });
  if (catalog) issues.push(...crossRegionIssues(r, catalog));
  issues.push(...ociSettingsIssues(r));
  if (catalog?.configIssues) issues.push(...catalog.configIssues(r));
  return issues;
}

/** `officeless:oci` is required for OCI (the compartment and tenancy) and meaningless elsewhere. */
function ociSettingsIssues(r: Resolved): Issue[] {
  if (r.cloud === "oci" && "oci" in r && r.oci === undefined)
    return [
      {
        path: "oci",
        message:
          "is required on OCI: the compartment and the tenancy, e.g. pulumi config set --path 'officeless:oci.compartmentId' ocid1.compartment.oc1..aaaa... and 'officeless:oci.tenancyId' ocid1.tenancy.oc1..aaaa...",
      },
    ];
  if (r.cloud !== undefined && r.cloud !== "oci" && r.oci !== undefined)
    return [{ path: "oci", message: `is for cloud oci only; remove it for ${r.cloud}` }];
  return [];
}

/**
 * `officeless:onprem` belongs to cloud onprem: required there, refused elsewhere, and its secret
 * leaves must be stored with --secret. What combines with what inside it is the onprem catalog's.
 */
function onpremSectionIssues(r: Resolved, secretKeys: ReadonlySet<string>): Issue[] {
  if (r.cloud === "onprem" && !r.onprem) {
    return [
      {
        path: "onprem",
        message: `is required when cloud is onprem: {distribution, cluster: {mode, kubeconfig | k3s}, nodeNetworks, loadBalancer: {addressPools}, ...}; see docs/clouds/onprem.md`,
      },
    ];
  }
  if (r.onprem && r.cloud !== undefined && r.cloud !== "onprem") {
    return [
      {
        path: "onprem",
        message: `applies only to cloud onprem (cloud is ${r.cloud}); remove it`,
      },
    ];
  }
  if (secretKeys.has("onprem")) return [];
  return (r.onpremSecretsSet ?? []).map((path) => ({
    path,
    message: `must be stored as a secret: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${path}' <value>`,
  }));
}

/** The catalog of a cloud whose backend is built; none for planned clouds or no cloud. */
function catalogOf(cloud: CloudId | undefined): CloudCatalog | undefined {
  return cloud && !plannedClouds().includes(cloud) ? catalogFor(cloud) : undefined;
}

/** A copy out of the region that the cloud's backend does not build is refused, not ignored. */
function crossRegionIssues(r: Resolved, catalog: CloudCatalog): Issue[] {
  const copies = catalog.crossRegionCopies;
  const asked: [string, boolean | undefined, boolean | undefined][] = [
    ["storage.object.replication.enabled", r.storage?.object.replication.enabled, copies?.objects],
    ["backup.crossRegionCopy.enabled", r.backup?.crossRegionCopy.enabled, copies?.backups],
  ];
  return asked
    .filter(([, enabled, built]) => enabled === true && built !== true)
    .map(([path]) => ({
      path,
      value: true,
      message: `is not built on ${r.cloud} yet; set it to false (copies out of the region are built on: ${supportedCloudsWith(
        path.startsWith("storage") ? "objects" : "backups",
      ).join(", ")})`,
    }));
}

function supportedCloudsWith(kind: "objects" | "backups"): string[] {
  return supportedClouds().filter((c) => catalogFor(c)?.crossRegionCopies?.[kind] === true);
}

type ParsedObservability = NonNullable<Parsed["observability"]>;

/** Receivers' and OIDC's secret fields become Pulumi secrets; defaults stay in observabilitySettings. */
function resolveObservability(o: ParsedObservability): ObservabilityConfig {
  const secret = (v: string | undefined) => (v === undefined ? undefined : pulumi.secret(v));
  const { grafana, alerting, autoscaling, central, ...rest } = o;
  const tls = (
    t: { certificate: string; privateKey: string; caCertificate: string } | undefined,
  ) => (t ? { tls: { ...t, privateKey: secret(t.privateKey)! } } : {});
  const receivers = alerting.receivers.map((r): AlertReceiverConfig => {
    switch (r.type) {
      case "email": {
        const { authPassword, ...plain } = r;
        return authPassword === undefined
          ? plain
          : { ...plain, authPassword: secret(authPassword)! };
      }
      case "slack":
        return { ...r, apiUrl: secret(r.apiUrl)! };
      case "pagerduty":
        return { ...r, routingKey: secret(r.routingKey)! };
      case "webhook":
        return { ...r, url: secret(r.url)! };
    }
  });
  return {
    ...rest,
    ...(receivers.length > 0 ? { alerting: { receivers } } : {}),
    ...(autoscaling ? { autoscaling } : {}),
    ...(central
      ? { central: { ...(({ tls: _t, ...c }) => c)(central), ...tls(central.tls) } }
      : {}),
    ...(grafana
      ? {
          grafana: {
            ...(grafana.enabled !== undefined ? { enabled: grafana.enabled } : {}),
            ...(grafana.rootUrl ? { rootUrl: grafana.rootUrl } : {}),
            ...(grafana.exposure ? { exposure: grafana.exposure } : {}),
            ...(grafana.allowedCidrs ? { allowedCidrs: grafana.allowedCidrs } : {}),
            ...tls(grafana.tls),
            ...(grafana.oidc
              ? { oidc: { ...grafana.oidc, clientSecret: secret(grafana.oidc.clientSecret)! } }
              : {}),
          },
        }
      : {}),
  };
}

/** The secret fields of the observability section, as config keys. */
const OBSERVABILITY_SECRET_FIELDS: Readonly<Record<string, string>> = {
  email: "authPassword",
  slack: "apiUrl",
  pagerduty: "routingKey",
  webhook: "url",
};

/** A receiver's key, URL or password, OIDC's client secret and a TLS private key must be stored encrypted. */
function observabilitySecretIssues(
  o: ObservabilityConfig,
  secretKeys: ReadonlySet<string>,
): Issue[] {
  if (secretKeys.has("observability")) return [];
  const paths: string[] = [];
  (o.alerting?.receivers ?? []).forEach((r, i) => {
    const field = OBSERVABILITY_SECRET_FIELDS[r.type];
    if ((r as unknown as Record<string, unknown>)[field] !== undefined)
      paths.push(`observability.alerting.receivers[${i}].${field}`);
  });
  if (o.grafana?.oidc) paths.push("observability.grafana.oidc.clientSecret");
  if (o.grafana?.tls) paths.push("observability.grafana.tls.privateKey");
  if (o.central?.tls) paths.push("observability.central.tls.privateKey");
  return paths.map((path) => ({
    path,
    message: `must be stored as a secret: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${path}' <value>`,
  }));
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
    vpn: {
      enabled: r.vpn.enabled,
      peers: r.vpn.peers.map(({ plainPreSharedKey: _plain, ...peer }) => peer),
    },
    cache: r.cache,
    observability: r.observability,
    backup: r.backup,
    tags: r.tags,
    ...(r.layer ? { layer: r.layer } : {}),
    stackReference: r.stackReference,
    ...(r.oci ? { oci: r.oci } : {}),
    ...(r.onprem ? { onprem: r.onprem } : {}),
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
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean })
    .isConfigSecret;
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

/** Whether a stack-file value is an encrypted leaf: `{secure: "v1:..."}`. */
export function isSecureLeaf(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string";
}

/** Replaces `{secure: ...}` leaves by the placeholder; calls `found` when there was one. */
function replaceSecure(value: unknown, found: () => void): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, found));
  if (isSecureLeaf(value)) {
    found();
    return OFFLINE_SECRET_PLACEHOLDER;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        replaceSecure(v, found),
      ]),
    );
  }
  return value;
}

/**
 * Reads a `Pulumi.<stack>.yaml` for the offline plan: the `officeless:` entries without the
 * namespace, encrypted values replaced by a placeholder and their top-level keys reported secret.
 */
export function readStackFile(file: string): {
  raw: Record<string, unknown>;
  secretKeys: Set<string>;
} {
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
    const project = parseYaml(fs.readFileSync(projectFile, "utf8")) as {
      stackConfigDir?: unknown;
    } | null;
    if (typeof project?.stackConfigDir === "string")
      dir = path.join(projectDir, project.stackConfigDir);
  }
  return path.join(dir, `Pulumi.${stack}.yaml`);
}
