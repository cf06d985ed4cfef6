/**
 * Binding conformance: every binding of a package (sdks/binding.ts descriptors) against the provider's
 * schema facts (tests/data/provider-schemas/, vendored from shared/provider-schemas; format in its
 * README). Returns the drift as readable lines, empty when the bindings match.
 */
import * as fs from "fs";
import * as path from "path";
import type { BindingSet, Props, Spec } from "../../sdks/binding";

export const SCHEMAS_DIR = path.join(__dirname, "..", "data", "provider-schemas");
/** The source of the vendored files: on the workplace's machines only, not in a clean clone. */
export const SHARED_SCHEMAS_DIR = path.join(
  __dirname,
  "..",
  "..",
  "..",
  "shared",
  "provider-schemas",
);
/**
 * Facts the project read itself, in the same format, for resources the platform uses that the shared
 * files do not cover (each file says which upstream files at which commit).
 */
export const SUPPLEMENT_DIR = path.join(SCHEMAS_DIR, "supplement");

export interface SchemaProp {
  type: string;
  required: boolean;
  jsonEncoded?: boolean;
  /** Environment variables that fill the input when it is unset (provider config only). */
  env?: string[];
}

export interface SchemaResource {
  inputs: Record<string, SchemaProp>;
  outputs: string[];
  secretProperties?: string[];
}

export interface ProviderSchema {
  provider: string;
  sourceCommit: string;
  pluginDownloadURLWorking?: string;
  pluginDownloadURL: string;
  config: Record<string, SchemaProp>;
  resources: Record<string, SchemaResource>;
  /** Data sources: inputs and output names (only in the project's supplement so far). */
  functions?: Record<string, SchemaResource>;
  types: Record<string, Record<string, SchemaProp>>;
}

/** The vendored facts of a provider, merged with the project's supplement when there is one. */
export function loadSchema(provider: string): ProviderSchema {
  const schema = JSON.parse(
    fs.readFileSync(path.join(SCHEMAS_DIR, `${provider}.json`), "utf8"),
  ) as ProviderSchema;
  const extra = path.join(SUPPLEMENT_DIR, `${provider}.json`);
  if (!fs.existsSync(extra)) return schema;
  const supplement = JSON.parse(fs.readFileSync(extra, "utf8")) as Pick<
    ProviderSchema,
    "resources" | "types" | "functions"
  >;
  for (const [token, resource] of Object.entries(supplement.resources)) {
    if (schema.resources[token]) throw new Error(`${extra} repeats ${token} of the shared facts`);
    if (!(resource as { source?: unknown }).source)
      throw new Error(`${extra}: ${token} does not say which upstream file it was read from`);
  }
  return {
    ...schema,
    resources: { ...schema.resources, ...supplement.resources },
    functions: { ...schema.functions, ...supplement.functions },
    types: { ...supplement.types, ...schema.types },
  };
}

/** The schema's type grammar: `string | integer | number | boolean | any | array<T> | map<T> | object:<tok>`. */
function describe(spec: Spec): string {
  switch (spec.kind) {
    case "array":
    case "map":
      return `${spec.kind}<${describe(spec.items)}>`;
    case "object":
      return `object:${spec.token}`;
    default:
      return spec.kind;
  }
}

/**
 * Checks one declared spec against a schema type. Exact: the descriptor says `integer` or `number`
 * as the schema does (TypeScript has `number` for both, so a mismatch would pass the compiler).
 */
function checkType(
  schema: ProviderSchema,
  where: string,
  spec: Spec,
  type: string,
  problems: string[],
): void {
  const wrapped = /^(array|map)<(.*)>$/.exec(type);
  if (wrapped) {
    if (spec.kind !== wrapped[1]) {
      problems.push(`${where}: declared ${describe(spec)}, schema has ${type}`);
      return;
    }
    checkType(schema, `${where}[]`, (spec as { items: Spec }).items, wrapped[2], problems);
    return;
  }
  if (type.startsWith("object:")) {
    const token = type.slice("object:".length);
    if (spec.kind !== "object" || spec.token !== token) {
      problems.push(`${where}: declared ${describe(spec)}, schema has ${type}`);
      return;
    }
    const props = schema.types[token];
    if (!props) {
      problems.push(`${where}: object type ${token} is not in the schema facts`);
      return;
    }
    checkProps(schema, where, spec.props, props, problems);
    return;
  }
  if (spec.kind !== type) problems.push(`${where}: declared ${describe(spec)}, schema has ${type}`);
}

/** Declared properties against the schema's: names and types exist, required ones declared required. */
function checkProps(
  schema: ProviderSchema,
  where: string,
  declared: Props,
  upstream: Record<string, SchemaProp>,
  problems: string[],
): void {
  for (const [name, spec] of Object.entries(declared)) {
    const prop = upstream[name];
    if (!prop) {
      problems.push(`${where}.${name}: not an input in the schema`);
      continue;
    }
    checkType(schema, `${where}.${name}`, spec, prop.type, problems);
  }
  for (const [name, prop] of Object.entries(upstream)) {
    if (!prop.required) continue;
    if (!declared[name]) problems.push(`${where}.${name}: required by the schema, not declared`);
    else if (!declared[name].required)
      problems.push(`${where}.${name}: required by the schema, optional in the binding`);
  }
}

/** Every binding of `set` against `schema`: the list of differences, empty when they conform. */
export function conformanceProblems(set: BindingSet, schema: ProviderSchema): string[] {
  const problems: string[] = [];
  if (set.pkg.name !== schema.provider)
    problems.push(`package name ${set.pkg.name}, schema provider ${schema.provider}`);
  const url = schema.pluginDownloadURLWorking ?? schema.pluginDownloadURL;
  if (set.pkg.pluginDownloadURL !== url)
    problems.push(`pluginDownloadURL ${set.pkg.pluginDownloadURL}, the working one is ${url}`);

  for (const [token, d] of set.resources) {
    const resource = schema.resources[token];
    if (!resource) {
      problems.push(`${token}: no such resource in the schema facts`);
      continue;
    }
    checkProps(schema, token, d.inputs, resource.inputs, problems);
    const outputs = new Set(resource.outputs);
    for (const name of [...Object.keys(d.inputs), ...Object.keys(d.outputs)]) {
      if (name === "id" || name === "urn")
        problems.push(`${token}.${name}: implicit, not declared`);
      else if (!outputs.has(name)) problems.push(`${token}.${name}: not an output in the schema`);
    }
    for (const name of Object.keys(d.outputs))
      if (d.inputs[name]) problems.push(`${token}.${name}: declared both as input and output`);
    const secrets = new Set(
      [...Object.entries(d.inputs), ...Object.entries(d.outputs)]
        .filter(([, spec]) => spec.secret)
        .map(([name]) => name),
    );
    // The engine stores every output whether the binding declares it or not: a schema secret must
    // be declared and marked, or its value lands in the state in plain text.
    for (const name of resource.secretProperties ?? []) {
      if (!secrets.has(name))
        problems.push(`${token}.${name}: secret in the schema, not in additionalSecretOutputs`);
    }
  }

  for (const [token, d] of set.functions) {
    const fn = schema.functions?.[token];
    if (!fn) {
      problems.push(`${token}: no such data source in the schema facts`);
      continue;
    }
    checkProps(schema, token, d.inputs, fn.inputs, problems);
    const outputs = new Set(fn.outputs);
    for (const name of Object.keys(d.outputs))
      if (!outputs.has(name)) problems.push(`${token}.${name}: not an output in the schema`);
  }

  if (!set.provider) problems.push("no Provider binding");
  else {
    checkProps(schema, "provider", set.provider.inputs, schema.config, problems);
    const encoded = new Set(set.provider.jsonEncoded);
    for (const name of Object.keys(set.provider.inputs)) {
      const wanted = schema.config[name]?.jsonEncoded === true;
      if (wanted && !encoded.has(name))
        problems.push(`provider.${name}: the schema sends it JSON-encoded, the binding does not`);
      if (!wanted && encoded.has(name))
        problems.push(`provider.${name}: JSON-encoded by the binding, sent plain by the schema`);
    }
    for (const name of encoded)
      if (!set.provider.inputs[name]) problems.push(`provider.${name}: encoded but not declared`);
    // Variables the binding reads itself must be the schema's, in its order.
    for (const [name, vars] of Object.entries(set.provider.env ?? {})) {
      const wanted = schema.config[name]?.env ?? [];
      if (JSON.stringify(vars) !== JSON.stringify(wanted))
        problems.push(
          `provider.${name}: reads ${vars.join(", ")}, the schema's are ${wanted.join(", ") || "none"}`,
        );
    }
  }
  return problems;
}
