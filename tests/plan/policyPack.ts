/**
 * The policy pack (policy/) over every example stack's whole plan, as `npm run plan -- --policy`
 * runs it: no mandatory violation. Imported by wholePlan.test.ts, whose worker has the plans.
 */
import { evaluatePlan, POLICIES } from "../../policy/library";
import { EXAMPLE_STACKS, worstCasePlan } from "./worstCase";

describe("the policy pack on every example stack", () => {
  it.each(EXAMPLE_STACKS)("%s: no mandatory violation", async (base) => {
    const stacks = await worstCasePlan(base);
    const mandatory = evaluatePlan(stacks).filter((v) => v.level === "mandatory");
    expect(mandatory.map((v) => `${v.policy} ${v.urn}: ${v.message}`)).toEqual([]);
  });

  it("applies every cloud's resource policies to resources the example stacks plan", async () => {
    const types = new Set<string>();
    for (const base of EXAMPLE_STACKS)
      for (const s of await worstCasePlan(base)) for (const r of s.resources) types.add(r.type);
    // A rule whose types no example stack plans checks nothing here (a renamed type, a typo).
    const idle = POLICIES.filter((p) => p.kind === "resource" && p.types)
      .filter((p) => p.kind === "resource" && !p.types!.some((t) => types.has(t)))
      .map((p) => p.name);
    expect(idle).toEqual([]);
  });
});
