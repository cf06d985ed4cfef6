/**
 * The Pulumi program end to end under mocks: per-layer stacks read their upstream through typed
 * StackReferences and export exactly their layer's outputs; the all-in-one stack wires every layer
 * under one Platform component; an invalid stack file stops everything before any resource.
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { plan, PlanResult } from "../automation/offline/plan";
import { readStackFile, stackFilePath } from "../programs/config";
import { probeEndpoint } from "../components/clusterProvider";
import { activeLayers, layerDependencies } from "../components/layers";
import { LAYER_OUTPUTS } from "../components/platform";
import { runProgram } from "../programs/program";
import { awsConfig } from "./fixtures";
import { mockPulumi, settle, valueOf } from "./harness";

const STACK_REF = "pulumi:pulumi:StackReference";

describe("per-layer stacks (offline plan of prod-aws)", () => {
  let result: PlanResult;
  beforeAll(async () => {
    result = await plan(["prod-aws"]);
  });

  it("plans every enabled layer in dependency order", () => {
    const names = result.stacks.map((s) => s.name);
    expect(names).toEqual(
      ["network", "kubernetes", "storage", "vpn", "addons", "cache", "observability"].map(
        (l) => `prod-aws-${l}`,
      ),
    );
    for (const stack of result.stacks) {
      for (const dep of stack.dependsOn)
        expect(names.indexOf(dep)).toBeLessThan(names.indexOf(stack.name));
    }
    expect(result.summary).toEqual({
      stacks: 7,
      resources: result.stacks.reduce((n, s) => n + s.resources.length, 0),
    });
  });

  it("reads each upstream layer through one StackReference named org/project/<base>-<layer>", () => {
    for (const stack of result.stacks) {
      const refs = stack.resources
        .filter((r) => r.type === STACK_REF)
        .map((r) => r.name)
        .sort();
      expect(refs).toEqual(
        layerDependencies("aws")
          [stack.layer].map((d) => `organization/officeless/prod-aws-${d}`)
          .sort(),
      );
    }
  });

  it("exports exactly the layer's output keys, with kubeconfig and keys as secrets", () => {
    for (const stack of result.stacks) {
      const expected = LAYER_OUTPUTS[stack.layer].flatMap((p) => p.keys);
      expect(Object.keys(stack.outputs).sort()).toEqual([...expected].sort());
    }
    const outputsOf = (layer: string) => result.stacks.find((s) => s.layer === layer)!.outputs;
    expect(outputsOf("kubernetes").kubeconfig).toBe("[secret]");
    expect(outputsOf("cache").authToken).toBe("[secret]");
    expect(outputsOf("vpn").tunnelPreSharedKeys).toBe("[secret]");
    expect(outputsOf("kubernetes").clusterName).toBe("officeless-prod");
  });

  it("feeds downstream layers the upstream outputs (the cache sits in the network's subnets)", () => {
    const network = result.stacks.find((s) => s.layer === "network")!;
    const cache = result.stacks.find((s) => s.layer === "cache")!;
    const subnetGroup = cache.resources.find(
      (r) => r.type === "aws:elasticache/subnetGroup:SubnetGroup",
    )!;
    expect(subnetGroup.inputs.subnetIds).toEqual(network.outputs.databaseSubnetIds);
  });

  it("gives cluster-API layers a Kubernetes provider and parents everything under the layer's component", () => {
    for (const stack of result.stacks) {
      const roots = stack.resources.filter((r) => r.parent === "" && r.type !== STACK_REF);
      const types = roots.map((r) => r.type).sort();
      if (["storage", "addons", "observability"].includes(stack.layer))
        expect(types).toContain("pulumi:providers:kubernetes");
      expect(types.filter((t) => t.startsWith("officeless:")).length).toBeGreaterThan(0);
      expect(
        types.every((t) => t.startsWith("officeless:") || t === "pulumi:providers:kubernetes"),
      ).toBe(true);
    }
  });
});

describe("Kubernetes providers follow the backend's cluster-API layers", () => {
  it.each(["prod-gcp", "prod-azure"])(
    "%s: storage and observability get one; addons, which builds nothing in-cluster there, does not",
    async (stack) => {
      const planned = await plan([stack]);
      const hasProvider = (layer: string) =>
        planned.stacks
          .find((s) => s.layer === layer)!
          .resources.some((r) => r.type === "pulumi:providers:kubernetes");
      expect(hasProvider("storage")).toBe(true);
      expect(hasProvider("observability")).toBe(true);
      expect(hasProvider("addons")).toBe(false);
      expect(hasProvider("network")).toBe(false);
    },
  );
});

describe("an invalid stack file", () => {
  it("fails with the config error before any layer runs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-"));
    const good = fs.readFileSync(path.resolve(__dirname, "..", "Pulumi.dev-aws.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.bad-aws.yaml"),
      good.replace(/cidr: [0-9./]+/, "cidr: 10.0.0.0/33"),
    );
    const mocks = await mockPulumi();
    await expect(plan(["bad-aws"], { projectDir: dir })).rejects.toThrow(
      /officeless:network\.cidr = "10\.0\.0\.0\/33"/,
    );
    expect(mocks.resources).toEqual([]);
  });
});

describe("the all-in-one stack", () => {
  it("builds every enabled layer under one Platform component and exports each layer's outputs", async () => {
    const mocks = await mockPulumi({ stack: "prod-aws", region: "eu-west-1" });
    const config = awsConfig("prod");
    const exported = await runProgram({ config, checkEndpoint: false });
    await settle();
    expect(Object.keys(exported)).toEqual(activeLayers(config));
    const platform = mocks.byType("officeless:platform:Platform");
    expect(platform).toHaveLength(1);
    const direct = mocks.resources
      .filter((r) => r.parent === platform[0].urn)
      .map((r) => r.type)
      .sort();
    expect(direct).toEqual(
      [
        "officeless:network:Network",
        "officeless:kubernetes:KubernetesCluster",
        "pulumi:providers:kubernetes",
        "officeless:storage:Storage",
        "officeless:backup:Backup",
        "officeless:vpn:Vpn",
        "officeless:addons:ClusterAddons",
        "officeless:loadbalancing:LoadBalancing",
        "officeless:cache:Cache",
        "officeless:observability:Observability",
      ].sort(),
    );
    expect(mocks.byType(STACK_REF)).toEqual([]);
    // Mimir, Loki and Tempo claim volumes from the default StorageClass: they wait for it (the
    // collectors and Grafana keep nothing on volumes).
    const blockClass = mocks
      .byType("kubernetes:storage.k8s.io/v1:StorageClass")
      .find((r) => (r.inputs.metadata as { name?: string }).name === "officeless-block")!;
    const stores = ["mimir-distributed", "loki", "tempo-distributed"];
    const storeReleases = mocks
      .byType("kubernetes:helm.sh/v3:Release")
      .filter(
        (r) => r.inputs.namespace === "observability" && stores.includes(r.inputs.chart as string),
      );
    expect(storeReleases).toHaveLength(3);
    for (const release of storeReleases) {
      expect(release.options.dependsOn).toContain(blockClass.urn);
    }
    const kubernetes = exported.kubernetes as Record<string, unknown>;
    expect(await valueOf(kubernetes.clusterName as never)).toBe("officeless-prod");
  });
});

const ROOT = path.resolve(__dirname, "..");

describe("the Pulumi.yaml entrypoint", () => {
  it("is a function that reads the stack's officeless: config and exports the selected layer's outputs", async () => {
    const { raw, secretKeys } = readStackFile(
      stackFilePath(path.resolve(__dirname, ".."), "prod-aws"),
    );
    const mocks = await mockPulumi({ stack: "prod-aws-network", region: "eu-west-1" });
    const values: Record<string, string> = { "officeless:layer": "network" };
    for (const [key, value] of Object.entries(raw))
      values[`officeless:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    pulumi.runtime.setAllConfig(
      values,
      [...secretKeys].map((k) => `officeless:${k}`),
    );
    // Pulumi.yaml's main; `export =` is module.exports itself, as the Pulumi language host requires.
    const project = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
      main: string;
    };
    const entry = require(path.join(ROOT, project.main)) as () => Promise<Record<string, unknown>>;
    expect(typeof entry).toBe("function");
    const exported = await entry();
    await settle();
    expect(Object.keys(exported).sort()).toEqual([...LAYER_OUTPUTS.network[0].keys].sort());
    expect(mocks.byType("officeless:network:Network")).toHaveLength(1);
    expect(mocks.byType("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
  });
});

describe("reaching the cluster API", () => {
  it("fails fast with advice when the endpoint does not answer", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(probeEndpoint(`https://127.0.0.1:${port}`, 2000)).rejects.toThrow(
      /Cannot reach the Kubernetes API at 127\.0\.0\.1:\d+ .*over the site-to-site VPN.*publicAccessCidrs/,
    );
  });

  it("passes when the endpoint accepts connections", async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await expect(probeEndpoint(`https://127.0.0.1:${port}`, 2000)).resolves.toBeUndefined();
    server.close();
  });
});
