/**
 * The binding machinery itself: the checker finds each kind of drift, and a bound resource registers
 * like a generated SDK's (token, plugin options, secrets, required inputs, JSON-encoded provider inputs).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  BindingSet,
  defineProvider,
  defineResource,
  PluginPackage,
  req,
  secret,
  t,
} from "../../sdks/binding";
import { mockPulumi, one, settle, valueOf } from "../harness";
import { conformanceProblems, ProviderSchema } from "./conformance";

const schema: ProviderSchema = {
  provider: "demo",
  sourceCommit: "0",
  pluginDownloadURL: "https://example.test/download/v${VERSION}",
  config: {
    region: { type: "string", required: false },
    insecure: { type: "boolean", required: false, jsonEncoded: true },
  },
  resources: {
    "demo:m/thing:Thing": {
      inputs: {
        name: { type: "string", required: true },
        size: { type: "integer", required: false },
        tags: { type: "map<string>", required: false },
        volume: { type: "object:demo:m/ThingVolume:ThingVolume", required: false },
        password: { type: "string", required: false },
      },
      outputs: ["name", "size", "tags", "volume", "password", "status"],
      secretProperties: ["password"],
    },
  },
  types: {
    "demo:m/ThingVolume:ThingVolume": {
      size: { type: "integer", required: true },
      kmsKeyId: { type: "string", required: false },
    },
  },
};

const pkg = (name = "demo"): PluginPackage => ({
  name,
  version: "1.2.3",
  pluginDownloadURL: "https://example.test/download/v${VERSION}",
});

/** A set holding exactly the given descriptor, as the package index would fill it. */
function setOf(inputs: Record<string, unknown>, extra: Partial<BindingSet> = {}): BindingSet {
  return {
    pkg: pkg(),
    functions: new Map(),
    resources: new Map([
      ["demo:m/thing:Thing", { token: "demo:m/thing:Thing", inputs, outputs: {} } as any],
    ]),
    provider: { inputs: { region: t.string, insecure: t.boolean }, jsonEncoded: ["insecure"] },
    ...extra,
  };
}

const volume = t.object("demo:m/ThingVolume:ThingVolume", {
  size: req(t.integer),
  kmsKeyId: t.string,
});
const good = {
  name: req(t.string),
  size: t.integer,
  tags: t.map(t.string),
  volume,
  password: secret(t.string),
};

describe("conformanceProblems", () => {
  it("passes a conforming binding", () => {
    expect(conformanceProblems(setOf(good), schema)).toEqual([]);
  });

  it.each([
    ["an unknown input", { ...good, colour: t.string }, "demo:m/thing:Thing.colour: not an input"],
    [
      "a missing required input",
      { ...good, name: undefined },
      "required by the schema, not declared",
    ],
    ["a required input made optional", { ...good, name: t.string }, "optional in the binding"],
    ["number for integer", { ...good, size: t.number }, "declared number, schema has integer"],
    ["a scalar for a map", { ...good, tags: t.string }, "declared string, schema has map<string>"],
    [
      "a nested required property made optional",
      { ...good, volume: t.object("demo:m/ThingVolume:ThingVolume", { size: t.integer }) },
      "volume.size: required by the schema, optional",
    ],
    [
      "a wrong object type token",
      { ...good, volume: t.object("demo:m/Other:Other", { size: req(t.integer) }) },
      "schema has object:demo:m/ThingVolume:ThingVolume",
    ],
    ["a secret not marked", { ...good, password: t.string }, "password: secret in the schema"],
  ])("finds %s", (_what, inputs, message) => {
    const clean = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined));
    const problems = conformanceProblems(setOf(clean), schema);
    expect(problems.join("\n")).toContain(message);
  });

  it("finds an unknown token, output, provider key and a missing JSON encoding", () => {
    const set = setOf(good, {
      provider: {
        inputs: { region: t.string, insecure: t.boolean, colour: t.string },
        jsonEncoded: [],
      },
    });
    set.resources.set("demo:m/other:Other", {
      token: "demo:m/other:Other",
      inputs: {},
      outputs: {},
    });
    (set.resources.get("demo:m/thing:Thing")!.outputs as Record<string, unknown>).colour = t.string;
    const text = conformanceProblems(set, schema).join("\n");
    expect(text).toContain("demo:m/other:Other: no such resource");
    expect(text).toContain("demo:m/thing:Thing.colour: not an output");
    expect(text).toContain("provider.colour: not an input");
    expect(text).toContain("provider.insecure: the schema sends it JSON-encoded");
  });

  it("finds environment defaults that differ from the schema's", () => {
    const withEnv = {
      ...schema,
      config: {
        ...schema.config,
        region: { type: "string", required: false, env: ["DEMO_REGION"] },
      },
    };
    const set = setOf(good, {
      provider: {
        inputs: { region: t.string, insecure: t.boolean },
        jsonEncoded: ["insecure"],
        env: { region: ["OTHER_REGION"] },
      },
    });
    expect(conformanceProblems(set, withEnv).join("\n")).toContain(
      "provider.region: reads OTHER_REGION",
    );
    set.provider = { ...set.provider!, env: { region: ["DEMO_REGION"] } };
    expect(conformanceProblems(set, withEnv)).toEqual([]);
  });

  it("finds a plugin URL that is not the working one", () => {
    const set = setOf(good, {
      pkg: { ...pkg(), pluginDownloadURL: "https://example.test/download/${VERSION}" },
    });
    expect(conformanceProblems(set, schema).join("\n")).toContain("pluginDownloadURL");
  });
});

describe("a bound resource under mocks", () => {
  const demo = pkg("demo-runtime");
  const Thing = defineResource(demo, {
    token: "demo-runtime:m/thing:Thing",
    inputs: good,
    outputs: { status: t.string },
  });
  const Provider = defineProvider(
    demo,
    { region: t.string, insecure: t.boolean, key: secret(t.string) },
    ["insecure"],
    { region: ["DEMO_RUNTIME_REGION"] },
  );

  it("registers its token and inputs, secrets as secrets, with the plugin version and URL", async () => {
    const mocks = await mockPulumi();
    const seen: pulumi.ResourceOptions[] = [];
    const thing = new Thing(
      "t1",
      { name: "a", size: 2, volume: { size: 20 }, password: "p4ss" },
      { transformations: [(a) => (seen.push(a.opts), undefined)] },
    );
    await settle();
    const recorded = one(mocks, "demo-runtime:m/thing:Thing", "t1");
    expect(recorded.inputs).toMatchObject({
      name: "a",
      size: 2,
      volume: { size: 20 },
      password: "[secret]",
    });
    expect(seen[0]).toMatchObject({
      version: "1.2.3",
      pluginDownloadURL: "https://example.test/download/v${VERSION}",
    });
    expect((seen[0] as pulumi.CustomResourceOptions).additionalSecretOutputs).toEqual(["password"]);
    expect(await pulumi.isSecret(thing.password)).toBe(true);
    expect(await valueOf(thing.name)).toBe("a");
    expect(Thing.isInstance(thing)).toBe(true);
  });

  it("refuses a missing required input as a generated SDK does", async () => {
    await mockPulumi();
    expect(() => new Thing("t2", {} as any)).toThrow("Missing required property 'name'");
  });

  it("fills an unset input from its environment variable, the argument winning", async () => {
    const mocks = await mockPulumi();
    process.env.DEMO_RUNTIME_REGION = "from-env";
    try {
      new Provider("p-env", {});
      new Provider("p-arg", { region: "r2" });
      await settle();
    } finally {
      delete process.env.DEMO_RUNTIME_REGION;
    }
    expect(one(mocks, "pulumi:providers:demo-runtime", "p-env").inputs.region).toBe("from-env");
    expect(one(mocks, "pulumi:providers:demo-runtime", "p-arg").inputs.region).toBe("r2");
  });

  it("sends JSON-encoded provider inputs as strings and keys as secrets", async () => {
    const mocks = await mockPulumi();
    new Provider("p", { region: "r1", insecure: false, key: "k" });
    await settle();
    const recorded = one(mocks, "pulumi:providers:demo-runtime", "p");
    expect(recorded.inputs).toMatchObject({ region: "r1", insecure: "false", key: "[secret]" });
  });
});
