/**
 * What the runner writes into every layer stack's settings file passes the checks the Pulumi CLI
 * makes before it runs a program: every `officeless:` key declared by Pulumi.yaml, every required
 * one present, every value of the declared type. The checks are ports of the CLI's
 * (pulumi/pulumi sdk/go/common/workspace/project.go ValidateConfigValue, and the stack config
 * validation around it: a scalar in the stack file is a string, a YAML map or list is an object
 * value that is JSON-decoded before the check). The file is the one the real LocalWorkspace
 * writes from the engine's workspace options (a stand-in PulumiCommand, no CLI needed), read back
 * as YAML.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { parse as parseYaml } from "yaml";
import { AutomationEngine } from "../automation/runner/engines/automation";
import { buildStackGraph } from "../automation/runner/graph";
import { loadBaseStacks, readRawStackFile } from "../automation/runner/stacks";
import { isSecureLeaf, stackFilePath } from "../programs/config";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLES = ["dev-aws", "dev-gcp", "dev-azure", "prod-aws", "prod-gcp", "prod-azure"];

interface ItemsType {
  type: string;
  items?: ItemsType;
}
interface Declared {
  type?: string;
  items?: ItemsType;
  default?: unknown;
}

/** ValidateConfigValue, as in the CLI. */
function validateConfigValue(type: string, items: ItemsType | undefined, value: unknown): boolean {
  if (type === "string") return typeof value === "string";
  if (type === "integer") {
    if (typeof value === "number") return Number.isInteger(value);
    return typeof value === "string" && /^[+-]?\d+$/.test(value);
  }
  if (type === "boolean")
    return typeof value === "boolean" || value === "true" || value === "false";
  if (type === "object") return !!value && typeof value === "object" && !Array.isArray(value);
  if (!Array.isArray(value) || !items) return false;
  return value.every((v) => validateConfigValue(items.type, items.items, v));
}

function fullTypeName(type: string, items?: ItemsType): string {
  return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/** A stack file value as the CLI's config.Value holds it after decryption. */
function contentOf(value: unknown): unknown {
  const decrypt = (v: unknown): unknown =>
    isSecureLeaf(v)
      ? "decrypted"
      : Array.isArray(v)
        ? v.map(decrypt)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decrypt(x)]))
          : v;
  if (isSecureLeaf(value)) return "decrypted";
  // Scalars are strings (config.Value); maps and lists are object values, JSON-decoded.
  if (value === null || typeof value !== "object") return String(value);
  return JSON.parse(JSON.stringify(decrypt(value)));
}

/** The CLI's errors for one stack's config against the project's declarations. */
function cliErrors(
  stack: string,
  config: Record<string, unknown>,
  declared: Record<string, Declared>,
): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith("officeless:")) continue;
    const decl = declared[key];
    if (!decl) {
      errors.push(`Stack '${stack}' uses configuration key '${key}' not defined by the project`);
      continue;
    }
    if (decl.type && !validateConfigValue(decl.type, decl.items, contentOf(value)))
      errors.push(
        `Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(decl.type, decl.items)}'`,
      );
  }
  for (const [key, decl] of Object.entries(declared))
    if (decl.default === undefined && !(key in config))
      errors.push(`Stack '${stack}' is missing configuration value '${key}'`);
  return errors;
}

const project = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
  config: Record<string, Declared>;
};

describe("layer stack config against Pulumi.yaml's declared types", () => {
  // Layer stack files on disk from a local run must not leak into the check.
  const engine = new AutomationEngine({
    projectDir: ROOT,
    factory: {} as never,
    env: { PULUMI_CONFIG_PASSPHRASE: "x" },
    readStackFile: (f) =>
      EXAMPLES.some((b) => f === stackFilePath(ROOT, b)) ? readRawStackFile(f) : undefined,
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-settings-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // LocalWorkspace only needs a CLI for commands; writing stack settings needs none.
  const noCli = {
    command: "pulumi",
    version: null,
    run: async () => ({}),
  } as unknown as PulumiCommand;

  it.each(EXAMPLES)("every layer stack of %s passes the CLI's config checks", async (base) => {
    const graph = buildStackGraph(loadBaseStacks([base], ROOT));
    expect(graph.nodes.size).toBeGreaterThan(3);
    for (const node of graph.nodes.values()) {
      const opts = engine.workspaceOptions(node, engine.planLayerStack(node));
      // The file LocalWorkspace writes from the engine's options, as the CLI then reads it.
      await LocalWorkspace.create({ ...opts, workDir: dir, pulumiCommand: noCli });
      const file = parseYaml(fs.readFileSync(path.join(dir, `Pulumi.${node.id}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
      };
      expect(cliErrors(node.id, file.config, project.config)).toEqual([]);
      expect(Array.isArray(file.config["officeless:zones"])).toBe(true);
      expect(file.config["officeless:layer"]).toBe(node.layer);
    }
  });

  it("the file is replaced, not merged: a key removed from the base stack is gone from the layer stack's", async () => {
    const file = path.join(dir, "Pulumi.dev-aws.yaml");
    const base = readRawStackFile(stackFilePath(ROOT, "dev-aws"))!;
    let config: Record<string, unknown> = { ...base.config, "officeless:tags": { team: "x" } };
    const toggled = new AutomationEngine({
      projectDir: dir,
      factory: {} as never,
      readStackFile: (f) => (f === file ? { ...base, file, config } : undefined),
    });
    const node = buildStackGraph(loadBaseStacks(["dev-aws"], ROOT)).nodes.get("dev-aws-network")!;
    const write = () =>
      LocalWorkspace.create({
        ...toggled.workspaceOptions(node, toggled.planLayerStack(node)),
        workDir: dir,
        pulumiCommand: noCli,
      });
    const read = () =>
      (
        parseYaml(fs.readFileSync(path.join(dir, "Pulumi.dev-aws-network.yaml"), "utf8")) as {
          config: Record<string, unknown>;
        }
      ).config;
    await write();
    expect(read()["officeless:tags"]).toEqual({ team: "x" });
    const { "officeless:tags": _removed, ...rest } = config;
    void _removed;
    config = rest;
    await write();
    expect(read()["officeless:tags"]).toBeUndefined();
    expect(read()["officeless:layer"]).toBe("network");
  });

  it("catches what the CLI refuses: zones as JSON text, an undeclared key, a missing required key", () => {
    const node = buildStackGraph(loadBaseStacks(["dev-aws"], ROOT)).nodes.get("dev-aws-network")!;
    const config = { ...engine.planLayerStack(node).settings.config };
    config["officeless:zones"] = JSON.stringify(config["officeless:zones"]);
    config["officeless:zone"] = "eu-west-1a";
    delete config["officeless:region"];
    expect(cliErrors("dev-aws-network", config, project.config)).toEqual([
      "Stack 'dev-aws-network' with configuration key 'officeless:zones' must be of type 'array<string>'",
      "Stack 'dev-aws-network' uses configuration key 'officeless:zone' not defined by the project",
      "Stack 'dev-aws-network' is missing configuration value 'officeless:region'",
    ]);
  });

  it("checks types the way the CLI does", () => {
    expect(validateConfigValue("integer", undefined, "12")).toBe(true);
    expect(validateConfigValue("integer", undefined, 1.5)).toBe(false);
    expect(validateConfigValue("boolean", undefined, "true")).toBe(true);
    expect(validateConfigValue("array", { type: "string" }, ["a", 1])).toBe(false);
    expect(validateConfigValue("array", { type: "string" }, '["a"]')).toBe(false);
  });
});
