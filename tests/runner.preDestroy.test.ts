/**
 * Pre-destroy hooks with a fake command runner: the addons layer drains LoadBalancer Services and
 * Ingresses through kubectl before the load balancer controller goes; the kubernetes layer on AWS
 * waits until nothing tagged by the controller remains; the storage layer outside prod deletes the
 * observability namespace's volumes while its CSI driver still runs.
 */
import * as fs from "fs";
import { VirtualClock } from "../automation/runner/clock";
import {
  awaitControllerResourcesGone,
  CommandRunner,
  deleteObservabilityVolumes,
  drainLoadBalancers,
  PreDestroyContext,
  runPreDestroy,
} from "../automation/runner/preDestroy";
import { StackNode } from "../automation/runner/types";

const addons: StackNode = {
  id: "dev-aws-addons",
  baseStack: "dev-aws",
  layer: "addons",
  deps: [],
  cloud: "aws",
};
const kubernetes: StackNode = {
  id: "dev-aws-kubernetes",
  baseStack: "dev-aws",
  layer: "kubernetes",
  deps: [],
  cloud: "aws",
};

interface Call {
  command: string;
  args: readonly string[];
  kubeconfig?: string;
  mode?: number;
}

function recorder(answer: (command: string, args: readonly string[]) => string) {
  const calls: Call[] = [];
  const exec: CommandRunner = async (command, args) => {
    const kc = args.find((a) => a.startsWith("--kubeconfig="))?.slice("--kubeconfig=".length);
    calls.push({
      command,
      args,
      kubeconfig: kc && fs.readFileSync(kc, "utf8"),
      mode: kc ? fs.statSync(kc).mode & 0o777 : undefined,
    });
    return { code: 0, stdout: answer(command, args), stderr: "" };
  };
  return { calls, exec };
}

function context(
  node: StackNode,
  exec: CommandRunner,
  extra: Partial<PreDestroyContext> = {},
): PreDestroyContext {
  return {
    node,
    baseConfig: { "officeless:region": "eu-west-1" },
    outputsOf: async (stack) =>
      stack === "dev-aws-kubernetes"
        ? { kubeconfig: "apiVersion: v1\nkind: Config\n", clusterName: "officeless-dev" }
        : undefined,
    exec,
    hasCommand: () => true,
    signal: new AbortController().signal,
    clock: new VirtualClock(),
    ...extra,
  };
}

const services = {
  items: [
    { metadata: { namespace: "ingress", name: "edge" }, spec: { type: "LoadBalancer" } },
    { metadata: { namespace: "ingress", name: "edge-internal" }, spec: { type: "LoadBalancer" } },
    { metadata: { namespace: "default", name: "kubernetes" }, spec: { type: "ClusterIP" } },
  ],
};
const ingresses = { items: [{ metadata: { namespace: "grafana", name: "grafana" } }] };

describe("addons pre-destroy: drain load balancers", () => {
  it("deletes Ingresses and LoadBalancer Services (only those) and waits for their finalizers", async () => {
    const { calls, exec } = recorder((_c, args) =>
      args.includes("get") ? JSON.stringify(args.includes("services") ? services : ingresses) : "",
    );
    const notes = await drainLoadBalancers(context(addons, exec, { timeoutMs: 600_000 }));
    const deletes = calls.filter((c) => c.args.includes("delete")).map((c) => c.args.slice(1));
    expect(deletes).toEqual([
      [
        "delete",
        "ingress",
        "-n",
        "grafana",
        "grafana",
        "--wait=true",
        "--timeout=600s",
        "--ignore-not-found",
      ],
      [
        "delete",
        "service",
        "-n",
        "ingress",
        "edge",
        "edge-internal",
        "--wait=true",
        "--timeout=600s",
        "--ignore-not-found",
      ],
    ]);
    expect(
      calls.every(
        (c) =>
          c.command === "kubectl" &&
          c.kubeconfig === "apiVersion: v1\nkind: Config\n" &&
          c.mode === 0o600,
      ),
    ).toBe(true);
    expect(notes).toEqual([
      "deleted 2 LoadBalancer Service(s) and 1 Ingress(es) and waited for their cloud load balancers to be removed",
    ]);
    // The kubeconfig (a secret) does not outlive the hook.
    const file = calls[0].args[0].slice("--kubeconfig=".length);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("fails with what to do when kubectl is missing, and does nothing when the cluster is gone", async () => {
    const { exec } = recorder(() => "");
    await expect(
      drainLoadBalancers(context(addons, exec, { hasCommand: (c) => c !== "kubectl" })),
    ).rejects.toThrow(/needs `kubectl` on PATH .* --skip-pre-destroy/);
    const gone = await drainLoadBalancers(
      context(addons, exec, { outputsOf: async () => undefined }),
    );
    expect(gone[0]).toContain("cluster already gone");
  });

  it("reports a failed deletion with kubectl's message", async () => {
    const exec: CommandRunner = async (_c, args) =>
      args.includes("delete")
        ? { code: 1, stdout: "", stderr: "error: timed out waiting for the condition" }
        : { code: 0, stdout: JSON.stringify(services), stderr: "" };
    await expect(drainLoadBalancers(context(addons, exec))).rejects.toThrow(
      "timed out waiting for the condition",
    );
  });
});

describe("kubernetes pre-destroy on AWS: controller resources gone", () => {
  it("polls the tagging API until nothing tagged elbv2.k8s.aws/cluster remains", async () => {
    let left = 2;
    const { calls, exec } = recorder(() =>
      JSON.stringify({
        ResourceTagMappingList: Array.from({ length: left-- > 0 ? 1 : 0 }, () => ({
          ResourceARN: "arn:aws:elasticloadbalancing:lb/x",
        })),
      }),
    );
    const clock = new VirtualClock();
    const notes = await clock.run(
      awaitControllerResourcesGone(context(kubernetes, exec, { clock, pollMs: 10_000 })),
    );
    expect(calls).toHaveLength(3);
    expect(clock.now()).toBe(20_000);
    expect(calls[0].args).toEqual([
      "resourcegroupstaggingapi",
      "get-resources",
      "--region",
      "eu-west-1",
      "--tag-filters",
      "Key=elbv2.k8s.aws/cluster,Values=officeless-dev",
      "--output",
      "json",
    ]);
    expect(notes).toEqual(["no elbv2.k8s.aws/cluster=officeless-dev resources left"]);
  });

  it("gives up after the timeout, naming what is left", async () => {
    const { exec } = recorder(() =>
      JSON.stringify({
        ResourceTagMappingList: [{ ResourceARN: "arn:aws:ec2:eu-west-1:1:security-group/sg-1" }],
      }),
    );
    const clock = new VirtualClock();
    await expect(
      clock.run(
        awaitControllerResourcesGone(
          context(kubernetes, exec, { clock, pollMs: 10_000, timeoutMs: 60_000 }),
        ),
      ),
    ).rejects.toThrow(
      /1 resource\(s\) created by the AWS Load Balancer Controller for officeless-dev still exist after 1 min: arn:aws:ec2:eu-west-1:1:security-group\/sg-1/,
    );
  });

  it("runs per layer and cloud: no kubernetes hook off AWS, none for other layers", async () => {
    const { calls, exec } = recorder(() => JSON.stringify({ ResourceTagMappingList: [] }));
    expect(await runPreDestroy(context({ ...kubernetes, cloud: "gcp" }, exec))).toEqual([]);
    expect(await runPreDestroy(context({ ...addons, layer: "network" }, exec))).toEqual([]);
    expect(calls).toEqual([]);
    expect(await runPreDestroy(context(kubernetes, exec))).toEqual([
      "no elbv2.k8s.aws/cluster=officeless-dev resources left",
    ]);
  });
});

describe("storage pre-destroy outside prod: observability volumes", () => {
  const storage: StackNode = {
    id: "dev-aws-storage",
    baseStack: "dev-aws",
    layer: "storage",
    deps: [],
    cloud: "aws",
    environment: "dev",
  };
  const pvcs = {
    items: [
      { metadata: { namespace: "observability", name: "storage-mimir-ingester-zone-a-0" } },
      { metadata: { namespace: "observability", name: "data-loki-write-0" } },
    ],
  };
  const pv = (name: string, namespace: string) => ({
    metadata: { name },
    spec: { claimRef: { namespace, name: "x" }, csi: { volumeHandle: `vol-${name}` } },
  });

  it("deletes the namespace's PVCs and waits until their volumes are gone", async () => {
    let pvPolls = 0;
    const { calls, exec } = recorder((_c, args) => {
      if (args.includes("pvc") && args.includes("get")) return JSON.stringify(pvcs);
      if (args.includes("pv")) {
        pvPolls++;
        // Two of the namespace's volumes, then one, then none; another namespace's stays.
        const ours = [pv("pv-1", "observability"), pv("pv-2", "observability")].slice(
          0,
          Math.max(0, 3 - pvPolls),
        );
        return JSON.stringify({ items: [...ours, pv("pv-app", "default")] });
      }
      return "";
    });
    const clock = new VirtualClock();
    const notes = await clock.run(
      deleteObservabilityVolumes(context(storage, exec, { clock, pollMs: 5_000 })),
    );
    const deletes = calls.filter((c) => c.args.includes("delete")).map((c) => c.args.slice(1));
    expect(deletes).toEqual([
      [
        "delete",
        "pvc",
        "-n",
        "observability",
        "storage-mimir-ingester-zone-a-0",
        "data-loki-write-0",
        "--wait=true",
        "--timeout=900s",
        "--ignore-not-found",
      ],
    ]);
    expect(pvPolls).toBe(3);
    expect(clock.now()).toBe(10_000);
    expect(notes).toEqual([
      "deleted 2 PersistentVolumeClaim(s) in observability and waited for their volumes to be deleted",
    ]);
    expect(calls.every((c) => c.command === "kubectl" && c.mode === 0o600)).toBe(true);
  });

  it("gives up after the timeout, naming the volumes and their disks", async () => {
    const { exec } = recorder((_c, args) =>
      args.includes("pv")
        ? JSON.stringify({ items: [pv("pv-1", "observability")] })
        : JSON.stringify({ items: [] }),
    );
    const clock = new VirtualClock();
    await expect(
      clock.run(
        deleteObservabilityVolumes(
          context(storage, exec, { clock, pollMs: 10_000, timeoutMs: 60_000 }),
        ),
      ),
    ).rejects.toThrow(/1 volume\(s\) of observability still exist after 1 min: pv-1 \(vol-pv-1\)/);
  });

  it("keeps prod's volumes, and runs for the storage layer of every cloud", async () => {
    const { calls, exec } = recorder(() => JSON.stringify({ items: [] }));
    expect(await runPreDestroy(context({ ...storage, environment: "prod" }, exec))).toEqual([
      "prod keeps the observability namespace's volumes (their data outlives the stack)",
    ]);
    expect(calls).toEqual([]);
    expect(await runPreDestroy(context({ ...storage, cloud: "gcp" }, exec))).toEqual([
      "no PersistentVolumeClaims or volumes left in observability",
    ]);
    const gone = await deleteObservabilityVolumes(
      context(storage, exec, { outputsOf: async () => undefined }),
    );
    expect(gone[0]).toContain("cluster already gone");
  });
});
