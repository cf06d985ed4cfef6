/**
 * Pre-destroy hooks with a fake command runner: the addons layer drains LoadBalancer Services and
 * Ingresses through kubectl before the load balancer controller goes; the kubernetes layer on AWS
 * waits until no load balancer, target group or security group tagged by the controller still
 * exists (the tagging API names candidates, elbv2/ec2 confirm them); on GCP the kubernetes layer drains
 * Gateways, HTTPRoutes and volumes, and the network layer waits for what the cluster made to go
 * and deletes the private services access peering; the storage layer outside prod deletes the
 * observability namespace's volumes while its CSI driver still runs.
 */
import * as fs from "fs";
import { VirtualClock } from "../automation/runner/clock";
import {
  awaitControllerResourcesGone,
  CommandRunner,
  deleteObservabilityVolumes,
  drainGkeCloudResources,
  drainLoadBalancers,
  PreDestroyContext,
  releaseGcpNetwork,
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
  const LB =
    "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/k8s-ingress-edge/50dc6c495c0c9188";
  const GHOST_LB =
    "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/k8s-grafana/1aee9aa6f7980c42";
  const GHOST_LISTENER =
    "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/k8s-grafana/1aee9aa6f7980c42/f2f7dc8efc522ab2";
  const GHOST_TG =
    "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/k8s-grafana/73e2d6bc24d8a067";
  const SG = "arn:aws:ec2:eu-west-1:1:security-group/sg-0123456789abcdef0";
  const tagged = (...arns: string[]) =>
    JSON.stringify({ ResourceTagMappingList: arns.map((ResourceARN) => ({ ResourceARN })) });
  const notFound = (code: string) => ({
    code: 254,
    stdout: "",
    stderr: `\nAn error occurred (${code}) when calling the Describe operation: not found\n`,
  });

  /**
   * The tagging API keeps listing a deleted load balancer, its listener and its target group
   * (aws/aws-cli#8197); `live` says what elbv2/ec2 still know, per poll.
   */
  function account(live: (poll: number) => string[]) {
    const calls: { args: readonly string[] }[] = [];
    let poll = 0;
    const exec: CommandRunner = async (_c, args) => {
      calls.push({ args });
      if (args[0] === "resourcegroupstaggingapi") {
        poll++;
        return { code: 0, stderr: "", stdout: tagged(GHOST_LB, GHOST_LISTENER, GHOST_TG, LB, SG) };
      }
      const id = args[3];
      const known = live(poll).some((arn) => arn === id || arn.endsWith(`/${id}`));
      if (known) return { code: 0, stdout: "{}", stderr: "" };
      return notFound(
        args[0] === "ec2"
          ? "InvalidGroup.NotFound"
          : args[1] === "describe-target-groups"
            ? "TargetGroupNotFound"
            : "LoadBalancerNotFound",
      );
    };
    return { calls, exec };
  }

  it("does not wait for resources the tagging API lists but elbv2 and ec2 report deleted", async () => {
    const { calls, exec } = account(() => []);
    const clock = new VirtualClock();
    const notes = await clock.run(
      awaitControllerResourcesGone(context(kubernetes, exec, { clock, pollMs: 10_000 })),
    );
    expect(clock.now()).toBe(0);
    expect(calls[0].args).toEqual([
      "resourcegroupstaggingapi",
      "get-resources",
      "--region",
      "eu-west-1",
      "--tag-filters",
      "Key=elbv2.k8s.aws/cluster,Values=officeless-dev",
      "--resource-type-filters",
      "elasticloadbalancing:loadbalancer",
      "elasticloadbalancing:targetgroup",
      "ec2:security-group",
      "--output",
      "json",
    ]);
    // Each candidate asked of its own service; the listener (gone with its load balancer) is not.
    expect(calls.slice(1).map((c) => c.args)).toEqual([
      [
        "elbv2",
        "describe-load-balancers",
        "--load-balancer-arns",
        GHOST_LB,
        "--region",
        "eu-west-1",
        "--output",
        "json",
      ],
      [
        "elbv2",
        "describe-target-groups",
        "--target-group-arns",
        GHOST_TG,
        "--region",
        "eu-west-1",
        "--output",
        "json",
      ],
      [
        "elbv2",
        "describe-load-balancers",
        "--load-balancer-arns",
        LB,
        "--region",
        "eu-west-1",
        "--output",
        "json",
      ],
      [
        "ec2",
        "describe-security-groups",
        "--group-ids",
        "sg-0123456789abcdef0",
        "--region",
        "eu-west-1",
        "--output",
        "json",
      ],
    ]);
    expect(notes).toEqual([
      "no elbv2.k8s.aws/cluster=officeless-dev resources left",
      `ignored 4 deleted resource(s) the tagging API still lists: ${GHOST_LB}, ${GHOST_TG}, ${LB}, ${SG}`,
    ]);
  });

  it("waits for a load balancer and security group that still exist, until they are deleted", async () => {
    // The load balancer goes after the first poll, its security group after the second.
    const { calls, exec } = account((poll) => [
      ...(poll < 2 ? [LB] : []),
      ...(poll < 3 ? [SG] : []),
    ]);
    const clock = new VirtualClock();
    const notes = await clock.run(
      awaitControllerResourcesGone(context(kubernetes, exec, { clock, pollMs: 10_000 })),
    );
    expect(clock.now()).toBe(20_000);
    expect(calls.filter((c) => c.args[0] === "resourcegroupstaggingapi")).toHaveLength(3);
    expect(notes[0]).toBe("no elbv2.k8s.aws/cluster=officeless-dev resources left");
  });

  it("gives up after the timeout, naming only what still exists", async () => {
    const { exec } = account(() => [SG]);
    const clock = new VirtualClock();
    const failure = clock.run(
      awaitControllerResourcesGone(
        context(kubernetes, exec, { clock, pollMs: 10_000, timeoutMs: 60_000 }),
      ),
    );
    await expect(failure).rejects.toThrow(
      /^1 resource\(s\) created by the AWS Load Balancer Controller for officeless-dev still exist after 1 min: arn:aws:ec2:eu-west-1:1:security-group\/sg-0123456789abcdef0\. /,
    );
  });

  it("reports a describe that fails for another reason instead of taking it for deleted", async () => {
    const exec: CommandRunner = async (_c, args) =>
      args[0] === "resourcegroupstaggingapi"
        ? { code: 0, stdout: tagged(LB), stderr: "" }
        : {
            code: 254,
            stdout: "",
            stderr:
              "An error occurred (AccessDenied) when calling the DescribeLoadBalancers operation: not authorized",
          };
    await expect(awaitControllerResourcesGone(context(kubernetes, exec))).rejects.toThrow(
      /aws elbv2 describe-load-balancers --load-balancer-arns .* failed \(254\): .*AccessDenied/,
    );
  });

  it("runs per layer and cloud: no kubernetes or network hook on Azure, none for other layers", async () => {
    const { calls, exec } = recorder(() => JSON.stringify({ ResourceTagMappingList: [] }));
    expect(await runPreDestroy(context({ ...kubernetes, cloud: "azure" }, exec))).toEqual([]);
    expect(await runPreDestroy(context({ ...addons, layer: "network" }, exec))).toEqual([]);
    expect(await runPreDestroy(context({ ...addons, layer: "vpn", cloud: "gcp" }, exec))).toEqual(
      [],
    );
    expect(calls).toEqual([]);
    expect(await runPreDestroy(context(kubernetes, exec))).toEqual([
      "no elbv2.k8s.aws/cluster=officeless-dev resources left",
    ]);
  });
});

const gkeNode: StackNode = {
  id: "dev-gcp-kubernetes",
  baseStack: "dev-gcp",
  layer: "kubernetes",
  deps: [],
  cloud: "gcp",
  environment: "dev",
};
const gcpNetworkNode: StackNode = { ...gkeNode, id: "dev-gcp-network", layer: "network" };
const NETWORK_ID = "projects/acme-dev/global/networks/officeless-dev-network-vpc-1a2b3c4";

function gcpContext(node: StackNode, exec: CommandRunner, extra: Partial<PreDestroyContext> = {}) {
  return context(node, exec, {
    baseConfig: { "officeless:region": "europe-west1", "officeless:name": "officeless-dev" },
    outputsOf: async (stack) =>
      stack === "dev-gcp-kubernetes"
        ? { kubeconfig: "apiVersion: v1\nkind: Config\n", clusterName: "officeless-dev" }
        : stack === "dev-gcp-network"
          ? { networkId: NETWORK_ID }
          : undefined,
    ...extra,
  });
}

const item = (namespace: string, name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { namespace, name },
  spec,
});

describe("kubernetes pre-destroy on GCP: Gateways, HTTPRoutes and volumes", () => {
  it("deletes Gateways, HTTPRoutes and PVCs, and waits until the volumes with reclaim policy Delete are gone", async () => {
    let pvPolls = 0;
    const { calls, exec } = recorder((_c, args) => {
      const kind = args[2];
      if (args[1] !== "get") return "";
      if (kind === "gateways.gateway.networking.k8s.io")
        return JSON.stringify({ items: [item("edge", "public")] });
      if (kind === "httproutes.gateway.networking.k8s.io")
        return JSON.stringify({ items: [item("app", "web"), item("app", "api")] });
      if (kind === "persistentvolumeclaims")
        return JSON.stringify({ items: [item("data", "db-0"), item("data", "db-1")] });
      // The PD CSI driver deletes the first volume after one poll; a retained one stays.
      pvPolls++;
      return JSON.stringify({
        items: [
          ...(pvPolls < 2 ? [item("", "pvc-1", { persistentVolumeReclaimPolicy: "Delete" })] : []),
          item("", "pvc-kept", { persistentVolumeReclaimPolicy: "Retain" }),
        ],
      });
    });
    const clock = new VirtualClock();
    const notes = await clock.run(
      drainGkeCloudResources(
        gcpContext(gkeNode, exec, { clock, pollMs: 10_000, timeoutMs: 600_000 }),
      ),
    );
    const deletes = calls.filter((c) => c.args[1] === "delete").map((c) => c.args.slice(1));
    expect(deletes).toEqual([
      [
        "delete",
        "gateways.gateway.networking.k8s.io",
        "-n",
        "edge",
        "public",
        "--wait=true",
        "--timeout=600s",
        "--ignore-not-found",
      ],
      [
        "delete",
        "httproutes.gateway.networking.k8s.io",
        "-n",
        "app",
        "web",
        "api",
        "--wait=true",
        "--timeout=600s",
        "--ignore-not-found",
      ],
      [
        "delete",
        "persistentvolumeclaims",
        "-n",
        "data",
        "db-0",
        "db-1",
        "--wait=true",
        "--timeout=600s",
        "--ignore-not-found",
      ],
    ]);
    // Gateways before the claims; the volumes polled until only the retained one is left.
    expect(clock.now()).toBe(10_000);
    expect(calls.every((c) => c.command === "kubectl" && c.mode === 0o600)).toBe(true);
    expect(notes).toEqual([
      "deleted 1 gateways and waited for GKE to remove their load balancers",
      "deleted 2 httproutes and waited for GKE to remove their load balancers",
      "deleted 2 PersistentVolumeClaim(s) and waited for their volumes to be deleted",
      "kept 1 retained PersistentVolume(s) and their disks: pvc-kept",
    ]);
  });

  it("treats a cluster without the Gateway API as having no Gateways, and fails naming volumes that stay", async () => {
    const exec: CommandRunner = async (_c, args) => {
      if (String(args[2]).includes("gateway.networking.k8s.io"))
        return {
          code: 1,
          stdout: "",
          stderr: 'error: the server doesn\'t have a resource type "gateways"',
        };
      if (args[2] === "persistentvolumes")
        return {
          code: 0,
          stdout: JSON.stringify({
            items: [item("", "pvc-stuck", { persistentVolumeReclaimPolicy: "Delete" })],
          }),
          stderr: "",
        };
      return { code: 0, stdout: JSON.stringify({ items: [] }), stderr: "" };
    };
    const clock = new VirtualClock();
    await expect(
      clock.run(
        drainGkeCloudResources(
          gcpContext(gkeNode, exec, { clock, pollMs: 10_000, timeoutMs: 60_000 }),
        ),
      ),
    ).rejects.toThrow(
      /1 PersistentVolume\(s\) with reclaim policy Delete still exist after 1 min: pvc-stuck/,
    );
  });

  it("does nothing when the cluster is gone, and runs for the kubernetes layer on GCP only", async () => {
    const { calls, exec } = recorder(() => JSON.stringify({ items: [] }));
    expect(
      await drainGkeCloudResources(gcpContext(gkeNode, exec, { outputsOf: async () => undefined })),
    ).toEqual([expect.stringContaining("cluster already gone")]);
    expect(calls).toEqual([]);
    expect(await runPreDestroy(gcpContext(gkeNode, exec))).toEqual([
      "no Gateways, HTTPRoutes or PersistentVolumeClaims in the cluster",
    ]);
    expect(calls.some((c) => c.command === "aws")).toBe(false);
  });
});

describe("network pre-destroy on GCP: nothing the cluster made left, then the PSA peering", () => {
  it("waits until no forwarding rule, NEG, GKE firewall rule or Filestore instance uses the VPC, then deletes the peering", async () => {
    let round = 0;
    const { calls, exec } = recorder((command, args) => {
      if (args.includes("peerings")) return "";
      const what = `${args[0]} ${args[1]}`;
      if (what === "compute forwarding-rules") round++;
      const leftover = round < 2;
      if (what === "compute forwarding-rules")
        return JSON.stringify(leftover ? [{ name: "gkegw1-abc-edge-public" }] : []);
      if (what === "compute network-endpoint-groups")
        return JSON.stringify(leftover ? [{ name: "k8s1-abc-app-web-80" }] : []);
      if (what === "compute firewall-rules")
        return JSON.stringify([
          // Ours (the network stack deletes them) and a user's rule are not waited for.
          { name: "officeless-dev-network-deny-all-ingress-1a2b3c4" },
          { name: "office-ssh" },
          ...(leftover ? [{ name: "k8s-e4198c6a84c32393-node-http-hc" }] : []),
        ]);
      if (what === "filestore instances")
        return JSON.stringify([
          {
            name: "projects/acme-dev/locations/europe-west1-b/instances/other",
            networks: [{ network: "other-vpc" }],
          },
          ...(leftover
            ? [
                {
                  name: "projects/acme-dev/locations/europe-west1-b/instances/pvc-1",
                  networks: [{ network: "officeless-dev-network-vpc-1a2b3c4" }],
                },
              ]
            : []),
        ]);
      throw new Error(`unexpected ${command} ${args.join(" ")}`);
    });
    const clock = new VirtualClock();
    const notes = await clock.run(
      releaseGcpNetwork(gcpContext(gcpNetworkNode, exec, { clock, pollMs: 10_000 })),
    );
    expect(clock.now()).toBe(10_000);
    const filter = "network~'/networks/officeless-dev-network-vpc-1a2b3c4$'";
    expect(calls[0].args).toEqual([
      "compute",
      "forwarding-rules",
      "list",
      "--filter",
      filter,
      "--project",
      "acme-dev",
      "--format",
      "json",
    ]);
    expect(calls.every((c) => c.command === "gcloud")).toBe(true);
    expect(calls.at(-1)!.args).toEqual([
      "compute",
      "networks",
      "peerings",
      "delete",
      "servicenetworking-googleapis-com",
      "--network",
      "officeless-dev-network-vpc-1a2b3c4",
      "--project",
      "acme-dev",
      "--quiet",
    ]);
    expect(notes).toEqual([
      "nothing the cluster made uses the network officeless-dev-network-vpc-1a2b3c4",
      "deleted the private services access peering servicenetworking-googleapis-com",
    ]);
  });

  it("fails naming what is left after the timeout, and never deletes the peering then", async () => {
    const { calls, exec } = recorder((_c, args) =>
      args[1] === "firewall-rules"
        ? JSON.stringify([{ name: "k8s-fw-a1b2c3" }])
        : args[0] === "filestore"
          ? JSON.stringify([
              {
                name: "pvc-9",
                networks: [
                  {
                    network: "projects/acme-dev/global/networks/officeless-dev-network-vpc-1a2b3c4",
                  },
                ],
              },
            ])
          : "[]",
    );
    const clock = new VirtualClock();
    await expect(
      clock.run(
        releaseGcpNetwork(
          gcpContext(gcpNetworkNode, exec, { clock, pollMs: 10_000, timeoutMs: 60_000 }),
        ),
      ),
    ).rejects.toThrow(
      /2 resource\(s\) created outside Pulumi still use the network officeless-dev-network-vpc-1a2b3c4 after 1 min: firewall rule k8s-fw-a1b2c3, Filestore instance pvc-9/,
    );
    expect(calls.some((c) => c.args.includes("peerings"))).toBe(false);
  });

  it("accepts a peering already gone, reports other failures, and needs gcloud", async () => {
    const exec =
      (stderr: string): CommandRunner =>
      async (_c, args) =>
        args.includes("peerings")
          ? { code: 1, stdout: "", stderr }
          : { code: 0, stdout: "[]", stderr: "" };
    expect(
      (
        await releaseGcpNetwork(
          gcpContext(
            gcpNetworkNode,
            exec("ERROR: peering servicenetworking-googleapis-com not found"),
          ),
        )
      )[1],
    ).toBe("no private services access peering servicenetworking-googleapis-com to delete");
    await expect(
      releaseGcpNetwork(
        gcpContext(
          gcpNetworkNode,
          exec("ERROR: Required 'compute.networks.removePeering' permission"),
        ),
      ),
    ).rejects.toThrow(
      /peerings delete servicenetworking-googleapis-com failed \(1\): .*removePeering/,
    );
    await expect(
      releaseGcpNetwork(
        gcpContext(gcpNetworkNode, exec(""), { hasCommand: (c) => c !== "gcloud" }),
      ),
    ).rejects.toThrow(/needs `gcloud` on PATH .* --skip-pre-destroy/);
    expect(
      await releaseGcpNetwork(
        gcpContext(gcpNetworkNode, exec(""), { outputsOf: async () => undefined }),
      ),
    ).toEqual([expect.stringContaining("network already gone")]);
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
