/**
 * Day-2 edits on prod-huawei that replace by design, checked to replace safely: a node-pool flavor
 * change (a new CCE pool name, created before the old pool goes), and a VPN peer change (never
 * replaces the gateway by itself: its user data is ForceNew, so the config hash tag records it).
 */
import type { PlannedResource, PlannedStack } from "../../automation/offline/plan";
import { changedPlan, urnKey, worstCasePlan } from "../plan/worstCase";

const POOL = "huaweicloud:Cce/nodePool:NodePool";
const GATEWAY = "huaweicloud:Ecs/instance:Instance";
type Raw = Record<string, any>;

const custom = (stacks: PlannedStack[]) =>
  new Map(
    stacks
      .flatMap((s) => s.resources)
      .filter((r) => r.custom)
      .map((r) => [urnKey(r.urn), r] as [string, PlannedResource]),
  );
const ofType = (plan: Map<string, PlannedResource>, type: string) =>
  [...plan].filter(([, r]) => r.type === type);

let before: Map<string, PlannedResource>;
beforeAll(async () => {
  before = custom(await worstCasePlan("prod-huawei"));
}, 300_000);

it("renames every pool of a flavor change, creating the new pool before deleting the old", async () => {
  const after = custom(
    await changedPlan("prod-huawei", "flavor", (raw: Raw) => {
      for (const p of raw.kubernetes.nodePools) p.instanceTypes = ["c7.2xlarge.4"];
    }),
  );
  const pools = ofType(after, POOL);
  expect(pools.length).toBe(6);
  const oldNames = new Set(ofType(before, POOL).map(([, r]) => r.inputs.name));
  for (const [urn, r] of pools) {
    expect(before.has(urn)).toBe(true);
    expect(r.inputs.flavorId).toBe("c7.2xlarge.4");
    expect(oldNames.has(r.inputs.name)).toBe(false);
    expect(String(r.inputs.name).length).toBeLessThanOrEqual(50);
    expect(r.options.deleteBeforeReplace).toBe(false);
  }
}, 300_000);

it("keeps every pool's name when only sizes change", async () => {
  const after = custom(
    await changedPlan("prod-huawei", "sizes", (raw: Raw) => {
      for (const p of raw.kubernetes.nodePools) p.maxSize += 4;
    }),
  );
  for (const [urn, r] of ofType(after, POOL))
    expect(r.inputs.name).toBe(before.get(urn)!.inputs.name);
}, 300_000);

it("records a peer change on the gateway's tag, leaving its ForceNew user data ignored", async () => {
  const after = custom(
    await changedPlan("prod-huawei", "peer-cidr", (raw: Raw) => {
      // First in the list: a route named by position would move every CIDR onto another route.
      raw.vpn.peers[0].cidrs = ["192.0.2.0/24", ...raw.vpn.peers[0].cidrs];
    }),
  );
  const [[urn, gateway]] = ofType(after, GATEWAY);
  const old = before.get(urn)!;
  expect(gateway.options.ignoreChanges).toContain("userData");
  expect(gateway.options.deleteBeforeReplace).toBe(true);
  const tag = (r: PlannedResource) =>
    (r.inputs.tags as Record<string, string>)["officeless-vpn-config"];
  expect(tag(gateway)).toMatch(/^[a-z0-9]{10}$/);
  expect(tag(gateway)).not.toBe(tag(old));
  // The new network gets its route to the gateway.
  const routes = ofType(after, "huaweicloud:Vpc/route:Route");
  expect(routes.map(([, r]) => r.inputs.destination)).toContain("192.0.2.0/24");
  // Every existing route keeps its destination (ForceNew, unique per table); replacements delete first.
  const kept = routes.filter(([u]) => before.has(u));
  expect(kept.length).toBe(ofType(before, "huaweicloud:Vpc/route:Route").length);
  for (const [u, r] of routes) {
    if (before.has(u)) expect(r.inputs.destination).toBe(before.get(u)!.inputs.destination);
    expect(r.options.deleteBeforeReplace).toBe(true);
  }
}, 300_000);
