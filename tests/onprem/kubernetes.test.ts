/**
 * The on-prem kubernetes layer. K3s mode: the SSH commands as commands (pinned release, embedded
 * etcd over the servers, secrets encryption, bundled ServiceLB/Traefik/local-path off, agents
 * joined with their own token, zone labels, idempotent scripts, kubeconfig secret and never
 * logged). Existing mode: the kubeconfig is probed for reachability, version and zones, and the
 * probe is skipped under the offline plan's mocks.
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { KubernetesCluster } from "../../components/kubernetesCluster";
import { LAYER_BUILDERS } from "../../components/platform";
import { PlatformConfig } from "../../components/types";
import { Network } from "../../components/network";
import { clusterCheck, clusterFactIssues, readClusterFacts } from "../../providers/onprem/probe";
import * as pulumi from "@pulumi/pulumi";
import { k3sCluster, k3sInstallScript, k3sNodeConfig } from "../../providers/onprem/k3s";
import { K3S_RELEASES } from "../../providers/onprem/versions";
import {
  isSecret,
  mockPulumi,
  one,
  RecordedResource,
  RecordingMocks,
  settle,
  valueOf,
} from "../harness";
import { devK3sRaw, edit, KUBECONFIG, onpremArgs, parsed, prodOnpremRaw, Raw } from "./fixtures";

const COMMAND = "command:remote:Command";

async function build(raw: Raw, checkEndpoint = false) {
  const mocks = await mockPulumi();
  const config = parsed(raw);
  const network = new Network(`${config.name}-network`, {
    ...onpremArgs(config),
    zones: config.zones,
    network: config.network,
  }).outputs;
  const cluster = new KubernetesCluster(config.name, {
    ...onpremArgs(config),
    zones: config.zones,
    kubernetes: config.kubernetes,
    network,
    checkEndpoint,
  });
  return { mocks, config, cluster, n: config.name };
}

async function built(raw: Raw) {
  const b = await build(raw);
  await valueOf(b.cluster.outputs.kubeconfig);
  await settle();
  return b;
}

const commands = (mocks: RecordingMocks) => mocks.byType(COMMAND);
const nodeCommand = (mocks: RecordingMocks, n: string, kind: string, host: string) =>
  one(mocks, COMMAND, `${n}-k3s-${kind}-${host}`);

/** The node config each install command would write, rendered with known tokens. */
function writtenConfig(
  config: PlatformConfig,
  host: string,
  role: "init" | "server" | "agent",
): any {
  const k3s = config.onprem!.cluster.k3s!;
  const h = [...k3s.servers, ...k3s.agents].find((x) => x.name === host)!;
  return parseYaml(
    k3sNodeConfig({ region: config.region, onprem: config.onprem!, k3s }, h, role, {
      token: "T",
      agentToken: "A",
    }),
  );
}

/** The SSH connections of the install commands, in node order, read from the resources themselves. */
async function connections(config: PlatformConfig): Promise<any[]> {
  const parent = new pulumi.ComponentResource("test:index:Parent", "conn-parent");
  const cluster = k3sCluster(
    { name: "conn", parent, tags: {}, protect: false },
    {
      name: "conn",
      region: config.region,
      onprem: config.onprem!,
      k3s: config.onprem!.cluster.k3s!,
      ssh: config.onprem!.ssh!,
    },
  );
  return Promise.all(cluster.nodes.map((node) => valueOf(node.connection)));
}

describe("onprem kubernetes: K3s over SSH", () => {
  it("connects to each host with the site's SSH user, port and key, without a host key in dev", async () => {
    await mockPulumi();
    const nodes = await connections(parsed(devK3sRaw()));
    expect(nodes.map((c) => c.host)).toEqual([
      "10.40.1.11",
      "10.40.1.12",
      "10.40.1.13",
      "10.40.1.14",
    ]);
    for (const c of nodes) {
      expect(c).toMatchObject({ port: 22, user: "ubuntu", dialErrorLimit: 20 });
      expect(c.privateKey).toContain("BEGIN OPENSSH PRIVATE KEY");
      expect(c).not.toHaveProperty("hostKey");
    }
  });

  it("installs the pinned release on every host over SSH, servers one after another, agents after the servers", async () => {
    const { mocks, n } = await built(devK3sRaw());
    const version = K3S_RELEASES["1.36"];
    const s1 = nodeCommand(mocks, n, "server", "k3s-1");
    const s2 = nodeCommand(mocks, n, "server", "k3s-2");
    const s3 = nodeCommand(mocks, n, "server", "k3s-3");
    const a4 = nodeCommand(mocks, n, "agent", "k3s-4");
    for (const cmd of [s1, s2, s3, a4]) {
      // @pulumi/command marks the whole connection secret (it holds the key).
      expect(cmd.inputs.connection).toBe("[secret]");
      // @pulumi/command 1.2.1 replaces on any `triggers` change, and a replacement runs the old
      // delete after the new create on the same host: neither may exist on a node command.
      expect(cmd.inputs).not.toHaveProperty("triggers");
      expect(cmd.inputs).not.toHaveProperty("delete");
      expect(cmd.options.protect).toBe(false);
      expect(cmd.inputs.addPreviousOutputInEnv).toBe(false);
      expect(cmd.inputs.stdin).toBe("[secret]");
    }
    expect(s1.inputs.create).toBe(k3sInstallScript(version, "server"));
    // A release change runs the install again in place: a replacement would uninstall after installing.
    expect(s1.inputs.update).toBe(s1.inputs.create);
    expect(a4.inputs.update).toBe(a4.inputs.create);
    expect(a4.inputs.create).toBe(k3sInstallScript(version, "agent"));
    expect(s1.inputs.create).toContain(
      `curl -sfL --retry 5 -o "$inst" 'https://raw.githubusercontent.com/k3s-io/k3s/v1.36.5+k3s1/install.sh'`,
    );
    expect(s1.inputs.create).toContain(
      `$SUDO env INSTALL_K3S_VERSION='v1.36.5+k3s1' INSTALL_K3S_EXEC='server' sh "$inst"`,
    );
    expect(a4.inputs.create).toContain("INSTALL_K3S_EXEC='agent'");
    // The wait and the kubeconfig read carry the release and the nodes in their text (a change
    // runs them again in place), not in triggers.
    const ready = one(mocks, COMMAND, `${n}-k3s-ready`);
    const read = one(mocks, COMMAND, `${n}-k3s-kubeconfig`);
    for (const cmd of [ready, read]) {
      expect(cmd.inputs).not.toHaveProperty("triggers");
      expect(cmd.inputs).not.toHaveProperty("delete");
      expect(cmd.inputs.update).toBe(cmd.inputs.create);
      expect(cmd.inputs.create).toContain(`# K3s ${version}`);
    }
    expect(ready.inputs.create).toMatch(/^# K3s v1\.36\.5\+k3s1: k3s-1 k3s-2 k3s-3 k3s-4\n/);
    // Besides the tokens (implicit, through stdin), each waits for the one before it.
    const order = (cmd: RecordedResource) =>
      cmd.options.dependsOn.filter((urn) => urn.includes(COMMAND));
    expect(order(s1)).toEqual([]);
    expect(order(s2)).toEqual([s1.urn]);
    expect(order(s3)).toEqual([s2.urn]);
    expect(order(a4)).toEqual([s3.urn]);
  });

  it("never pipes the installer into sh: downloads it, checks it, and fails unless the release then runs", () => {
    const script = k3sInstallScript("v1.36.5+k3s1", "server");
    // No pipeline whose status would be the last command's (sh on empty stdin exits 0).
    expect(script).not.toMatch(/curl -sfL[^\n]*\|/);
    expect(script).not.toMatch(/\|[^\n|]*\bsh( |$)/m);
    expect(script).not.toContain("%2B");
    const lines = script.split("\n");
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at("curl -sfL")).toBeGreaterThan(0);
    expect(lines[at("curl -sfL") + 1]).toBe(
      `[ -s "$inst" ] && head -n 1 "$inst" | grep -q '^#!/bin/sh' || { echo "the K3s v1.36.5+k3s1 installer download is empty or not a shell script" >&2; exit 1; }`,
    );
    expect(at("[ -s ")).toBeLessThan(at('sh "$inst"'));
    expect(lines[lines.length - 1]).toBe(
      `[ "$(k3s --version 2>/dev/null | awk 'NR==1 {print $3}')" = "v1.36.5+k3s1" ] && $SUDO systemctl is-active --quiet k3s || { echo "K3s v1.36.5+k3s1 (server) is not running after the install" >&2; exit 1; }`,
    );
    expect(script).toContain(`trap 'rm -f "$tmp" "$inst"' EXIT`);
  });

  it("is idempotent: an unchanged config and release change nothing, and the config comes from stdin, not the command line", () => {
    const script = k3sInstallScript("v1.36.5+k3s1", "server");
    expect(script).toMatch(/^set -eu\n/);
    expect(script).toContain('cat > "$tmp"');
    expect(script).toContain(
      `if $SUDO cmp -s "$tmp" /etc/rancher/k3s/config.yaml && [ "$(k3s --version 2>/dev/null | awk 'NR==1 {print $3}')" = "v1.36.5+k3s1" ] && $SUDO systemctl is-active --quiet k3s; then`,
    );
    expect(script).toContain("exit 0");
    expect(script).toContain(
      '$SUDO install -m 0600 -o root -g root "$tmp" /etc/rancher/k3s/config.yaml',
    );
    expect(script).not.toMatch(/token/i);
    expect(k3sInstallScript("v1.36.5+k3s1", "agent")).toContain(
      "systemctl is-active --quiet k3s-agent",
    );
  });

  it("embedded etcd on the first server, the others join it; secrets encryption on; ServiceLB, Traefik and local-path off; zones as labels", async () => {
    const config = parsed(devK3sRaw());
    const init = writtenConfig(config, "k3s-1", "init");
    expect(init).toMatchObject({
      "cluster-init": true,
      token: "T",
      "agent-token": "A",
      "node-name": "k3s-1",
      "node-ip": "10.40.1.11",
      "advertise-address": "10.40.1.11",
      "node-label": ["topology.kubernetes.io/zone=rack-1", "topology.kubernetes.io/region=lab"],
      "tls-san": ["10.40.1.11", "10.40.1.12", "10.40.1.13"],
      "cluster-cidr": "10.42.0.0/16",
      "service-cidr": "10.43.0.0/16",
      "secrets-encryption": true,
      disable: ["local-storage", "servicelb", "traefik"],
      "write-kubeconfig-mode": "0600",
    });
    expect(init).not.toHaveProperty("server");
    const join = writtenConfig(config, "k3s-2", "server");
    expect(join.server).toBe("https://10.40.1.11:6443");
    expect(join).not.toHaveProperty("cluster-init");
    expect(join["secrets-encryption"]).toBe(true);
    const agent = writtenConfig(config, "k3s-4", "agent");
    // Agents hold only the agent token: a leaked agent cannot join as a server.
    expect(agent).toEqual({
      server: "https://10.40.1.11:6443",
      token: "A",
      "node-name": "k3s-4",
      "node-ip": "10.40.1.14",
      "node-label": ["topology.kubernetes.io/zone=rack-1", "topology.kubernetes.io/region=lab"],
    });
  });

  it("agents and clients use the API address when one is given, and it is in the servers' certificate", () => {
    const config = parsed(
      edit((r) => (r.onprem.cluster.k3s.apiAddress = "10.40.1.100"), devK3sRaw),
    );
    expect(writtenConfig(config, "k3s-4", "agent").server).toBe("https://10.40.1.100:6443");
    expect(writtenConfig(config, "k3s-1", "init")["tls-san"][0]).toBe("10.40.1.100");
    // Servers join through the first server: the VIP may not exist before the cluster does.
    expect(writtenConfig(config, "k3s-2", "server").server).toBe("https://10.40.1.11:6443");
  });

  it("keeps local-path only when it is the chosen block class", () => {
    const config = parsed(
      edit((r) => {
        r.onprem.storage = {
          block: { provider: "existing", storageClassName: "local-path" },
          file: { provider: "none" },
          object: {
            provider: "external",
            external: { endpoint: "s3.lab.example.com", accessKeyId: "k", secretAccessKey: "s" },
          },
        };
        r.storage = { file: { enabled: false } };
        r.backup = { enabled: false };
      }, devK3sRaw),
    );
    expect(writtenConfig(config, "k3s-1", "init").disable).toEqual(["servicelb", "traefik"]);
  });

  it("generates the join tokens as secrets and waits for every node before reading the kubeconfig, which is never logged", async () => {
    const { mocks, n, cluster } = await built(devK3sRaw());
    const tokens = mocks
      .byType("random:index/randomPassword:RandomPassword")
      .map((r) => r.name)
      .sort();
    expect(tokens).toEqual([`${n}-k3s-agent-token`, `${n}-k3s-token`]);
    const ready = one(mocks, COMMAND, `${n}-k3s-ready`);
    expect(ready.inputs.create).toContain('if [ "$ready" -ge 4 ]');
    expect(ready.options.dependsOn.sort()).toEqual(
      commands(mocks)
        .filter((c) => /-k3s-(server|agent)-/.test(c.name))
        .map((c) => c.urn)
        .sort(),
    );
    const read = one(mocks, COMMAND, `${n}-k3s-kubeconfig`);
    expect(read.inputs.create).toContain("$SUDO cat /etc/rancher/k3s/k3s.yaml");
    expect(read.inputs.logging).toBe("none");
    expect(read.options.dependsOn).toEqual([ready.urn]);
    expect(await isSecret(cluster.outputs.kubeconfig)).toBe(true);
    const kubeconfig = parseYaml(await valueOf(cluster.outputs.kubeconfig));
    expect(kubeconfig.clusters[0]).toMatchObject({
      name: n,
      cluster: { server: "https://10.40.1.11:6443" },
    });
    expect(kubeconfig["current-context"]).toBe(n);
    expect(await valueOf(cluster.outputs.endpoint)).toBe("https://10.40.1.11:6443");
    expect(await isSecret(cluster.outputs.certificateAuthority)).toBe(false);
    expect(await valueOf(cluster.outputs.certificateAuthority)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(await valueOf(cluster.outputs.version)).toBe("1.36");
    expect(await valueOf(cluster.outputs.clusterId)).toBe(`onprem:k3s:${n}`);
  });

  it("protects the tokens in prod, not the commands (replacing one removes nothing), and verifies host keys there", async () => {
    const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleHostKeyOnlyForTests0123456789ab";
    const raw = prodOnpremRaw();
    raw.onprem.distribution = "k3s";
    raw.onprem.ssh = { privateKey: "key" };
    raw.onprem.cluster = {
      mode: "k3s",
      k3s: {
        servers: [
          { name: "s1", address: "10.30.1.11", zone: "room-a", hostKey },
          { name: "s2", address: "10.30.2.11", zone: "room-b", hostKey },
          { name: "s3", address: "10.30.3.11", zone: "room-c", hostKey },
        ],
      },
    };
    const { mocks, n, config } = await built(raw);
    const nodes = await connections(config);
    expect(nodes.map((c) => [c.host, c.hostKey, c.user])).toEqual([
      ["10.30.1.11", hostKey, "root"],
      ["10.30.2.11", hostKey, "root"],
      ["10.30.3.11", hostKey, "root"],
    ]);
    // Protected commands would make an SSH key rotation (a replacement) fail in prod.
    for (const name of ["s1", "s2", "s3"]) {
      const cmd = nodeCommand(mocks, n, "server", name);
      expect(cmd.options.protect).toBe(false);
      expect(cmd.inputs).not.toHaveProperty("delete");
    }
    const tokens = mocks
      .byType("random:index/randomPassword:RandomPassword")
      .filter((r) => r.name.startsWith(n));
    expect(tokens.map((t) => t.options.protect)).toEqual([true, true]);
  });
});

describe("the example K3s stacks", () => {
  it("pin every SSH host's key, dev included (the install's stdin carries the join token)", () => {
    const root = path.resolve(__dirname, "..", "..");
    const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\..*-onprem\.yaml$/.test(f));
    const hosts = stacks.flatMap((f) => {
      const onprem = parseYaml(fs.readFileSync(path.join(root, f), "utf8")).config[
        "officeless:onprem"
      ];
      const k3s = onprem.cluster.k3s ?? { servers: [], agents: [] };
      return [
        ...k3s.servers,
        ...(k3s.agents ?? []),
        ...(onprem.vpn?.gatewayHost ? [onprem.vpn.gatewayHost] : []),
      ].map((h: any) => ({ stack: f, host: h.name ?? h.address, hostKey: h.hostKey }));
    });
    expect(hosts.length).toBeGreaterThan(4);
    expect(hosts.filter((h) => !/^ssh-ed25519 [A-Za-z0-9+/]+=*$/.test(h.hostKey ?? ""))).toEqual(
      [],
    );
  });
});

describe("onprem kubernetes: an existing cluster", () => {
  afterEach(() => jest.restoreAllMocks());

  it("exports the given kubeconfig as a secret, with its server and CA, without probing under the offline plan (checkEndpoint false)", async () => {
    const verify = jest.spyOn(clusterCheck, "verify");
    const { cluster, mocks, n } = await build(prodOnpremRaw(), false);
    expect(await valueOf(cluster.outputs.kubeconfig)).toBe(KUBECONFIG);
    expect(await isSecret(cluster.outputs.kubeconfig)).toBe(true);
    expect(await valueOf(cluster.outputs.endpoint)).toBe("https://10.30.0.5:6443");
    expect(await valueOf(cluster.outputs.certificateAuthority)).toBe("LS0tLS1CRUdJTi1DQQ==");
    expect(await valueOf(cluster.outputs.version)).toBe("1.36");
    expect(await valueOf(cluster.outputs.clusterId)).toBe(`onprem:rke2:${n}`);
    expect(await valueOf(cluster.outputs.nodePoolNames)).toEqual(["general"]);
    await settle();
    expect(verify).not.toHaveBeenCalled();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("probes the cluster before exporting it when checkEndpoint is on, and reports the live minor", async () => {
    const verify = jest.spyOn(clusterCheck, "verify").mockResolvedValue({
      gitVersion: "v1.35.9+rke2r1",
      nodeZones: ["room-a", "room-b", "room-c"],
    });
    const { cluster } = await build(prodOnpremRaw(), true);
    expect(await valueOf(cluster.outputs.version)).toBe("1.35");
    expect(verify).toHaveBeenCalledWith(KUBECONFIG, {
      distribution: "rke2",
      zones: ["room-a", "room-b", "room-c"],
    });
  });

  it.each([
    [false, 0],
    [undefined, 1],
  ])(
    "the layer builder hands checkEndpoint %s down (the offline plan passes false): %i probes",
    async (checkEndpoint, calls) => {
      const verify = jest.spyOn(clusterCheck, "verify").mockResolvedValue({
        gitVersion: "v1.36.2+rke2r1",
        nodeZones: ["room-a", "room-b", "room-c"],
      });
      await mockPulumi();
      const config = parsed(prodOnpremRaw());
      const network = LAYER_BUILDERS.network({
        name: config.name,
        config,
        upstream: {},
        opts: {},
      }).network!;
      const built = LAYER_BUILDERS.kubernetes({
        name: config.name,
        config,
        upstream: { network },
        opts: {},
        ...(checkEndpoint === undefined ? {} : { checkEndpoint }),
      });
      await valueOf(built.kubernetes!.kubeconfig);
      expect(verify).toHaveBeenCalledTimes(calls);
    },
  );

  it("the probe fails in seconds with the fix when the API does not answer", async () => {
    // A port that refuses: bind one, then close it.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const kubeconfig = KUBECONFIG.replace("https://10.30.0.5:6443", `https://127.0.0.1:${port}`);
    await expect(readClusterFacts(kubeconfig, 2000)).rejects.toThrow(
      new RegExp(
        `Cannot reach the Kubernetes API at https://127.0.0.1:${port} .*officeless:onprem.cluster.kubeconfig`,
      ),
    );
  });

  it("refuses unsupported minors, another distribution, and zones without nodes", () => {
    const zones = ["room-a", "room-b", "room-c"];
    expect(
      clusterFactIssues(
        { gitVersion: "v1.36.2+rke2r1", nodeZones: zones },
        { distribution: "rke2", zones },
      ),
    ).toEqual([]);
    expect(
      clusterFactIssues(
        { gitVersion: "v1.33.5", nodeZones: zones },
        { distribution: "vanilla", zones },
      ),
    ).toEqual([
      "the cluster runs Kubernetes v1.33.5; supported minors: 1.35, 1.36. Upgrade the cluster first.",
    ]);
    expect(
      clusterFactIssues(
        { gitVersion: "v1.36.5+k3s1", nodeZones: zones },
        { distribution: "rke2", zones },
      ),
    ).toEqual(["the cluster is k3s (v1.36.5+k3s1) but officeless:onprem.distribution is rke2"]);
    expect(
      clusterFactIssues(
        { gitVersion: "v1.36.2", nodeZones: ["room-a", "", "room-a"] },
        { distribution: "openshift", zones },
      ),
    ).toEqual([
      "no node carries topology.kubernetes.io/zone=room-b or room-c; label each node with its failure domain: kubectl label node <node> topology.kubernetes.io/zone=<zone>",
    ]);
  });
});
