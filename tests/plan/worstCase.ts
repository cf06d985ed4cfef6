/**
 * Whole-plan fixtures: every example stack file, planned offline with the longest names its config
 * accepts (platform name, node pool names, VPN peer names). Name limits are checked at this worst
 * case; every other whole-plan rule (versioned keys, protection, secrets) reads the same plans.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify } from "yaml";
import { plan, PlannedStack } from "../../automation/offline/plan";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { parseConfig, readStackFile } from "../../programs/config";
import { PLAN_DIR_ENV } from "./globalSetup";

export const ROOT = path.resolve(__dirname, "..", "..");

/** The example base stacks: every `Pulumi.<env>-<cloud>.yaml` in the project folder. */
export const EXAMPLE_STACKS: readonly string[] = fs
  .readdirSync(ROOT)
  .map((f) => /^Pulumi\.((?:dev|staging|prod)-[a-z]+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => Boolean(s))
  .sort();

/** A valid name of exactly `n` characters, with hyphens and digits (the characters clouds refuse most). */
export function nameOfLength(n: number, seed = "o"): string {
  const body = (seed + "x9-".repeat(n)).slice(0, n);
  return body.endsWith("-") ? `${body.slice(0, -1)}z` : body;
}

type Raw = Record<string, unknown>;

/** Does the stack's config accept this raw config? (The same parser `pulumi up` runs.) */
function accepts(raw: Raw, secretKeys: Set<string>): boolean {
  try {
    parseConfig(raw, { secretKeys });
    return true;
  } catch {
    return false;
  }
}

/** The longest name `set` can write that the config still accepts (searching down from 64). */
function longest(raw: Raw, secretKeys: Set<string>, set: (raw: Raw, name: string) => Raw): Raw {
  for (let n = 64; n > 0; n--) {
    const candidate = set(structuredClone(raw), nameOfLength(n));
    if (accepts(candidate, secretKeys)) return candidate;
  }
  throw new Error("no name length accepted");
}

/**
 * The base stack's config with every user-chosen name at the longest length it accepts, on the
 * oldest accepted Kubernetes minor: the platform as first deployed, which the day-2 edits upgrade.
 */
export function worstCaseConfig(base: string): { raw: Raw; secretKeys: Set<string> } {
  // The search parses the config a few hundred times: once per base and file, a copy per caller.
  let found = worstCases.get(base);
  if (!found) worstCases.set(base, (found = searchWorstCase(base)));
  return { raw: structuredClone(found.raw), secretKeys: new Set(found.secretKeys) };
}

const worstCases = new Map<string, { raw: Raw; secretKeys: Set<string> }>();

function searchWorstCase(base: string): { raw: Raw; secretKeys: Set<string> } {
  const { raw, secretKeys } = readStackFile(path.join(ROOT, `Pulumi.${base}.yaml`));
  let out = longest(raw, secretKeys, (r, name) => ({ ...r, name }));
  out.kubernetes = { ...(out.kubernetes as Raw), version: KUBERNETES_VERSIONS[0] };
  const pools = ((out.kubernetes as Raw | undefined)?.nodePools ?? []) as Raw[];
  pools.forEach((_, i) => {
    out = longest(out, secretKeys, (r, name) => {
      // Pool names stay unique: the index leads, the rest pads to the length under test.
      const pool = ((r.kubernetes as Raw).nodePools as Raw[])[i];
      pool.name = `${String.fromCharCode(97 + i)}${name.slice(1)}`;
      return r;
    });
  });
  const peers = ((out.vpn as Raw | undefined)?.peers ?? []) as Raw[];
  peers.forEach((_, i) => {
    out = longest(out, secretKeys, (r, name) => {
      const peer = ((r.vpn as Raw).peers as Raw[])[i];
      peer.name = `${String.fromCharCode(112 + i)}${name.slice(1)}`;
      return r;
    });
  });
  return { raw: out, secretKeys };
}

let projectDir: string | undefined;

/** A scratch project folder holding Pulumi.yaml, for rewritten stack files. */
function scratchProject(): string {
  if (projectDir) return projectDir;
  // In the Jest run's folder when there is one, which globalTeardown removes.
  projectDir = fs.mkdtempSync(
    path.join(process.env[PLAN_DIR_ENV] ?? os.tmpdir(), "officeless-worst-"),
  );
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
  return projectDir;
}

/**
 * Plans `base`'s stack file with its `officeless:` config replaced by `raw` (secure values are
 * kept as the file has them), under the stack name `name`. Layer stacks keep `base`'s layer names
 * (`stackReference.baseStack`), so two variants' resources have the same URNs.
 */
async function planVariant(base: string, name: string, raw: Raw): Promise<PlannedStack[]> {
  const dir = scratchProject();
  const doc = parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${base}.yaml`), "utf8")) as {
    config: Raw;
  };
  for (const [key, value] of Object.entries(raw)) {
    if (!JSON.stringify(doc.config[`officeless:${key}`] ?? null).includes('"secure"'))
      doc.config[`officeless:${key}`] = value;
  }
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stringify(doc));
  return (await plan([name], { projectDir: dir })).stacks;
}

/**
 * The test files of one Jest run share the plans they all read: each example stack's worst case
 * (wholePlan, policyPack, the day-2 files) and its plan as it is (planOnce, examplePlans). The
 * run's folder (tests/plan/globalSetup.ts) holds each as `<key>.json`, planned by the first worker
 * to create `<key>.lock` (exclusively); the others wait for the file. Outside Jest (no folder)
 * each process plans for itself. Every caller gets the plan back from its JSON, the same in the
 * worker that planned it as in the others.
 */
const sharedDir = (): string | undefined => process.env[PLAN_DIR_ENV];
const planFile = (dir: string, key: string) => path.join(dir, `${key}.json`);

/** What a key stands for: its plan, made by this process (when it claims the key). */
type Planner = () => Promise<PlannedStack[]>;

const cache = new Map<string, Promise<PlannedStack[]>>();

/** JSON drops `undefined` (a stack output can be): it travels as this string and is put back. */
const UNDEFINED = "\u0000undefined";

function encodePlan(stacks: PlannedStack[]): string {
  return JSON.stringify(stacks, (_key, value: unknown) =>
    value === undefined ? UNDEFINED : value,
  );
}

function decodePlan(json: string): PlannedStack[] {
  const restore = (value: unknown): unknown => {
    if (value === UNDEFINED) return undefined;
    if (value !== null && typeof value === "object")
      for (const [key, inner] of Object.entries(value))
        (value as Record<string, unknown>)[key] = restore(inner);
    return value;
  };
  return restore(JSON.parse(json)) as PlannedStack[];
}

/** Claims `key` for this worker; false when another worker plans (or planned) it. */
function claim(key: string): boolean {
  const dir = sharedDir();
  if (!dir) return true;
  try {
    fs.closeSync(fs.openSync(`${planFile(dir, key)}.lock`, "wx"));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

/** Plans `key` here and publishes the plan to the other workers (or the failure, so none waits). */
async function planHere(key: string, planner: Planner): Promise<PlannedStack[]> {
  const dir = sharedDir();
  try {
    const json = encodePlan(await planner());
    if (dir) {
      fs.writeFileSync(`${planFile(dir, key)}.tmp`, json);
      fs.renameSync(`${planFile(dir, key)}.tmp`, planFile(dir, key));
    }
    return decodePlan(json);
  } catch (e) {
    if (dir) fs.writeFileSync(`${planFile(dir, key)}.error`, String((e as Error).stack ?? e));
    throw e;
  }
}

/** Waits for the plan of `key` another worker is making. */
async function plannedElsewhere(key: string, dir: string): Promise<PlannedStack[]> {
  const file = planFile(dir, key);
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    if (fs.existsSync(file)) return decodePlan(fs.readFileSync(file, "utf8"));
    if (fs.existsSync(`${file}.error`))
      throw new Error(
        `planning ${key} failed in another worker:\n${fs.readFileSync(`${file}.error`, "utf8")}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the plan ${key} did not arrive from the worker planning it`);
}

/** The plan of `key`: from this file's cache, made here, or another worker's. */
function sharedPlan(key: string, planner: Planner): Promise<PlannedStack[]> {
  let hit = cache.get(key);
  if (!hit) {
    const dir = sharedDir();
    hit = !dir || claim(key) ? planHere(key, planner) : plannedElsewhere(key, dir);
    cache.set(key, hit);
  }
  return hit;
}

/**
 * The plans of `bases`: first every one no other worker has claimed, planned here one at a time
 * (the Pulumi runtime is global), then the others' as they arrive. Two files that need the same
 * plans at once split them between their workers.
 */
async function sharedPlans(
  bases: readonly string[],
  keyOf: (base: string) => string,
  planner: (base: string) => Planner,
): Promise<Map<string, PlannedStack[]>> {
  for (const base of bases)
    if (!cache.has(keyOf(base)) && claim(keyOf(base))) {
      cache.set(keyOf(base), planHere(keyOf(base), planner(base)));
      await cache.get(keyOf(base));
    }
  const plans = new Map<string, PlannedStack[]>();
  for (const base of bases) plans.set(base, await sharedPlan(keyOf(base), planner(base)));
  return plans;
}

const worstKey = (base: string) => `worst-case.${base}`;
const worstPlanner = (base: string) => () => planVariant(base, base, worstCaseConfig(base).raw);
const exampleKey = (base: string) => `example.${base}`;
const examplePlanner = (base: string) => () => plan([base]).then((r) => r.stacks);

/** Every layer stack of a base stack, planned at its worst case (once per Jest run). */
export function worstCasePlan(base: string): Promise<PlannedStack[]> {
  return sharedPlan(worstKey(base), worstPlanner(base));
}

/** The worst-case plans of `bases` (see sharedPlans). */
export function worstCasePlans(bases: readonly string[]): Promise<Map<string, PlannedStack[]>> {
  return sharedPlans(bases, worstKey, worstPlanner);
}

/** `plan` of each example stack of `bases` as it is (once per Jest run, see sharedPlans). */
export function examplePlans(bases: readonly string[]): Promise<Map<string, PlannedStack[]>> {
  return sharedPlans(bases, exampleKey, examplePlanner);
}

/**
 * The worst case of `base` after `change`, planned under the stack name `<base>-<variant>`. Its layer stacks are named after `base`'s, so URNs line up with worstCasePlan's
 * once the stack segment is dropped (see `urnKey`).
 */
export async function changedPlan(
  base: string,
  variant: string,
  change: (raw: Raw, cloud: string) => void,
): Promise<PlannedStack[]> {
  const raw = structuredClone(worstCaseConfig(base).raw);
  change(raw, String(raw.cloud));
  return planVariant(base, `${base}-${variant}`, raw);
}

/** A resource's URN without its stack: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function urnKey(urn: string): string {
  return urn.replace(/^urn:pulumi:[^:]+::/, "");
}

/**
 * `plan` of example stacks as they are, once per Jest run (several describes and files read the
 * same plan): each base stack's layer stacks, in the order given.
 */
export async function planOnce(baseStacks: readonly string[]): Promise<PlannedStack[]> {
  const plans = await examplePlans(baseStacks);
  return baseStacks.flatMap((base) => plans.get(base)!);
}
