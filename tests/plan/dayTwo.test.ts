/**
 * REVIEW.md "ForceNew on config": the day-2 edits users make to a running platform (admins,
 * sizes, versions, retention, allow-lists, tags) are planned at once on every prod stack, and
 * every input they alter is checked against the provider's replace-on-change inputs. A type whose
 * inputs change must be listed in REPLACES (replaces.ts, reviewed), even when nothing of it
 * replaces. The worst case is the day-one platform (it runs the oldest accepted minor, see
 * worstCaseConfig); its plans are shared with the other plan test files (worstCase.ts).
 */
import type { PlannedResource } from "../../automation/offline/plan";
import { CONFIG_CHANGES } from "./configChanges";
import {
  AUTOSCALER_OWNED,
  changedPaths,
  custom,
  REPLACED_IN_PLACE,
  REPLACES,
  TAG_INPUTS,
} from "./replaces";
import { changedPlan, EXAMPLE_STACKS, worstCasePlan, worstCasePlans } from "./worstCase";

const prodStacks = EXAMPLE_STACKS.filter((s) => s.startsWith("prod-"));

// The worst cases this file reads, up front: planned here or by another plan file's worker.
beforeAll(async () => {
  await worstCasePlans(prodStacks);
}, 300_000);

describe.each(prodStacks)("day-2 config changes on %s", (base) => {
  let before: Map<string, PlannedResource>;
  let after: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan(base));
    after = custom(
      await changedPlan(base, "day-two", (raw, cloud) =>
        CONFIG_CHANGES.forEach((c) => c.apply(raw, cloud)),
      ),
    );
  }, 120_000);

  /** Every changed input, as `type name: path`, on resources present before and after. */
  const changes = () =>
    [...after].flatMap(([urn, r]) => {
      const old = before.get(urn);
      if (!old) return [];
      return changedPaths(old.inputs, r.inputs)
        .filter((p) => !TAG_INPUTS.test(p))
        .map((p) => ({ type: r.type, name: r.name, path: p, options: r.options }));
    });

  it("change something (the edits reach the plan)", () => {
    expect(changes().length).toBeGreaterThan(3);
  });

  it("replace nothing and remove nothing", () => {
    const unreviewed = [...new Set(changes().map((c) => c.type))].filter((t) => !(t in REPLACES));
    expect(unreviewed).toEqual([]);
    const replacing = changes()
      .filter(
        (c) => !c.options.ignoreChanges.some((i) => c.path === i || c.path.startsWith(`${i}.`)),
      )
      .filter((c) => !(REPLACED_IN_PLACE.has(c.type) && c.options.deleteBeforeReplace))
      .filter((c) =>
        (REPLACES[c.type] ?? []).some((p) => c.path === p || c.path.startsWith(`${p}.`)),
      )
      .map((c) => `${c.type} ${c.name}: ${c.path}`);
    expect(replacing).toEqual([]);
    const removed = [...before.keys()].filter((urn) => !after.has(urn));
    expect(removed).toEqual([]);
  });

  it("delete settings singletons before replacing them", () => {
    const unsafe = [...after.values()]
      .filter((r) => REPLACED_IN_PLACE.has(r.type) && !r.options.deleteBeforeReplace)
      .map((r) => `${r.type} ${r.name}`);
    expect(unsafe).toEqual([]);
  });

  /** Node pools created inline with their cluster, which the cluster's API does not update. */
  const INLINE_POOLS: Record<string, string> = {
    "azure-native:containerservice:ManagedCluster": "agentPoolProfiles",
  };
  it("leave inline node pools' inputs as they were (not only ignored)", () => {
    const edited = [...after]
      .filter(([, r]) => r.type in INLINE_POOLS)
      .filter(([urn, r]) => {
        const path = INLINE_POOLS[r.type];
        return JSON.stringify(before.get(urn)?.inputs[path]) !== JSON.stringify(r.inputs[path]);
      })
      .map(([, r]) => `${r.type} ${r.name}: ${INLINE_POOLS[r.type]}`);
    expect(edited).toEqual([]);
  });

  it("leave the node count to the autoscaler", () => {
    const reset = [...after.values()]
      .filter((r) => r.type in AUTOSCALER_OWNED)
      // ACK's fixed-size system pool has no autoscaler: its size is the backend's.
      .filter((r) => !(r.type === "alicloud:cs/nodePool:NodePool" && !r.inputs.scalingConfig))
      .filter((r) => !r.options.ignoreChanges.includes(AUTOSCALER_OWNED[r.type]))
      .map((r) => `${r.type} ${r.name}: ${AUTOSCALER_OWNED[r.type]} not in ignoreChanges`);
    expect(reset).toEqual([]);
  });
});
