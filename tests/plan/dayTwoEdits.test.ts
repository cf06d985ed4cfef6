/**
 * Day-2 edits on one cloud's prod (or dev) stack, each planned against its worst case: the ones that
 * replace by design (checked to replace safely: a new name, created before the old is deleted) and
 * the ones that must not replace anything. REPLACES and the helpers: replaces.ts.
 */
import * as fs from "fs";
import * as path from "path";
import type { PlannedResource } from "../../automation/offline/plan";
import { DEFAULT_KUBERNETES_VERSION } from "../../components/versions";
import { CONFIG_CHANGES } from "./configChanges";
import { changedPaths, custom, REPLACES } from "./replaces";
import { changedPlan, EXAMPLE_STACKS, ROOT, worstCasePlan, worstCasePlans } from "./worstCase";

/** Example stacks that install K3s over SSH (on-prem `cluster.mode: k3s`). */
const K3S_STACKS = EXAMPLE_STACKS.filter((s) => {
  const text = fs.readFileSync(path.join(ROOT, `Pulumi.${s}.yaml`), "utf8");
  return /^\s*mode: k3s\s*$/m.test(text);
});

/**
 * K3s over SSH: a release upgrade must update every node command in place (a replacement runs the
 * old command's delete after the new create, on the same host). An SSH key, user or port change
 * does replace them (`connection` is replace-on-change, and secret, so the plan cannot show its
 * diff), as can a spurious connection diff (pulumi/pulumi-command#447): so no remote command may
 * do anything on delete or be protected, and a replacement only re-runs the idempotent create.
 */
describe.each(K3S_STACKS)("K3s day-2 changes on %s", (base) => {
  const COMMAND = "command:remote:Command";
  const commands = (plan: Map<string, PlannedResource>) =>
    [...plan].filter(([, r]) => r.type === COMMAND);

  it("upgrades K3s in place: only the scripts' text changes, nothing replace-on-change", async () => {
    const before = custom(await worstCasePlan(base));
    const upgrade = CONFIG_CHANGES.find(
      (c) => c.name === "Kubernetes upgraded to the newest minor",
    )!;
    const after = custom(
      await changedPlan(base, "k3s-upgrade", (raw, cloud) => upgrade.apply(raw, cloud)),
    );
    const nodes = commands(after).filter(([, r]) => /-k3s-(server|agent)-/.test(r.name));
    expect(nodes.length).toBeGreaterThan(1);
    const changed = new Set<string>();
    for (const [urn, r] of commands(after)) {
      const paths = changedPaths(before.get(urn)!.inputs, r.inputs);
      paths.forEach((p) => changed.add(p));
      expect(
        paths.filter((p) => REPLACES[COMMAND].some((x) => p === x || p.startsWith(`${x}.`))),
      ).toEqual([]);
    }
    // The upgrade reached the commands (the release is in create/update), and only there.
    expect([...changed].sort()).toEqual(["create", "update"]);
    for (const [urn, r] of nodes)
      expect(before.get(urn)!.inputs.create).not.toEqual(r.inputs.create);
    expect([...before.keys()].filter((u) => !after.has(u))).toEqual([]);
  }, 120_000);

  it("replaces a command on an SSH change harmlessly: no delete, no triggers, not protected", async () => {
    const all = commands(custom(await worstCasePlan(base)));
    expect(all.length).toBeGreaterThan(1);
    for (const [, r] of all) {
      expect(r.inputs.connection).toBe("[secret]");
      expect({
        name: r.name,
        delete: r.inputs.delete,
        triggers: r.inputs.triggers,
        protect: r.options.protect,
      }).toEqual({
        name: r.name,
        delete: undefined,
        triggers: undefined,
        protect: false,
      });
    }
  }, 120_000);
});

/**
 * A VM-size edit: AKS cannot resize a pool, so each of its pools is replaced. The new one must come
 * up beside the old (a new cloud-side name, no delete-first), so no zone loses its capacity, and
 * the system pools, which have their own size, must not move at all.
 */
describe("a node-pool VM size edit on prod-azure", () => {
  const POOL = "azure-native:containerservice:AgentPool";
  let before: Map<string, PlannedResource>;
  let after: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan("prod-azure"));
    after = custom(
      await changedPlan("prod-azure", "vm-size", (raw) => {
        const pools = (raw.kubernetes as { nodePools: { instanceTypes: string[] }[] }).nodePools;
        for (const pool of pools) pool.instanceTypes = ["Standard_E8ds_v5"];
      }),
    );
  }, 120_000);

  it("replaces only user pools, each under a new name and created before the old is deleted", () => {
    const replaced = [...after]
      .filter(([urn]) => before.has(urn))
      .flatMap(([urn, r]) =>
        changedPaths(before.get(urn)!.inputs, r.inputs)
          .filter((p) => !r.options.ignoreChanges.includes(p))
          .filter((p) => (REPLACES[r.type] ?? []).some((x) => p === x || p.startsWith(`${x}.`)))
          .map(() => [urn, r] as [string, PlannedResource]),
      );
    const pools = [...new Map(replaced).values()];
    expect(pools.length).toBe(6);
    for (const r of pools) {
      expect(r.type).toBe(POOL);
      expect(r.inputs.mode).toBe("User");
      expect(r.inputs.vmSize).toBe("Standard_E8ds_v5");
      const old = [...before.values()].find((b) => b.urn.endsWith(`::${r.name}`))!;
      expect(r.inputs.agentPoolName).not.toBe(old.inputs.agentPoolName);
      expect(r.options.deleteBeforeReplace).toBeFalsy();
    }
    // No new pool takes a name an old one still holds (it would be refused as existing).
    const oldNames = new Set(
      [...before.values()].filter((r) => r.type === POOL).map((r) => r.inputs.agentPoolName),
    );
    expect(pools.filter((r) => oldNames.has(r.inputs.agentPoolName))).toEqual([]);
    expect([...before.keys()].filter((urn) => !after.has(urn))).toEqual([]);
  });

  it("leaves the system pools as they were", () => {
    const system = [...after].filter(([, r]) => r.type === POOL && r.inputs.mode === "System");
    expect(system).toHaveLength(2);
    for (const [urn, r] of system) expect(r.inputs).toEqual(before.get(urn)!.inputs);
    const cluster = [...after].find(
      ([, r]) => r.type === "azure-native:containerservice:ManagedCluster",
    )!;
    expect(cluster[1].inputs.agentPoolProfiles).toEqual(
      before.get(cluster[0])!.inputs.agentPoolProfiles,
    );
  });
});

/**
 * A spot flip on GKE: `spot` is ForceNew, so the pool is replaced. The new pool must come up beside
 * the old (a new GKE name, no delete-first), and a machine-type edit, which GKE applies in place
 * by a surge upgrade, must leave the name alone.
 */
describe("node-pool edits on prod-gcp", () => {
  const POOL = "gcp:container/nodePool:NodePool";
  type Pools = { kubernetes: { nodePools: { spot: boolean; instanceTypes: string[] }[] } };
  let before: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan("prod-gcp"));
  }, 120_000);
  const pools = (plan: Map<string, PlannedResource>) =>
    [...plan].filter(([, r]) => r.type === POOL).sort(([a], [b]) => a.localeCompare(b));

  it("names each pool within GKE's 40 characters at the longest config pool name (20)", () => {
    const names = pools(before).map(([, r]) => r.inputs.name as string);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      expect(name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
      // The worst case pads each config name to 20; the GKE name adds "-" and a 6-character hash.
      expect(name).toHaveLength(27);
    }
  });

  it("replaces a pool whose spot flips under a new name, created before the old is deleted", async () => {
    const after = custom(
      await changedPlan("prod-gcp", "spot-flip", (raw) => {
        const spot = (raw as unknown as Pools).kubernetes.nodePools.find((p) => p.spot)!;
        spot.spot = false;
      }),
    );
    const renamed = pools(after).filter(
      ([urn, r]) => before.get(urn)?.inputs.name !== r.inputs.name,
    );
    expect(renamed).toHaveLength(1);
    const [urn, r] = renamed[0];
    expect((r.inputs.nodeConfig as { spot: boolean }).spot).toBe(false);
    expect((before.get(urn)!.inputs.nodeConfig as { spot: boolean }).spot).toBe(true);
    const oldNames = new Set(pools(before).map(([, p]) => p.inputs.name));
    expect(oldNames.has(r.inputs.name)).toBe(false);
    for (const [, p] of pools(after)) expect(p.options.deleteBeforeReplace).toBeFalsy();
    expect([...before.keys()].filter((u) => !after.has(u))).toEqual([]);
  }, 120_000);

  it("keeps every pool's name on a machine-type edit (updated in place)", async () => {
    const after = custom(
      await changedPlan("prod-gcp", "machine-type", (raw) => {
        for (const p of (raw as unknown as Pools).kubernetes.nodePools)
          p.instanceTypes = ["n2-standard-16"];
      }),
    );
    const edited = pools(after);
    expect(edited.length).toBeGreaterThan(1);
    for (const [urn, r] of edited) {
      expect((r.inputs.nodeConfig as { machineType: string }).machineType).toBe("n2-standard-16");
      expect(r.inputs.name).toBe(before.get(urn)!.inputs.name);
    }
  }, 120_000);
});

/**
 * Volcengine day-2 edits that reach ForceNew inputs: a Redis engine upgrade (ignored, done in the
 * console), a NAT layout flip on dev (moves a zone's default route to another gateway; prod must
 * be perZone) and a reordered
 * VPN peer list. Whatever replaces must go delete-first: a route table (and a VPN gateway) refuses
 * a second route to one destination.
 */
describe("ForceNew day-2 edits on prod-volcengine", () => {
  const ROUTE = "volcengine:vpc/routeEntry:RouteEntry";
  const VPN_ROUTE = "volcengine:vpn/gatewayRoute:GatewayRoute";
  const REDIS = "volcengine:redis/instance:Instance";
  let before: Map<string, PlannedResource>;
  beforeAll(async () => {
    before = custom(await worstCasePlan("prod-volcengine"));
  }, 120_000);

  /** Resources present before and after whose ForceNew inputs changed, and not ignored. */
  const replaced = (after: Map<string, PlannedResource>) =>
    [...after]
      .filter(([urn]) => before.has(urn))
      .filter(([urn, r]) =>
        changedPaths(before.get(urn)!.inputs, r.inputs)
          .filter((p) => !r.options.ignoreChanges.some((i) => p === i || p.startsWith(`${i}.`)))
          .some((p) => (REPLACES[r.type] ?? []).some((x) => p === x || p.startsWith(`${x}.`))),
      )
      .map(([, r]) => r);

  it("keeps the Redis instance on a cache.version edit (engineVersion ignored, upgrade in the console)", async () => {
    const after = custom(
      await changedPlan("prod-volcengine", "redis-version", (raw) => {
        (raw.cache as { version: string }).version = "6.0";
      }),
    );
    const redis = [...after.values()].filter((r) => r.type === REDIS);
    expect(redis).toHaveLength(1);
    expect(redis[0].inputs.engineVersion).toBe("6.0");
    expect(redis[0].options.ignoreChanges).toContain("engineVersion");
    expect(replaced(after)).toEqual([]);
  }, 120_000);

  it("replaces the moved default route delete-first on a natGateways flip (dev to perZone)", async () => {
    const dev = custom(await worstCasePlan("dev-volcengine"));
    const after = custom(
      await changedPlan("dev-volcengine", "nat-per-zone", (raw) => {
        (raw.network as { natGateways: string }).natGateways = "perZone";
      }),
    );
    const moved = [...after]
      .filter(([urn]) => dev.has(urn))
      .filter(([urn, r]) =>
        changedPaths(dev.get(urn)!.inputs, r.inputs).some((p) =>
          (REPLACES[r.type] ?? []).some((x) => p === x || p.startsWith(`${x}.`)),
        ),
      )
      .map(([, r]) => r);
    // The second zone now routes to its own gateway.
    expect(moved.map((r) => `${r.type} ${r.inputs.destinationCidrBlock}`)).toEqual([
      `${ROUTE} 0.0.0.0/0`,
    ]);
    for (const r of moved) expect(r.options.deleteBeforeReplace).toBe(true);
  }, 120_000);

  it("moves no VPN route on a reordered, longer peer list (routes named by CIDR)", async () => {
    const after = custom(
      await changedPlan("prod-volcengine", "vpn-reorder", (raw) => {
        for (const peer of (raw.vpn as { peers: { cidrs: string[] }[] }).peers)
          peer.cidrs = ["172.16.0.0/16", ...peer.cidrs];
      }),
    );
    expect(replaced(after)).toEqual([]);
    const routes = [...after.values()].filter((r) => r.type === ROUTE || r.type === VPN_ROUTE);
    expect(routes.length).toBeGreaterThan(4);
    for (const r of routes) expect(r.options.deleteBeforeReplace).toBe(true);
    expect([...before.keys()].filter((urn) => !after.has(urn))).toEqual([]);
  }, 120_000);
});

/**
 * Node-pool edits on ACK: instance types, spot and disk size update a pool in place (none is
 * ForceNew in resource_alicloud_cs_kubernetes_node_pool.go), so every pool keeps its name and
 * nothing is replaced; the cluster's create-only inputs stay as they were.
 */
describe("node-pool edits on prod-alibaba", () => {
  const POOL = "alicloud:cs/nodePool:NodePool";
  type Pools = {
    kubernetes: { nodePools: { spot: boolean; instanceTypes: string[]; diskSizeGb?: number }[] };
  };
  it("updates every pool in place under its own name", async () => {
    const before = custom(await worstCasePlan("prod-alibaba"));
    const after = custom(
      await changedPlan("prod-alibaba", "pool-edits", (raw) => {
        for (const p of (raw as unknown as Pools).kubernetes.nodePools) {
          p.instanceTypes = ["ecs.g8i.2xlarge"];
          p.spot = !p.spot;
          p.diskSizeGb = 200;
        }
      }),
    );
    const pools = [...after].filter(([, r]) => r.type === POOL);
    expect(pools.length).toBeGreaterThan(1);
    for (const [urn, r] of pools) {
      const old = before.get(urn)!;
      expect(r.inputs.instanceTypes).toEqual(["ecs.g8i.2xlarge"]);
      expect(r.inputs.nodePoolName).toBe(old.inputs.nodePoolName);
      const forceNew = changedPaths(old.inputs, r.inputs).filter((p) =>
        (REPLACES[POOL] ?? []).some((x) => p === x || p.startsWith(`${x}.`)),
      );
      expect(forceNew).toEqual([]);
    }
    expect([...before.keys()].filter((u) => !after.has(u))).toEqual([]);
  }, 120_000);
});

/**
 * ACK's version and Tair's placement on prod-alibaba: the cluster's release is resolved at creation
 * only (a later `up` after ACK ships a patch, or a minor bump in the config, must not upgrade the
 * control plane unasked: docs/clouds/alibaba.md, upgrades), and reordering the zones must not move
 * the Tair instance (zoneId, secondaryZoneId and vswitchId are ForceNew).
 */
describe("ACK version and Tair zones on prod-alibaba", () => {
  const CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes";
  const TAIR = "alicloud:redis/tairInstance:TairInstance";
  const ignored = (r: PlannedResource, p: string) =>
    r.options.ignoreChanges.some((i) => p === i || p.startsWith(`${i}.`));

  it("leaves a running cluster's version alone when the configured minor (and so the release) changes", async () => {
    const before = custom(await worstCasePlan("prod-alibaba"));
    const after = custom(
      await changedPlan("prod-alibaba", "minor", (raw) => {
        (raw.kubernetes as Record<string, unknown>).version = DEFAULT_KUBERNETES_VERSION;
      }),
    );
    const clusters = [...after].filter(([, r]) => r.type === CLUSTER);
    expect(clusters).toHaveLength(1);
    for (const [urn, r] of clusters) {
      const old = before.get(urn)!;
      expect(r.inputs.version).not.toEqual(old.inputs.version);
      expect(changedPaths(old.inputs, r.inputs).filter((p) => !ignored(r, p))).not.toContain(
        "version",
      );
    }
  }, 120_000);

  it("keeps the Tair instance's zones and vSwitch when the zones are reordered", async () => {
    const before = custom(await worstCasePlan("prod-alibaba"));
    const after = custom(
      await changedPlan("prod-alibaba", "zone-order", (raw) => {
        raw.zones = [...(raw.zones as string[])].reverse();
      }),
    );
    const caches = [...after].filter(([, r]) => r.type === TAIR);
    expect(caches).toHaveLength(1);
    for (const [urn, r] of caches) {
      const old = before.get(urn)!;
      expect(r.inputs.zoneId).not.toEqual(old.inputs.zoneId);
      const forceNew = changedPaths(old.inputs, r.inputs)
        .filter((p) => !ignored(r, p))
        .filter((p) => (REPLACES[TAIR] ?? []).some((x) => p === x || p.startsWith(`${x}.`)));
      expect(forceNew).toEqual([]);
    }
  }, 120_000);
});

/**
 * OKE's release and node image on prod-oci: both are resolved at creation only. A later `up` after
 * OKE ships a patch or an image, or a minor bump in the config, must neither upgrade the control
 * plane nor (with node cycling on) replace every node unasked (docs/clouds/oci.md, upgrades).
 */
describe("OKE release and node images on prod-oci", () => {
  const CLUSTER = "oci:ContainerEngine/cluster:Cluster";
  const POOL = "oci:ContainerEngine/nodePool:NodePool";
  const ignored = (r: PlannedResource, p: string) =>
    r.options.ignoreChanges.some((i) => p === i || p.startsWith(`${i}.`));

  it("changes no applied version or image of the cluster or a pool when the configured minor changes", async () => {
    const before = custom(await worstCasePlan("prod-oci"));
    const after = custom(
      await changedPlan("prod-oci", "minor", (raw) => {
        (raw.kubernetes as Record<string, unknown>).version = DEFAULT_KUBERNETES_VERSION;
      }),
    );
    const changed = [...after].filter(([, r]) => r.type === CLUSTER || r.type === POOL);
    expect(changed.filter(([, r]) => r.type === POOL).length).toBeGreaterThan(1);
    for (const [urn, r] of changed) {
      const old = before.get(urn)!;
      expect(r.inputs.kubernetesVersion).not.toEqual(old.inputs.kubernetesVersion);
      const applied = changedPaths(old.inputs, r.inputs).filter((p) => !ignored(r, p));
      expect(applied).not.toContain("kubernetesVersion");
      expect(applied).not.toContain("nodeSourceDetails.imageId");
    }
  }, 120_000);
});

// The worst cases this file reads, up front: planned here or by another plan file's worker.
beforeAll(async () => {
  await worstCasePlans([
    ...K3S_STACKS,
    "prod-azure",
    "prod-gcp",
    "prod-volcengine",
    "dev-volcengine",
    "prod-alibaba",
    "prod-oci",
  ]);
}, 300_000);
