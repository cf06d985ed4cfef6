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
  projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-worst-"));
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

const cache = new Map<string, PlannedStack[]>();

/** Every layer stack of a base stack, planned at its worst case (memoized per test file). */
export async function worstCasePlan(base: string): Promise<PlannedStack[]> {
  const hit = cache.get(base);
  if (hit) return hit;
  const stacks = await planVariant(base, base, worstCaseConfig(base).raw);
  cache.set(base, stacks);
  return stacks;
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

const planned = new Map<string, Promise<PlannedStack[]>>();

/** `plan` of example stacks as they are, once per test file (several describes read the same plan). */
export function planOnce(baseStacks: readonly string[]): Promise<PlannedStack[]> {
  const key = baseStacks.join(",");
  if (!planned.has(key))
    planned.set(
      key,
      plan(baseStacks).then((r) => r.stacks),
    );
  return planned.get(key)!;
}
