/**
 * Whole-plan rules from shared/REVIEW.md, run over every example stack of every cloud at its
 * worst case (longest accepted names). Each rule is one class of defect that mocks would let
 * through on any resource, not only the one that was found first.
 */
import type { PlannedResource, PlannedStack } from "../../automation/offline/plan";
import { SECRET_PLACEHOLDER } from "../../automation/offline/mocks";
import { refusedInputs } from "../../automation/offline/replay";
import { NAME_LIMITS, NO_NAME_LIMIT } from "./nameLimits";
import { EXAMPLE_STACKS, worstCasePlan } from "./worstCase";
// The day-2 rules run in this file's worker on the same worst-case plans.
import "./dayTwo";

const plans = new Map<string, PlannedStack[]>();
beforeAll(async () => {
  for (const base of EXAMPLE_STACKS) plans.set(base, await worstCasePlan(base));
}, 180_000);

const resourcesOf = (base: string): PlannedResource[] =>
  plans.get(base)!.flatMap((s) => s.resources.filter((r) => r.custom));
const prodStacks = EXAMPLE_STACKS.filter((s) => s.startsWith("prod-"));
const devStacks = EXAMPLE_STACKS.filter((s) => s.startsWith("dev-"));

/** Every leaf of an input tree with its dotted path. */
function* leaves(value: unknown, path = ""): Generator<[string, unknown]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* leaves(value[i], `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) yield* leaves(v, path ? `${path}.${k}` : k);
  } else {
    yield [path, value];
  }
}

/** Types that hold data or keys: losing one loses data, so prod protects every one. */
const STATEFUL =
  /(:Bucket$|kms\/key:Key$|:KeyRing$|:CryptoKey$|:FileSystem$|:LogGroup$|:ReplicationGroup$|backup\/vault:Vault$|:StorageAccount$|:BlobContainer$|:FileShare$|keyvault:(Vault|Key)$|redisenterprise:(RedisEnterprise|Database)$|redis\/instance:Instance$|memorystore\/instance:Instance$|filestore\/instance:Instance$|:BackupVault$|operationalinsights:Workspace$|:DiskEncryptionSet$|:ProjectBucketConfig$|gkebackup\/backupPlan:BackupPlan$)/;

describe("protection (REVIEW.md: Destroy)", () => {
  it.each(prodStacks)("%s protects every stateful resource", (base) => {
    const unprotected = resourcesOf(base)
      .filter((r) => STATEFUL.test(r.type) && !r.options.protect)
      .map((r) => `${r.type} ${r.name}`);
    expect(unprotected).toEqual([]);
    expect(resourcesOf(base).filter((r) => STATEFUL.test(r.type)).length).toBeGreaterThan(5);
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
  /** Input and output names that carry a credential wherever they appear. */
  const SECRET_NAME =
    /^(password|adminPassword|secret|sharedSecret|sharedKey|authToken|preSharedKey|tunnel\dPresharedKey|kubeconfig|privateKey|clientSecret|secretAccessKey|tunnelPreSharedKeys|primaryKey|secondaryKey)$/i;

  it.each(EXAMPLE_STACKS)("%s passes every credential input and output as a secret", (base) => {
    const plain: string[] = [];
    for (const stack of plans.get(base)!) {
      for (const r of stack.resources) {
        for (const [path, value] of leaves(r.inputs)) {
          const leaf = path.split(/[.[]/).pop()!;
          if (SECRET_NAME.test(leaf) && value !== SECRET_PLACEHOLDER && value !== undefined)
            plain.push(`${r.type} ${r.name}: ${path}`);
        }
      }
      for (const [key, value] of Object.entries(stack.outputs))
        if (SECRET_NAME.test(key) && value !== SECRET_PLACEHOLDER)
          plain.push(`${stack.name} output ${key}`);
    }
    expect(plain).toEqual([]);
  });
});

describe("name limits at the longest accepted names (REVIEW.md: Name limits)", () => {
  /** The value at a dotted input path, if present. */
  const at = (inputs: Record<string, unknown>, path: string): unknown =>
    path
      .split(".")
      .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], inputs);

  it.each(EXAMPLE_STACKS)("%s: every name fits its cloud's limit", (base) => {
    const problems: string[] = [];
    for (const r of resourcesOf(base)) {
      for (const limit of NAME_LIMITS.filter((l) => l.type === r.type)) {
        const explicit = at(r.inputs, limit.input);
        if (explicit === SECRET_PLACEHOLDER) continue;
        // An absent input is auto-named by Pulumi: the logical name, a hyphen and 7 random characters.
        const name =
          typeof explicit === "string"
            ? explicit
            : limit.autoname
              ? `${r.name}-abc1234`
              : undefined;
        if (name === undefined) continue;
        const how = typeof explicit === "string" ? "" : " (auto-named)";
        if (name.length > limit.max || name.length < (limit.min ?? 1))
          problems.push(`${r.type} ${limit.input}${how} "${name}": ${name.length} > ${limit.max}`);
        else if (limit.pattern && !limit.pattern.test(name))
          problems.push(`${r.type} ${limit.input}${how} "${name}": not ${limit.pattern}`);
      }
    }
    expect(problems).toEqual([]);
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
