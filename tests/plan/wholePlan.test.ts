/**
 * Whole-plan rules from shared/REVIEW.md, run over every example stack of every cloud at its
 * worst case (longest accepted names). Each rule is one class of defect that mocks would let
 * through on any resource, not only the one that was found first.
 */
import type { PlannedResource, PlannedStack } from "../../automation/offline/plan";
import { SECRET_PLACEHOLDER } from "../../automation/offline/mocks";
import { refusedInputs } from "../../automation/offline/replay";
import { CREDENTIAL_NAME, nameLimits, secretsAsSecrets, statefulIn } from "../../policy/common";
import { CLOUDS, evaluate } from "../../policy/library";
import { NAME_LIMITS, NO_NAME_LIMIT } from "../../policy/nameLimits";
import type { OfficelessPolicy } from "../../policy/types";
import { holdsDataRelease } from "../../policy/clouds/onprem";
import { fromPlan } from "../../policy/views";
import { EXAMPLE_STACKS, worstCasePlans } from "./worstCase";
// The policy pack runs in this file's worker on the same worst-case plans.
import "./policyPack";

let plans: Map<string, PlannedStack[]>;
beforeAll(async () => {
  plans = await worstCasePlans(EXAMPLE_STACKS);
}, 300_000);

const resourcesOf = (base: string): PlannedResource[] =>
  plans.get(base)!.flatMap((s) => s.resources.filter((r) => r.custom));
const prodStacks = EXAMPLE_STACKS.filter((s) => s.startsWith("prod-"));
const devStacks = EXAMPLE_STACKS.filter((s) => s.startsWith("dev-"));

/** Types that hold data or keys (policy/common.ts and each cloud's file): prod protects every one. */
const isStateful = statefulIn(CLOUDS);

/** Messages of one policy of the pack over every layer stack of a base stack. */
const violationsOf = (base: string, policies: readonly OfficelessPolicy[]) =>
  plans
    .get(base)!
    .flatMap((s) => evaluate(fromPlan(s.resources), { stack: s.name, policies }))
    .map((v) => `${v.urn?.split("::").pop()}: ${v.message}`);

/** What prod must protect: stateful types, and on-prem the releases that hold data. */
const holdsData = (r: PlannedResource): boolean =>
  isStateful(r.type) || holdsDataRelease({ type: r.type, props: r.inputs });

describe("protection (REVIEW.md: Destroy)", () => {
  it.each(prodStacks)("%s protects every stateful resource", (base) => {
    const unprotected = resourcesOf(base)
      .filter((r) => holdsData(r) && !r.options.protect)
      .map((r) => `${r.type} ${r.name}`);
    expect(unprotected).toEqual([]);
    expect(resourcesOf(base).filter(holdsData).length).toBeGreaterThan(5);
  });

  it.each(devStacks)("%s protects and retains nothing, so destroy removes it all", (base) => {
    const kept = resourcesOf(base)
      .filter((r) => r.options.protect || r.options.retainOnDelete)
      .map((r) => `${r.type} ${r.name}`);
    expect(kept).toEqual([]);
  });

  /** Containers that refuse deletion while they hold data, and the input that empties them first. */
  const EMPTIED_ON_DESTROY: Record<string, string> = {
    "aws:s3/bucket:Bucket": "forceDestroy",
    "aws:backup/vault:Vault": "forceDestroy",
    "gcp:storage/bucket:Bucket": "forceDestroy",
    "alicloud:oss/bucket:Bucket": "forceDestroy",
    "huaweicloud:Obs/bucket:Bucket": "forceDestroy",
  };
  it.each(devStacks)("%s empties buckets and vaults on destroy", (base) => {
    const refusing = resourcesOf(base)
      .filter((r) => r.type in EMPTIED_ON_DESTROY && r.inputs[EMPTIED_ON_DESTROY[r.type]] !== true)
      .map((r) => `${r.type} ${r.name}: ${EMPTIED_ON_DESTROY[r.type]} is not true`);
    expect(refusing).toEqual([]);
  });

  /**
   * Soft delete that outlives a destroy: a Backup vault holding a soft-deleted instance cannot be
   * deleted (so it is off outside prod), and a purge-protected Key Vault stays for its retention
   * (the minimum outside prod). Each entry: the input path and the value a dev stack must have.
   */
  const DEV_SOFT_DELETE: Record<string, [string, unknown]> = {
    "azure-native:dataprotection:BackupVault": [
      "properties.securitySettings.softDeleteSettings.state",
      "Off",
    ],
    "azure-native:keyvault:Vault": ["properties.softDeleteRetentionInDays", 7],
  };
  it.each(devStacks)("%s leaves nothing soft-deleted past the minimum on destroy", (base) => {
    const valueAt = (inputs: Record<string, unknown>, path: string): unknown =>
      path
        .split(".")
        .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], inputs);
    const lingering = resourcesOf(base)
      .filter((r) => r.type in DEV_SOFT_DELETE)
      .filter((r) => valueAt(r.inputs, DEV_SOFT_DELETE[r.type][0]) !== DEV_SOFT_DELETE[r.type][1])
      .map(
        (r) =>
          `${r.type} ${r.name}: ${DEV_SOFT_DELETE[r.type][0]} is not ${DEV_SOFT_DELETE[r.type][1]}`,
      );
    expect(lingering).toEqual([]);
  });

  it.each(prodStacks)("%s never empties buckets or vaults on destroy", (base) => {
    const emptying = resourcesOf(base)
      .filter((r) => r.type in EMPTIED_ON_DESTROY && r.inputs[EMPTIED_ON_DESTROY[r.type]] === true)
      .map((r) => `${r.type} ${r.name}`);
    expect(emptying).toEqual([]);
  });
});

describe("secrets (REVIEW.md: Secrets)", () => {
  it.each(EXAMPLE_STACKS)("%s passes every credential input and output as a secret", (base) => {
    // Inputs: the pack's rule, on every resource of every layer stack.
    const plain = violationsOf(base, [secretsAsSecrets]);
    for (const stack of plans.get(base)!)
      for (const [key, value] of Object.entries(stack.outputs))
        if (CREDENTIAL_NAME.test(key) && value !== SECRET_PLACEHOLDER)
          plain.push(`${stack.name} output ${key}`);
    expect(plain).toEqual([]);
  });
});

describe("name limits at the longest accepted names (REVIEW.md: Name limits)", () => {
  it.each(EXAMPLE_STACKS)("%s: every name fits its cloud's limit", (base) => {
    // The pack's rule: explicit names, and `<logical name>-<7 characters>` where Pulumi names.
    expect(violationsOf(base, [nameLimits])).toEqual([]);
  });

  it.each(EXAMPLE_STACKS)("%s: every resource type's name limit has been looked up", (base) => {
    const known = new Set(NAME_LIMITS.map((l) => l.type));
    const unknown = [...new Set(resourcesOf(base).map((r) => r.type))].filter(
      (t) => !known.has(t) && !NO_NAME_LIMIT.has(t),
    );
    expect(unknown).toEqual([]);
  });
});

describe("inputs the SDKs require (REVIEW.md: what mocks let through)", () => {
  // The SDKs' own constructors refuse a missing required input: an output the mocks never resolve
  // (a key id, an endpoint) would otherwise reach the real engine unset.
  it.each(EXAMPLE_STACKS)("%s gives every resource the inputs its SDK class requires", (base) => {
    expect(refusedInputs(resourcesOf(base))).toEqual([]);
  });

  it("the check sees a missing required input", () => {
    const alias = resourcesOf("prod-aws").find((r) => r.type === "aws:kms/alias:Alias")!;
    const { targetKeyId: _dropped, ...inputs } = alias.inputs;
    expect(refusedInputs([{ ...alias, inputs }])).toEqual([
      `aws:kms/alias:Alias ${alias.name}: Missing required property 'targetKeyId'`,
    ]);
  });
});
