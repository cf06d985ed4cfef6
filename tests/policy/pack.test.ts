/**
 * The policy pack: each policy passes its passing fixture and reports its violating one, offline
 * (views from recorded resources, as `npm run plan -- --policy`) and through the CrossGuard adapter
 * that `pulumi preview --policy-pack` runs. Fixtures: tests/policy/fixtures/<cloud>.ts, one file per
 * cloud (read from the folder, like policy/clouds/).
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import {
  CLOUDS,
  configFor,
  crossGuardPolicies,
  evaluate,
  POLICIES,
  renderViolations,
} from "../../policy/library";
import { fromPlan } from "../../policy/views";
import { OfficelessPolicy } from "../../policy/types";
import { edited, Fixtures, res, StackFixture } from "./helpers";

const FIXTURE_DIR = path.join(__dirname, "fixtures");
const FIXTURES: Fixtures = Object.assign(
  {},
  ...fs
    .readdirSync(FIXTURE_DIR)
    .sort()
    .map((f) => (require(path.join(FIXTURE_DIR, f)) as { FIXTURES: Fixtures }).FIXTURES),
);

const run = (policy: OfficelessPolicy, fixture: StackFixture, packConfig = {}) =>
  evaluate(fromPlan(fixture.resources), {
    policies: [policy],
    environment: fixture.environment,
    packConfig,
  });

describe("the pack", () => {
  it("has the shared rules and the rules of every cloud file", () => {
    expect(CLOUDS.map((c) => c.cloud)).toEqual(expect.arrayContaining(["aws", "azure", "gcp"]));
    for (const c of CLOUDS)
      expect(POLICIES.filter((p) => p.name.startsWith(`${c.cloud}-`)).length).toBeGreaterThan(0);
  });

  it("gives every policy a fixture, and every fixture a policy", () => {
    const names = POLICIES.map((p) => p.name).sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(names);
  });

  it("gives every policy an enforcement level and a description", () => {
    for (const p of POLICIES) {
      expect(["advisory", "mandatory", "remediate", "disabled"]).toContain(p.enforcementLevel);
      expect(p.description.length).toBeGreaterThan(20);
    }
  });
});

describe.each(POLICIES.map((p) => [p.name, p] as const))("%s", (name, policy) => {
  const fixture = FIXTURES[name];

  it("passes its passing fixture", () => {
    expect(run(policy, fixture.pass)).toEqual([]);
  });

  it("reports its violating fixture at its enforcement level", () => {
    const found = run(policy, fixture.fail);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((v) => v.message).join("\n")).toMatch(fixture.message);
    expect(found.every((v) => v.level === policy.enforcementLevel)).toBe(true);
  });

  it("can be turned down to advisory or off by the pack config", () => {
    expect(run(policy, fixture.fail, { [name]: "disabled" })).toEqual([]);
    const advisory = run(policy, fixture.fail, { [name]: { enforcementLevel: "advisory" } });
    expect(advisory.length).toBeGreaterThan(0);
    expect(advisory.every((v) => v.level === "advisory")).toBe(true);
  });
});

/** The CrossGuard arguments of a fixture's resources, as @pulumi/policy hands them to a policy. */
function crossGuardArgs(fixture: StackFixture) {
  const views = fromPlan(fixture.resources);
  const resources: PolicyResource[] = fixture.resources.map((r) => ({
    type: r.type,
    props: r.inputs,
    urn: r.urn,
    name: r.name,
    opts: { protect: r.options.protect } as PolicyResource["opts"],
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  })) as unknown as PolicyResource[];
  for (const [i, r] of resources.entries())
    for (const key of Object.keys(fixture.resources[i].inputs))
      r.propertyDependencies[key] = views.resources[i]
        .dependencies(key)
        .map((urn) => resources.find((x) => x.urn === urn)!);
  return resources;
}

/** Runs the pack's CrossGuard form of one policy over a fixture; the messages it reports. */
function viaCrossGuard(
  policy: OfficelessPolicy,
  fixture: StackFixture,
  beforeRun: () => void = () => undefined,
): string[] {
  const [cg] = crossGuardPolicies([policy]) as any[];
  const messages: string[] = [];
  const report: ReportViolation = (message) => void messages.push(message);
  const resources = crossGuardArgs(fixture);
  beforeRun();
  const getConfig = () => (fixture.environment ? { environment: fixture.environment } : {});
  if (cg.validateStack) cg.validateStack({ resources, getConfig, stackTags: new Map() }, report);
  else
    for (const r of resources)
      cg.validateResource({ ...r, getConfig, stackTags: new Map() }, report);
  return messages;
}

describe("the CrossGuard form of each policy", () => {
  // CrossGuard unwraps secrets before policies see them: that rule only runs offline.
  const crossGuardable = POLICIES.filter((p) => p.name !== "officeless-credentials-are-secrets");

  it.each(crossGuardable.map((p) => [p.name, p] as const))(
    "%s reports what the offline run reports",
    (name, policy) => {
      expect(viaCrossGuard(policy, FIXTURES[name].pass)).toEqual([]);
      const messages = viaCrossGuard(policy, FIXTURES[name].fail);
      expect(messages.join("\n")).toMatch(FIXTURES[name].message);
    },
  );

  it("skips a resource whose values a preview does not know yet, and checks the others", () => {
    class UnknownValueError extends Error {}
    const policy = POLICIES.find((p) => p.name === "aws-s3-no-public-access")!;
    const fixture = FIXTURES["aws-s3-no-public-access"].fail;
    const unknown = res("aws:s3/bucket:Bucket", "pending", {});
    // As @pulumi/policy's proxy does on reading a value a preview does not know.
    const makeUnknown = () =>
      Object.defineProperty(unknown.inputs, "acl", {
        enumerable: true,
        get() {
          throw new UnknownValueError("string value at .acl can't be known during preview");
        },
      });
    const messages = viaCrossGuard(
      policy,
      { resources: [...fixture.resources, unknown] },
      makeUnknown,
    );
    expect(messages.join("\n")).toMatch(FIXTURES["aws-s3-no-public-access"].message);
    expect(messages.join("\n")).not.toContain("pending");
  });
});

describe("config where users differ", () => {
  const policy = (name: string) => POLICIES.find((p) => p.name === name)!;

  it("takes schema defaults, and the pack config over them", () => {
    expect(configFor(policy("aws-nodes-imdsv2")).config).toEqual({ maxHopLimit: 1 });
    expect(
      configFor(policy("aws-nodes-imdsv2"), { "aws-nodes-imdsv2": { maxHopLimit: 2 } }),
    ).toEqual({
      level: "mandatory",
      config: { maxHopLimit: 2 },
    });
  });

  it("lets a pod reach IMDS through one more hop when the team allows it", () => {
    const [template] = FIXTURES["aws-nodes-imdsv2"].pass.resources;
    const hop2 = {
      resources: [edited(template, (i) => (i.metadataOptions.httpPutResponseHopLimit = 2))],
    };
    expect(run(policy("aws-nodes-imdsv2"), hop2).length).toBe(1);
    expect(
      run(policy("aws-nodes-imdsv2"), hop2, { "aws-nodes-imdsv2": { maxHopLimit: 2 } }),
    ).toEqual([]);
  });

  it("allows a public EKS endpoint when configured, limited to listed CIDRs, never 0.0.0.0/0", () => {
    const [cluster] = FIXTURES["aws-eks-private-endpoint"].pass.resources;
    const allow = { "aws-eks-private-endpoint": { allowPublicEndpoint: true } };
    const open = (cidrs: string[]) => ({
      resources: [
        edited(cluster, (i) => {
          i.vpcConfig.endpointPublicAccess = true;
          i.vpcConfig.publicAccessCidrs = cidrs;
        }),
      ],
    });
    expect(run(policy("aws-eks-private-endpoint"), open(["203.0.113.0/24"]), allow)).toEqual([]);
    expect(run(policy("aws-eks-private-endpoint"), open(["0.0.0.0/0"]), allow).length).toBe(1);
  });

  it("asks protection in prod only, reading the environment from the resources' tags or the config", () => {
    const p = policy("officeless-stateful-protected-in-prod");
    const [bucket] = FIXTURES["officeless-stateful-protected-in-prod"].fail.resources;
    const dev = edited(bucket, (i) => (i.tags.environment = "dev"));
    expect(run(p, { resources: [dev] })).toEqual([]);
    expect(run(p, { resources: [dev] }, { [p.name]: { environment: "prod" } }).length).toBe(1);
  });

  it("reads the environment from tags in list form too (Volcengine, Huawei)", () => {
    const p = policy("officeless-stateful-protected-in-prod");
    const bucket = (environment: string) =>
      res("volcengine:tos/bucket:Bucket", "data", {
        tags: [
          { key: "layer", value: "storage" },
          { key: "environment", value: environment },
        ],
      });
    expect(run(p, { resources: [bucket("dev")] })).toEqual([]);
    expect(run(p, { resources: [bucket("prod")] }).map((v) => v.message)).toEqual([
      "volcengine:tos/bucket:Bucket data holds data or keys and is not protected",
    ]);
  });

  it("renders violations mandatory first, with the stack and resource", () => {
    const text = renderViolations([
      { policy: "b", level: "advisory", message: "later" },
      {
        policy: "a",
        level: "mandatory",
        stack: "prod-aws-storage",
        urn: "urn:x::data",
        message: "first",
      },
    ]);
    expect(text.split("\n")).toEqual([
      "Policies: 2 violation(s), 1 mandatory",
      "  [mandatory] a: prod-aws-storage data: first",
      "  [advisory] b: later",
    ]);
  });
});

describe("the shipped pack", () => {
  const ROOT = path.resolve(__dirname, "..", "..");
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

  it("is a nodejs policy project whose entry point the build puts beside it", () => {
    const yaml = fs.readFileSync(path.join(ROOT, "policy", "PulumiPolicy.yaml"), "utf8");
    expect(yaml).toMatch(/^runtime: nodejs$/m);
    expect(fs.existsSync(path.join(ROOT, "policy", "index.ts"))).toBe(true);
    expect(pkg.scripts.build).toContain("policy/PulumiPolicy.yaml");
    expect(pkg.exports["./policy"]).toEqual({
      types: "./dist/policy/library.d.ts",
      default: "./dist/policy/library.js",
    });
  });
});
