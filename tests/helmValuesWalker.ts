/**
 * Helm values conformance, as ../shared/helm-values/README.md describes: every key path of the
 * values we pass must exist in the pinned chart's default values (or its values.schema.json), so a
 * misspelled or stale key, which Helm silently ignores, fails a test instead. Pure and offline.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";

/** The reference folder: each pinned chart's default values, byte-for-byte from upstream. */
/**
 * Byte-for-byte copies of the charts' default values we pin (from the workplace's
 * shared/helm-values, which a clean clone does not have); tests/helmData.test.ts checks the copies
 * against the source whenever it is present.
 */
export const HELM_VALUES_DIR = path.resolve(__dirname, "data", "helm-values");
export const SHARED_HELM_VALUES_DIR = path.resolve(__dirname, "..", "..", "shared", "helm-values");

export interface IndexEntry {
  readonly chart: string;
  readonly version: string;
  readonly repoURL: string | null;
  readonly files: readonly string[];
}

/** A JSON schema node, as far as the walk reads it. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly $ref?: string;
  readonly [key: string]: unknown;
}

/** A subchart's key: checked against its own values file, or accepted whole for a stated reason. */
export type SubchartRule = { readonly values: string } | { readonly reason: string };

/** The reviewed exceptions for one chart. Keep them short; each says why. */
export interface ChartRules {
  /** Maps the chart passes on whole though their default is not empty (path -> why). */
  readonly freeForm?: Readonly<Record<string, string>>;
  /** Keys templates read that values.yaml lacks (path -> the template file that reads it). */
  readonly templateRead?: Readonly<Record<string, string>>;
  /** Keys owned by a dependency: top-level, or dotted paths for a subchart's subchart. */
  readonly subcharts?: Readonly<Record<string, SubchartRule>>;
}

export interface Violation {
  readonly path: string;
  readonly message: string;
}

export interface WalkInput {
  /** The values object we hand to Helm. */
  readonly values: unknown;
  /** The chart's default values (values.yaml parsed). */
  readonly defaults: unknown;
  /** The chart's values.schema.json, when it ships one. */
  readonly schema?: JsonSchema;
  readonly rules?: ChartRules;
  /** Loads a subchart's default values by file name (the reference folder by default). */
  readonly loadSubchart?: (file: string) => unknown;
}

type Plain = Record<string, unknown>;

function isMap(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value === "object" ? "object" : typeof value;
}

function describe(value: unknown): string {
  if (isMap(value)) return Object.keys(value).length === 0 ? "an empty map" : "a map";
  return typeOf(value) === "array" ? "a list" : `${typeOf(value)} ${JSON.stringify(value)}`;
}

/** `b` deep-merged over `a` (maps merge, everything else is replaced), as Helm merges values. */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (!isMap(a) || !isMap(b)) return b === undefined ? a : b;
  const out: Plain = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = deepMerge(a[k], v);
  return out;
}

/** Follows local `$ref`s (`#/$defs/x`, `#/definitions/x`) against the root schema. */
function resolve(
  schema: JsonSchema | undefined,
  root: JsonSchema | undefined,
): JsonSchema | undefined {
  let node = schema;
  for (let hops = 0; node?.$ref && hops < 20; hops++) {
    if (!node.$ref.startsWith("#/")) return undefined;
    let target: unknown = root;
    for (const part of node.$ref.slice(2).split("/"))
      target = isMap(target) ? target[part] : undefined;
    node = target as JsonSchema | undefined;
  }
  return node;
}

/** The schema of one key of an object schema, and whether the schema names that key. */
function childSchema(
  schema: JsonSchema | undefined,
  key: string,
): { schema?: JsonSchema; named: boolean } {
  if (!schema) return { named: false };
  if (schema.properties && key in schema.properties)
    return { schema: schema.properties[key], named: true };
  for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
    if (new RegExp(pattern).test(key)) return { schema: sub, named: true };
  }
  if (isMap(schema.additionalProperties))
    return { schema: schema.additionalProperties as JsonSchema, named: false };
  return { named: false };
}

/** The alternatives of an `anyOf`/`oneOf` node, if it is one. */
function branchesOf(schema: JsonSchema): readonly JsonSchema[] | undefined {
  const list = (schema.anyOf ?? schema.oneOf) as readonly JsonSchema[] | undefined;
  return Array.isArray(list) && list.length > 0 ? list : undefined;
}

/**
 * The branch of an `anyOf`/`oneOf` that a map value takes, chosen by its `type` key the way
 * discriminated schemas name it (`properties.type.const` or `enum`), e.g. k8s-monitoring's
 * destinations. Undefined when the node has no branches or none names the value's type.
 */
function pickBranch(
  schema: JsonSchema,
  value: unknown,
  root: JsonSchema | undefined,
): JsonSchema | undefined {
  const branches = branchesOf(schema);
  if (!branches || !isMap(value)) return undefined;
  return branches
    .map((b) => resolve(b, root))
    .find((b) => {
      const t = b?.properties?.type as { const?: unknown; enum?: unknown[] } | undefined;
      return t !== undefined && (t.const === value.type || (t.enum ?? []).includes(value.type));
    });
}

/** A map node whose children the schema describes one by one (a map of typed entries). */
function describesEntries(schema: JsonSchema | undefined, root: JsonSchema | undefined): boolean {
  const entry = isMap(schema?.additionalProperties)
    ? resolve(schema!.additionalProperties as JsonSchema, root)
    : undefined;
  return entry !== undefined && !isFreeFormSchema(entry);
}

function schemaTypes(schema: JsonSchema): readonly string[] {
  return schema.type === undefined
    ? []
    : typeof schema.type === "string"
      ? [schema.type]
      : schema.type;
}

/**
 * An object schema that lists no properties describes a free-form map (annotations, labels,
 * pass-through config), as does one whose only rule is `additionalProperties: true` or a schema.
 * A node that lists properties is not free-form, even with `additionalProperties: true`: keys it
 * does not name still have to exist in the defaults.
 */
function isFreeFormSchema(schema: JsonSchema): boolean {
  if (schema.additionalProperties === false || branchesOf(schema)) return false;
  const named =
    Object.keys(schema.properties ?? {}).length +
    Object.keys(schema.patternProperties ?? {}).length;
  if (named > 0) return false;
  return schemaTypes(schema).includes("object") || schema.additionalProperties !== undefined;
}

function schemaTypeError(value: unknown, schema: JsonSchema): string | undefined {
  const allowed = schemaTypes(schema);
  if (allowed.length === 0) return undefined;
  const actual = typeOf(value);
  if (allowed.includes(actual) || (actual === "integer" && allowed.includes("number")))
    return undefined;
  return `the chart's schema wants ${allowed.join(" or ")}, got ${describe(value)}`;
}

/**
 * Walks `values` key path by key path. A path is accepted when the defaults or the schema name it
 * (or a reviewed rule allows it); the walk stops descending where the default is an empty map,
 * null, a list or a string blob, or where the schema says the map is free-form. A schema object
 * with `additionalProperties: false` is strict whatever the defaults say.
 */
export function walkValues(input: WalkInput): Violation[] {
  const out: Violation[] = [];
  const rules = input.rules ?? {};
  const root = input.schema;
  const load = input.loadSubchart ?? loadValuesFile;

  const walk = (
    value: unknown,
    defaults: unknown,
    rawSchema: JsonSchema | undefined,
    at: string[],
  ): void => {
    const where = at.join(".");
    if (rules.freeForm?.[where] !== undefined || rules.templateRead?.[where] !== undefined) return;
    const resolved = resolve(rawSchema, root);
    const branch = resolved ? pickBranch(resolved, value, root) : undefined;
    // An anyOf whose branches do not name this value's type: nothing to check it against.
    if (resolved && branchesOf(resolved) && !branch) return;
    const schema = branch ?? resolved;
    if (schema) {
      const typeError = schemaTypeError(value, schema);
      if (typeError) out.push({ path: where, message: typeError });
    }
    if (!isMap(value)) {
      if (isMap(defaults) && Object.keys(defaults).length > 0 && value !== null) {
        out.push({
          path: where,
          message: `the chart's default is a map; ${describe(value)} replaces it`,
        });
      }
      return;
    }
    if (schema && isFreeFormSchema(schema)) return;
    const strict = schema?.additionalProperties === false;
    const defaultsOpen =
      defaults === null || (isMap(defaults) && Object.keys(defaults).length === 0);
    if (!strict && defaultsOpen && at.length > 0 && !describesEntries(schema, root)) return;
    if (!strict && defaults !== undefined && !isMap(defaults) && at.length > 0) {
      // A string blob, a list or a scalar default: nothing below it to check against.
      if (typeof defaults !== "string" && !Array.isArray(defaults)) {
        out.push({
          path: where,
          message: `the chart's default is ${describe(defaults)}; a map replaces it`,
        });
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const next = [...at, key];
      const nextPath = next.join(".");
      const sub = childSchema(schema, key);
      // A dependency's keys: at the top level, or a nested path for a subchart's own subchart.
      if (rules.subcharts?.[nextPath]) {
        const rule = rules.subcharts[nextPath];
        if ("reason" in rule) continue;
        walk(
          child,
          deepMerge(load(rule.values), isMap(defaults) ? defaults[key] : undefined),
          sub.schema,
          next,
        );
        continue;
      }
      if (strict && !sub.named) {
        out.push({
          path: nextPath,
          message: "is not allowed by the chart's schema (additionalProperties: false)",
        });
        continue;
      }
      const hasDefault = isMap(defaults) && key in defaults;
      const allowed =
        rules.freeForm?.[nextPath] !== undefined || rules.templateRead?.[nextPath] !== undefined;
      if (!hasDefault && !sub.named && !allowed) {
        out.push({
          path: nextPath,
          message: "does not exist in the chart's default values (misspelled or stale key?)",
        });
        continue;
      }
      walk(child, hasDefault ? (defaults as Plain)[key] : undefined, sub.schema, next);
    }
  };

  walk(input.values, input.defaults, root, []);
  return out;
}

/** INDEX.json of the reference folder. */
export function loadIndex(dir: string = HELM_VALUES_DIR): IndexEntry[] {
  return JSON.parse(fs.readFileSync(path.join(dir, "INDEX.json"), "utf8")) as IndexEntry[];
}

/** A values file of the reference folder, parsed. */
export function loadValuesFile(file: string, dir: string = HELM_VALUES_DIR): unknown {
  return (
    YAML.parse(fs.readFileSync(path.join(dir, file), "utf8"), { merge: true, uniqueKeys: false }) ??
    {}
  );
}

export interface ChartReference {
  readonly entry: IndexEntry;
  readonly defaults: unknown;
  readonly schema?: JsonSchema;
}

/** The reference data for a chart version; throws when the pin and INDEX.json have drifted. */
export function loadChart(
  chart: string,
  version: string,
  dir: string = HELM_VALUES_DIR,
): ChartReference {
  const index = loadIndex(dir);
  const entry = index.find((e) => e.chart === chart && e.version === version);
  if (!entry) {
    const known = index.filter((e) => e.chart === chart).map((e) => e.version);
    throw new Error(
      `${chart}@${version} is not in ${dir}/INDEX.json (versions there: ${known.join(", ") || "none"})`,
    );
  }
  const valuesFile = entry.files.find((f) => f.endsWith(".values.yaml"));
  const schemaFile = entry.files.find((f) => f.endsWith(".values.schema.json"));
  if (!valuesFile) throw new Error(`${chart}@${version} has no values.yaml in INDEX.json`);
  return {
    entry,
    defaults: loadValuesFile(valuesFile, dir),
    schema: schemaFile
      ? (JSON.parse(fs.readFileSync(path.join(dir, schemaFile), "utf8")) as JsonSchema)
      : undefined,
  };
}
