/**
 * Property-based tests of the CIDR planner: for any network and zone count whose tiers fit, every
 * subnet lies inside the network, none overlap, each has its requested size, and the plan never
 * changes between runs; when they do not fit, the planner refuses with SubnetPlanError.
 */
import fc from "fast-check";
import {
  SubnetPlan,
  SubnetPlanError,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  planSubnets,
} from "../components/cidr";

const RUNS = { numRuns: 300 };

/** Start address of the block of `prefix` bits containing `address`. */
function align(address: number, prefix: number): number {
  return prefix === 0 ? 0 : Number((BigInt(address) >> BigInt(32 - prefix)) << BigInt(32 - prefix));
}

/** Any aligned IPv4 block with a prefix in [min, max]. */
function cidrArb(min: number, max: number) {
  return fc
    .record({ prefix: fc.integer({ min, max }), address: fc.integer({ min: 0, max: 2 ** 32 - 1 }) })
    .map(({ prefix, address }) => ({
      prefix,
      start: align(address, prefix),
      text: formatCidr(align(address, prefix), prefix),
    }));
}

/** A network, a zone count and tier sizes that always fit: each tier takes at most a quarter. */
const fittingPlan = fc
  .record({
    network: cidrArb(16, 23),
    zones: fc.integer({ min: 1, max: 6 }),
    seeds: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
    database: fc.boolean(),
  })
  .map(({ network, zones, seeds, database }) => {
    const smallest = network.prefix + 2 + Math.ceil(Math.log2(zones));
    const pick = (seed: number) => smallest + (seed % (28 - smallest + 1));
    return {
      network,
      zones,
      sizes: {
        privatePrefix: pick(seeds[0]),
        publicPrefix: pick(seeds[1]),
        databasePrefix: database ? pick(seeds[2]) : 0,
      },
    };
  });

function allSubnets(plan: SubnetPlan): string[] {
  return [...plan.private, ...plan.public, ...plan.database];
}

describe("planSubnets", () => {
  it("keeps every subnet inside the network, disjoint, sized as asked, one per zone", () => {
    fc.assert(
      fc.property(fittingPlan, ({ network, zones, sizes }) => {
        const plan = planSubnets(network.text, zones, sizes);
        expect(plan.private).toHaveLength(zones);
        expect(plan.public).toHaveLength(zones);
        expect(plan.database).toHaveLength(sizes.databasePrefix > 0 ? zones : 0);
        const expectPrefix = (subnets: string[], prefix: number) =>
          subnets.forEach((s) => expect(parseCidr(s)?.prefix).toBe(prefix));
        expectPrefix(plan.private, sizes.privatePrefix);
        expectPrefix(plan.public, sizes.publicPrefix);
        expectPrefix(plan.database, sizes.databasePrefix);
        const subnets = allSubnets(plan);
        for (const subnet of subnets) expect(cidrContains(network.text, subnet)).toBe(true);
        for (let i = 0; i < subnets.length; i++) {
          for (let j = i + 1; j < subnets.length; j++)
            expect(cidrsOverlap(subnets[i], subnets[j])).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it("is deterministic: the same input always gives the same plan", () => {
    fc.assert(
      fc.property(fittingPlan, ({ network, zones, sizes }) => {
        expect(planSubnets(network.text, zones, sizes)).toEqual(
          planSubnets(network.text, zones, { ...sizes }),
        );
      }),
      RUNS,
    );
  });

  it("agrees with an address count: plans exactly when the tiers fit, else throws SubnetPlanError", () => {
    const anyPlan = fc.record({
      network: cidrArb(16, 24),
      zones: fc.integer({ min: 1, max: 6 }),
      offsets: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 3, maxLength: 3 }),
      database: fc.boolean(),
    });
    fc.assert(
      fc.property(anyPlan, ({ network, zones, offsets, database }) => {
        // Always longer than the network's prefix (at most /24 + 1), at most /28.
        const prefixes = offsets.map((o) => Math.min(28, network.prefix + o));
        const sizes = {
          privatePrefix: prefixes[0],
          publicPrefix: prefixes[1],
          databasePrefix: database ? prefixes[2] : 0,
        };
        const used = [
          sizes.privatePrefix,
          sizes.publicPrefix,
          ...(database ? [sizes.databasePrefix] : []),
        ];
        const needed = used.reduce((sum, p) => sum + zones * 2 ** (32 - p), 0);
        if (needed <= 2 ** (32 - network.prefix)) {
          expect(allSubnets(planSubnets(network.text, zones, sizes))).toHaveLength(
            zones * used.length,
          );
        } else {
          expect(() => planSubnets(network.text, zones, sizes)).toThrow(SubnetPlanError);
        }
      }),
      RUNS,
    );
  });

  it("throws SubnetPlanError when the private tier alone fills the network", () => {
    fc.assert(
      fc.property(cidrArb(16, 24), fc.integer({ min: 2, max: 6 }), (network, zones) => {
        const sizes = {
          privatePrefix: network.prefix + 1,
          publicPrefix: Math.min(28, network.prefix + 4),
          databasePrefix: 0,
        };
        expect(() => planSubnets(network.text, zones, sizes)).toThrow(SubnetPlanError);
      }),
      RUNS,
    );
  });
});

describe("cidrsOverlap", () => {
  /** Blocks packed in a small space (10.0.0.0/20) so overlaps are common. */
  const nearby = fc
    .record({
      prefix: fc.integer({ min: 20, max: 32 }),
      offset: fc.integer({ min: 0, max: 2 ** 12 - 1 }),
    })
    .map(({ prefix, offset }) => {
      const start = align(0x0a000000 + offset, prefix);
      return { prefix, start, text: formatCidr(start, prefix) };
    });

  it("is symmetric", () => {
    fc.assert(
      fc.property(cidrArb(0, 32), cidrArb(0, 32), (a, b) => {
        expect(cidrsOverlap(a.text, b.text)).toBe(cidrsOverlap(b.text, a.text));
      }),
      RUNS,
    );
  });

  it("agrees with a brute-force walk over the addresses", () => {
    fc.assert(
      fc.property(nearby, nearby, (a, b) => {
        const inA = new Set<number>();
        for (let ip = a.start; ip < a.start + 2 ** (32 - a.prefix); ip++) inA.add(ip);
        let shared = false;
        for (let ip = b.start; ip < b.start + 2 ** (32 - b.prefix) && !shared; ip++)
          shared = inA.has(ip);
        expect(cidrsOverlap(a.text, b.text)).toBe(shared);
      }),
      RUNS,
    );
  });

  it("agrees with comparing the shorter prefix's network bits, over the whole address space", () => {
    fc.assert(
      fc.property(cidrArb(0, 32), cidrArb(0, 32), (a, b) => {
        const shorter = Math.min(a.prefix, b.prefix);
        expect(cidrsOverlap(a.text, b.text)).toBe(
          align(a.start, shorter) === align(b.start, shorter),
        );
      }),
      RUNS,
    );
  });
});

describe("parseCidr", () => {
  it("accepts an aligned block and gives back its start, prefix and size", () => {
    fc.assert(
      fc.property(cidrArb(0, 32), ({ text, start, prefix }) => {
        expect(parseCidr(text)).toEqual({ start, prefix, size: 2 ** (32 - prefix) });
      }),
      RUNS,
    );
  });

  it("rejects a block with any host bit set", () => {
    const withHostBit = fc
      .record({ network: cidrArb(0, 31), bit: fc.nat() })
      .map(({ network, bit }) => {
        const hostBits = 32 - network.prefix;
        const address = network.start + 2 ** (bit % hostBits);
        return `${formatCidr(address, 32).split("/")[0]}/${network.prefix}`;
      });
    fc.assert(
      fc.property(withHostBit, (text) => {
        expect(parseCidr(text)).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("rejects text that is not a CIDR", () => {
    for (const text of [
      "10.0.0.0",
      "10.0.0.0/33",
      "10.0.0.256/24",
      "10.0.0/24",
      "a.b.c.d/8",
      " 10.0.0.0/8",
      "10.0.0.0/8 ",
    ]) {
      expect(parseCidr(text)).toBeUndefined();
    }
  });
});
