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

/** A fake gcloud over a project's state: lists return what is there, deletes remove it. */
function fakeGcloud(
  state: Record<string, Record<string, unknown>[]>,
  fail: (args: readonly string[]) => string | undefined = () => undefined,
) {
  const calls: (readonly string[])[] = [];
  const exec: CommandRunner = async (command, args) => {
    expect(command).toBe("gcloud");
    calls.push(args);
    const stderr = fail(args);
    if (stderr) return { code: 1, stdout: "", stderr };
    const kind = args[0] === "filestore" ? "filestore" : args[1];
    if (args.includes("peerings")) return { code: 0, stdout: "", stderr: "" };
    if (args[2] === "list")
      return { code: 0, stdout: JSON.stringify(state[kind] ?? []), stderr: "" };
    if (args[2] === "delete") {
      state[kind] = (state[kind] ?? []).filter((i) => i.name !== args[3]);
      return { code: 0, stdout: "", stderr: "" };
    }
    throw new Error(`unexpected gcloud ${args.join(" ")}`);
  };
  return { calls, exec };
}

const VPC = "officeless-dev-network-vpc-1a2b3c4";
const ZONE_URL = "https://www.googleapis.com/compute/v1/projects/acme-dev/zones/europe-west1-b";
const REGION_URL = "https://www.googleapis.com/compute/v1/projects/acme-dev/regions/europe-west1";
const FILESTORE_OFF =
  "ERROR: (gcloud.filestore.instances.list) PERMISSION_DENIED: Cloud Filestore API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/file.googleapis.com/overview?project=123456789012 then retry.";

/** What GKE leaves after its cluster is gone, next to ours, a user's and another network's. */
const gkeLeftovers = () => ({
  "forwarding-rules": [{ name: "gkegw1-ab12-edge-public-9xk2", region: REGION_URL }],
  "network-endpoint-groups": [
    { name: "k8s1-4f2a9c1d-kube-system-default-http-backend-80-0c1f2e3d", zone: ZONE_URL },
  ],
  "firewall-rules": [
    // Ours (the network stack deletes them) and a user's rule are never touched.
    { name: "officeless-dev-network-deny-all-ingress-1a2b3c4" },
    { name: "office-ssh" },
    { name: "k8s-e4198c6a84c32393-node-http-hc" },
    { name: "gke-officeless-dev-7f3e9a1c-all" },
  ],
  filestore: [
    {
      name: "projects/acme-dev/locations/europe-west1-b/instances/other",
      networks: [{ network: "other-vpc" }],
    },
  ],
});

describe("network pre-destroy on GCP: delete what GKE left, then the PSA peering", () => {
  it("deletes the Gateway forwarding rules, NEGs and GKE firewall rules left on the VPC at once (no wait), then the peering", async () => {
    const state = gkeLeftovers();
    const { calls, exec } = fakeGcloud(state);
    const clock = new VirtualClock();
    const notes = await clock.run(
      releaseGcpNetwork(gcpContext(gcpNetworkNode, exec, { clock, pollMs: 10_000 })),
    );
    // Nothing waited for: the cluster is gone, nothing else would have removed them.
    expect(clock.now()).toBe(0);
    const filter = `network~'/networks/${VPC}$'`;
    expect(calls[0]).toEqual([
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
    for (const kind of ["network-endpoint-groups", "firewall-rules"])
      expect(calls).toContainEqual([
        "compute",
        kind,
        "list",
        "--filter",
        filter,
        "--project",
        "acme-dev",
        "--format",
        "json",
      ]);
    const p = ["--project", "acme-dev", "--quiet"];
    expect(calls.filter((a) => a.includes("delete"))).toEqual([
      [
        "compute",
        "forwarding-rules",
        "delete",
        "gkegw1-ab12-edge-public-9xk2",
        "--region",
        "europe-west1",
        ...p,
      ],
      [
        "compute",
        "network-endpoint-groups",
        "delete",
        "k8s1-4f2a9c1d-kube-system-default-http-backend-80-0c1f2e3d",
        "--zone",
        "europe-west1-b",
        ...p,
      ],
      ["compute", "firewall-rules", "delete", "k8s-e4198c6a84c32393-node-http-hc", ...p],
      ["compute", "firewall-rules", "delete", "gke-officeless-dev-7f3e9a1c-all", ...p],
      [
        "compute",
        "networks",
        "peerings",
        "delete",
        "servicenetworking-googleapis-com",
        "--network",
        VPC,
        ...p,
      ],
    ]);
    expect(state["firewall-rules"].map((f) => f.name)).toEqual([
      "officeless-dev-network-deny-all-ingress-1a2b3c4",
      "office-ssh",
    ]);
    expect(state.filestore).toHaveLength(1);
    expect(notes).toEqual([
      `deleted 4 resource(s) GKE left on the network ${VPC}: forwarding rule gkegw1-ab12-edge-public-9xk2, network endpoint group k8s1-4f2a9c1d-kube-system-default-http-backend-80-0c1f2e3d, firewall rule k8s-e4198c6a84c32393-node-http-hc, firewall rule gke-officeless-dev-7f3e9a1c-all`,
      `nothing the cluster made uses the network ${VPC}`,
      "deleted the private services access peering servicenetworking-googleapis-com",
    ]);
  });

  it("never deletes a GKE-looking name of ours (every layer's `<name>-…`)", async () => {
    const state = {
      "forwarding-rules": [{ name: "gkegw-lab-cache-psc", region: REGION_URL }],
      "network-endpoint-groups": [{ name: "gkegw-lab-storage-neg", zone: ZONE_URL }],
      "firewall-rules": [{ name: "gkegw-lab-network-allow-internal" }, { name: "k8s-fw-a1b2c3" }],
    };
    const { calls, exec } = fakeGcloud(state);
    const clock = new VirtualClock();
    await clock.run(
      releaseGcpNetwork(
        gcpContext(gcpNetworkNode, exec, {
          clock,
          baseConfig: { "officeless:region": "europe-west1", "officeless:name": "gkegw-lab" },
        }),
      ),
    );
    // Ours are neither deleted nor waited for: the layers' own destroys remove them.
    expect(clock.now()).toBe(0);
    expect(calls.filter((a) => a[2] === "delete")).toEqual([
      ["compute", "firewall-rules", "delete", "k8s-fw-a1b2c3", "--project", "acme-dev", "--quiet"],
    ]);
    expect(state["forwarding-rules"]).toHaveLength(1);
    expect(state["network-endpoint-groups"]).toHaveLength(1);
    expect(state["firewall-rules"]).toEqual([{ name: "gkegw-lab-network-allow-internal" }]);
  });

  it("treats a list whose API is off as empty (Filestore never enabled), but not a missing permission", async () => {
    const off = fakeGcloud(gkeLeftovers(), (args) =>
      args[0] === "filestore" ? FILESTORE_OFF : undefined,
    );
    const notes = await releaseGcpNetwork(gcpContext(gcpNetworkNode, off.exec));
    expect(notes.at(-1)).toBe(
      "deleted the private services access peering servicenetworking-googleapis-com",
    );
    const disabled = fakeGcloud({}, (args) =>
      args[1] === "network-endpoint-groups"
        ? "ERROR: (gcloud.compute.network-endpoint-groups.list) Some requests did not succeed: reason: SERVICE_DISABLED"
        : undefined,
    );
    await expect(releaseGcpNetwork(gcpContext(gcpNetworkNode, disabled.exec))).resolves.toContain(
      `nothing the cluster made uses the network ${VPC}`,
    );
    const denied = fakeGcloud({}, (args) =>
      args[0] === "filestore"
        ? "ERROR: (gcloud.filestore.instances.list) PERMISSION_DENIED: Permission 'file.instances.list' denied on resource"
        : undefined,
    );
    await expect(releaseGcpNetwork(gcpContext(gcpNetworkNode, denied.exec))).rejects.toThrow(
      /gcloud filestore instances list failed \(1\): .*file\.instances\.list/,
    );
    expect(denied.calls.some((a) => a.includes("peerings"))).toBe(false);
  });

  it("fails naming what could not be deleted and what is left, and never deletes the peering then", async () => {
    const state = gkeLeftovers();
    const { calls, exec } = fakeGcloud(state, (args) =>
      args[1] === "network-endpoint-groups" && args[2] === "delete"
        ? `ERROR: (gcloud.compute.network-endpoint-groups.delete) Could not fetch resource:\n - The network_endpoint_group resource '${args[3]}' is already being used by 'projects/acme-dev/global/backendServices/k8s1-4f2a9c1d-kube-system-default-http-backend-80-0c1f2e3d'`
        : undefined,
    );
    await expect(releaseGcpNetwork(gcpContext(gcpNetworkNode, exec))).rejects.toThrow(
      new RegExp(
        `^could not delete 1 resource\\(s\\) GKE left on the network ${VPC}: network endpoint group k8s1-4f2a9c1d-kube-system-default-http-backend-80-0c1f2e3d \\(ERROR: .*delete\\) Could not fetch resource:\\)\\. ` +
          "Still on the network: network endpoint group k8s1-4f2a9c1d-kube-system-default-http-backend-80-0c1f2e3d\\. .*--resume",
      ),
    );
    // The other leftovers were still deleted.
    expect(state["firewall-rules"].map((f) => f.name)).toEqual([
      "officeless-dev-network-deny-all-ingress-1a2b3c4",
      "office-ssh",
    ]);
    expect(calls.some((a) => a.includes("peerings"))).toBe(false);
  });

  it("waits for what is not this cluster's to delete (other forwarding rules, another cluster's rules, Filestore instances), fails naming it after the timeout", async () => {
    const { calls, exec } = fakeGcloud({
      "forwarding-rules": [{ name: "a4f1c2e3b5d6478899aabbccddeeff00", region: REGION_URL }],
      // Another cluster's rule on this network.
      "firewall-rules": [{ name: "gke-other-3c9d2e1f-all" }],
      filestore: [
        {
          name: "pvc-9",
          networks: [{ network: `projects/acme-dev/global/networks/${VPC}` }],
        },
      ],
    });
    const clock = new VirtualClock();
    await expect(
      clock.run(
        releaseGcpNetwork(
          gcpContext(gcpNetworkNode, exec, { clock, pollMs: 10_000, timeoutMs: 60_000 }),
        ),
      ),
    ).rejects.toThrow(
      new RegExp(
        `3 resource\\(s\\) created outside Pulumi still use the network ${VPC} after 1 min: forwarding rule a4f1c2e3b5d6478899aabbccddeeff00, firewall rule gke-other-3c9d2e1f-all, Filestore instance pvc-9`,
      ),
    );
    expect(calls.filter((a) => a[2] === "delete" || a.includes("peerings"))).toEqual([]);
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
