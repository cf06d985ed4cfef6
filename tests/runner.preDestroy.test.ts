/**
 * Pre-destroy hooks with a fake command runner: the addons layer drains LoadBalancer Services and
 * Ingresses through kubectl before the load balancer controller goes; the kubernetes layer on AWS
 * waits until nothing tagged by the controller remains.
 */
import * as fs from "fs";
import { VirtualClock } from "../automation/runner/clock";
import {
  awaitControllerResourcesGone,
  CommandRunner,
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
