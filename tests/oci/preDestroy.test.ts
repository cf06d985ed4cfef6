/**
 * The OCI storage pre-destroy hook with a fake command runner: outside prod it deletes every object
 * version of every bucket the storage stack exports (OCI refuses to delete non-empty buckets);
 * prod keeps its data; it runs for OCI storage stacks only.
 */
import { VirtualClock } from "../../automation/runner/clock";
import {
  CommandRunner,
  emptyOciBuckets,
  PRE_DESTROY_HOOKS,
  PreDestroyContext,
} from "../../automation/runner/preDestroy";
import { StackNode } from "../../automation/runner/types";

const node = (environment: "dev" | "prod"): StackNode => ({
  id: `${environment}-oci-storage`,
  baseStack: `${environment}-oci`,
  layer: "storage",
  deps: [],
  cloud: "oci",
  environment,
});

function context(n: StackNode, outputs: Record<string, unknown> | undefined) {
  const calls: (readonly string[])[] = [];
  const exec: CommandRunner = async (command, args) => {
    calls.push([command, ...args]);
    return { code: 0, stdout: "", stderr: "" };
  };
  const ctx: PreDestroyContext = {
    node: n,
    baseConfig: { "officeless:region": "eu-amsterdam-1" },
    outputsOf: async (stack) => (stack === n.id ? outputs : undefined),
    exec,
    hasCommand: () => true,
    signal: new AbortController().signal,
    clock: new VirtualClock(),
  };
  return { ctx, calls };
}

describe("OCI storage pre-destroy: empty the buckets", () => {
  it("deletes every object version of every exported bucket outside prod", async () => {
    const { ctx, calls } = context(node("dev"), { buckets: { data: "d-data", logs: "d-logs" } });
    const notes = await emptyOciBuckets(ctx);
    expect(calls).toEqual(
      ["d-data", "d-logs"].map((b) => [
        "oci",
        "os",
        "object",
        "bulk-delete-versions",
        "--bucket-name",
        b,
        "--force",
        "--region",
        "eu-amsterdam-1",
      ]),
    );
    expect(notes).toEqual(["deleted every object version in 2 bucket(s): d-data, d-logs"]);
  });

  it("keeps prod's data, and does nothing without buckets", async () => {
    const prod = context(node("prod"), { buckets: { data: "p-data" } });
    expect(await emptyOciBuckets(prod.ctx)).toEqual([
      expect.stringMatching(/prod keeps its buckets' data/),
    ]);
    expect(prod.calls).toEqual([]);
    const gone = context(node("dev"), undefined);
    expect(await emptyOciBuckets(gone.ctx)).toEqual([expect.stringMatching(/no buckets to empty/)]);
  });

  it("runs for OCI storage stacks only", () => {
    expect(PRE_DESTROY_HOOKS.storage).toContainEqual({ hook: emptyOciBuckets, clouds: ["oci"] });
  });
});
