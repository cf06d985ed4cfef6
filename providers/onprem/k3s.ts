/**
 * An HA K3s cluster installed over SSH on the hosts of `onprem.cluster.k3s`: the first server
 * initialises embedded etcd, the other servers join it one at a time (concurrent joins can lose
 * the etcd quorum), then the agents join; secrets are encrypted at rest; the bundled ServiceLB,
 * Traefik and local-path are off because the platform installs MetalLB, its Gateway controller and
 * its own storage; every node registers with its zone as `topology.kubernetes.io/zone`.
 *
 * Each node's settings go to /etc/rancher/k3s/config.yaml through the command's stdin (a secret:
 * it holds the join token), never on a command line. The install script is idempotent: when the
 * written config and the running release are already what is asked, it changes nothing; otherwise
 * it re-runs K3s's installer at the pinned release, which upgrades in place. Pulumi runs it again
 * only when a node's settings or the release change.
 *
 * No command here is ever destructive when Pulumi replaces it. @pulumi/command 1.2.1 replaces a
 * Command whenever `triggers` or `connection` change (remote/command.js sets
 * `replaceOnChanges: ["triggers[*]"]`; the provider marks `connection` replace-on-change), and a
 * replacement is create-before-delete on the same host: a delete that uninstalled K3s would wipe
 * the node (embedded etcd included) right after the new create. So: no triggers (the release and
 * the node list live in the scripts' text, so a change runs `update` in place), no delete (a host
 * leaves the cluster by the documented removal step, docs/clouds/onprem.md), and the install
 * commands are not protected (a replacement, e.g. an SSH key rotation, re-runs the idempotent
 * install and removes nothing; the tokens stay protected).
 */
import * as remote from "@pulumi/command/remote";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import type { Scope } from "../../components/types";
import { DISTRIBUTIONS } from "./catalog";
import { AS_ROOT, REMOTE_COMMAND_DEFAULTS, sshConnection } from "./common";
import type { OnpremConfig, OnpremHost, OnpremK3sConfig, OnpremSshConfig } from "./types";

/** K3s's supervisor and API port. */
export const K3S_API_PORT = 6443;
const CONFIG_FILE = "/etc/rancher/k3s/config.yaml";
const KUBECONFIG_FILE = "/etc/rancher/k3s/k3s.yaml";

export interface K3sClusterArgs {
  /** The cluster's name: the kubeconfig's cluster, context and user. */
  readonly name: string;
  readonly region: string;
  readonly onprem: OnpremConfig;
  readonly k3s: OnpremK3sConfig;
  readonly ssh: OnpremSshConfig;
}

export interface K3sCluster {
  /** `https://<apiAddress or first server>:6443`. */
  readonly endpoint: pulumi.Output<string>;
  /** Admin kubeconfig pointing at `endpoint`. Secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthority: pulumi.Output<string>;
  /** The install commands, servers first. */
  readonly nodes: remote.Command[];
}

/**
 * The bundled components the platform replaces: ServiceLB (MetalLB needs the ports and the
 * Services), Traefik (the Gateway controller is Envoy Gateway: catalog.ts gatewayControllerOf), local-path (volumes go to Ceph,
 * Longhorn or the given class). Sorted, so the node config does not churn.
 */
export function k3sDisabledComponents(onprem: OnpremConfig): string[] {
  const disabled = ["traefik"];
  if (DISTRIBUTIONS.k3s.bundledServiceLoadBalancer)
    disabled.push(DISTRIBUTIONS.k3s.bundledServiceLoadBalancer);
  // local-path is K3s's "local-storage" component; kept only when it is the chosen block class.
  if (
    onprem.storage.block.provider !== "existing" ||
    onprem.storage.block.storageClassName !== "local-path"
  )
    disabled.push("local-storage");
  return disabled.sort();
}

/** The address agents and clients use: the VIP or load balancer when given, else the first server. */
export function k3sApiHost(k3s: OnpremK3sConfig): string {
  return k3s.apiAddress ?? k3s.servers[0].address;
}

/** One node's /etc/rancher/k3s/config.yaml (keys as K3s's CLI flags, https://docs.k3s.io/installation/configuration). */
export function k3sNodeConfig(
  args: Pick<K3sClusterArgs, "region" | "onprem" | "k3s">,
  host: OnpremHost,
  role: "init" | "server" | "agent",
  tokens: { token: string; agentToken: string },
): string {
  const { k3s, onprem, region } = args;
  const first = k3s.servers[0].address;
  const labels = [
    `topology.kubernetes.io/zone=${host.zone}`,
    `topology.kubernetes.io/region=${region}`,
  ];
  const node = {
    "node-name": host.name,
    "node-ip": host.address,
    // Registered once: K3s applies node-label only when the node first joins.
    "node-label": labels,
  };
  if (role === "agent") {
    return toYaml({
      server: `https://${k3sApiHost(k3s)}:${K3S_API_PORT}`,
      token: tokens.agentToken,
      ...node,
    });
  }
  const sans = [
    ...new Set([...(k3s.apiAddress ? [k3s.apiAddress] : []), ...k3s.servers.map((s) => s.address)]),
  ];
  return toYaml({
    ...(role === "init"
      ? { "cluster-init": true }
      : { server: `https://${first}:${K3S_API_PORT}` }),
    token: tokens.token,
    "agent-token": tokens.agentToken,
    ...node,
    "advertise-address": host.address,
    "tls-san": sans,
    "cluster-cidr": k3s.clusterCidr,
    "service-cidr": k3s.serviceCidr,
    "secrets-encryption": true,
    disable: k3sDisabledComponents(onprem),
    "write-kubeconfig-mode": "0600",
  });
}

/** Where the pinned release's installer is: its own tag, the `+` literal (a path character, not encoded). */
export function k3sInstallerUrl(version: string): string {
  return `https://raw.githubusercontent.com/k3s-io/k3s/${version}/install.sh`;
}

/**
 * The node's install script: writes stdin to the config file and runs the installer of the pinned
 * release unless that config and release already run. The installer comes from the release's own
 * tag (not get.k3s.io's moving script) and checks the binary's sha256 from the release. It is
 * downloaded to a file and checked before it runs (a failed download piped into `sh` would run an
 * empty script and report success; the login shell may not be bash, so no `pipefail`), and the
 * script fails unless the pinned release then runs.
 */
export function k3sInstallScript(version: string, role: "server" | "agent"): string {
  const unit = role === "server" ? "k3s" : "k3s-agent";
  const running = `[ "$(k3s --version 2>/dev/null | awk 'NR==1 {print $3}')" = "${version}" ] && $SUDO systemctl is-active --quiet ${unit}`;
  return [
    "set -eu",
    AS_ROOT,
    'command -v curl >/dev/null 2>&1 || { echo "curl is required on this host to install K3s" >&2; exit 1; }',
    "umask 077",
    'tmp="$(mktemp)"',
    'inst="$(mktemp)"',
    'trap \'rm -f "$tmp" "$inst"\' EXIT',
    'cat > "$tmp"',
    `if $SUDO cmp -s "$tmp" ${CONFIG_FILE} && ${running}; then`,
    `  echo "K3s ${version} (${role}) already runs with this configuration"`,
    "  exit 0",
    "fi",
    `curl -sfL --retry 5 -o "$inst" '${k3sInstallerUrl(version)}'`,
    `[ -s "$inst" ] && head -n 1 "$inst" | grep -q '^#!/bin/sh' || { echo "the K3s ${version} installer download is empty or not a shell script" >&2; exit 1; }`,
    "$SUDO mkdir -p /etc/rancher/k3s",
    `$SUDO install -m 0600 -o root -g root "$tmp" ${CONFIG_FILE}`,
    `$SUDO env INSTALL_K3S_VERSION='${version}' INSTALL_K3S_EXEC='${role}' sh "$inst"`,
    `${running} || { echo "K3s ${version} (${role}) is not running after the install" >&2; exit 1; }`,
  ].join("\n");
}

/**
 * Waits on the first server until every node has registered and is Ready. The release and the
 * node names are in the text (a comment), so adding a node or upgrading runs it again in place.
 */
export function k3sReadyScript(version: string, nodes: readonly string[]): string {
  return [
    `# K3s ${version}: ${nodes.join(" ")}`,
    "set -eu",
    AS_ROOT,
    "for i in $(seq 1 120); do",
    `  ready="$($SUDO k3s kubectl get nodes --no-headers 2>/dev/null | awk '$2 == "Ready"' | wc -l)"`,
    `  if [ "$ready" -ge ${nodes.length} ]; then echo "$ready nodes Ready"; exit 0; fi`,
    "  sleep 5",
    "done",
    `echo "timed out: $ready of ${nodes.length} nodes Ready" >&2`,
    "exit 1",
  ].join("\n");
}

/** Reads the admin kubeconfig; the release is in the text so an upgrade reads it again. */
export function k3sKubeconfigScript(version: string): string {
  return [`# K3s ${version}`, AS_ROOT, `$SUDO cat ${KUBECONFIG_FILE}`].join("\n");
}

/** K3s's admin kubeconfig, pointed at the API address and named after the cluster. */
export function rewriteK3sKubeconfig(text: string, name: string, endpoint: string): string {
  const doc = parseYaml(text) as {
    clusters: { name: string; cluster: Record<string, unknown> }[];
    contexts: { name: string; context: Record<string, unknown> }[];
    users: { name: string; user: Record<string, unknown> }[];
  };
  return toYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { ...doc.clusters[0].cluster, server: endpoint } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [{ name, user: doc.users[0].user }],
  });
}

/** The CA bundle (base64 PEM) of a kubeconfig's first cluster, or "" when it has none. */
export function kubeconfigCa(text: string): string {
  const doc = parseYaml(text) as { clusters?: { cluster?: Record<string, unknown> }[] } | null;
  const ca = doc?.clusters?.[0]?.cluster?.["certificate-authority-data"];
  return typeof ca === "string" ? ca : "";
}

export function k3sCluster(scope: Scope, args: K3sClusterArgs): K3sCluster {
  const { k3s, ssh } = args;
  const n = `${scope.name}-k3s`;
  const opts = { parent: scope.parent };
  // Stateful: a new token would lock every node out of the cluster.
  const token = new random.RandomPassword(
    `${n}-token`,
    { length: 48, special: false },
    { ...opts, protect: scope.protect },
  );
  const agentToken = new random.RandomPassword(
    `${n}-agent-token`,
    { length: 48, special: false },
    { ...opts, protect: scope.protect },
  );
  const tokens = pulumi
    .all([token.result, agentToken.result])
    .apply(([t, a]) => ({ token: t, agentToken: a }));

  const install = (
    host: OnpremHost,
    role: "init" | "server" | "agent",
    after: pulumi.Resource[],
  ) => {
    const kind = role === "agent" ? "agent" : "server";
    return new remote.Command(
      `${n}-${kind}-${host.name}`,
      {
        ...REMOTE_COMMAND_DEFAULTS,
        connection: sshConnection(ssh, host),
        // A release change alters both scripts: `update` runs in place (no triggers, no delete:
        // see the file comment).
        create: k3sInstallScript(k3s.version, kind),
        update: k3sInstallScript(k3s.version, kind),
        stdin: pulumi.secret(tokens.apply((t) => k3sNodeConfig(args, host, role, t))),
      },
      { ...opts, dependsOn: after },
    );
  };

  const servers: remote.Command[] = [];
  k3s.servers.forEach((host, i) => {
    servers.push(install(host, i === 0 ? "init" : "server", i === 0 ? [] : [servers[i - 1]]));
  });
  const agents = k3s.agents.map((host) => install(host, "agent", [servers[servers.length - 1]]));

  const first = k3s.servers[0];
  const nodeNames = [...k3s.servers, ...k3s.agents].map((h) => h.name);
  const ready = new remote.Command(
    `${n}-ready`,
    {
      ...REMOTE_COMMAND_DEFAULTS,
      connection: sshConnection(ssh, first),
      create: k3sReadyScript(k3s.version, nodeNames),
      update: k3sReadyScript(k3s.version, nodeNames),
    },
    { ...opts, dependsOn: [...servers, ...agents] },
  );
  const read = new remote.Command(
    `${n}-kubeconfig`,
    {
      ...REMOTE_COMMAND_DEFAULTS,
      connection: sshConnection(ssh, first),
      create: k3sKubeconfigScript(k3s.version),
      update: k3sKubeconfigScript(k3s.version),
      // The admin credential: never in the logs, secret in the state.
      logging: "none",
    },
    { ...opts, dependsOn: [ready], additionalSecretOutputs: ["stdout"] },
  );
  const endpoint = pulumi.output(`https://${k3sApiHost(k3s)}:${K3S_API_PORT}`);
  const kubeconfig = pulumi.secret(
    pulumi
      .all([read.stdout, endpoint])
      .apply(([text, url]) => rewriteK3sKubeconfig(text, args.name, url)),
  );
  return {
    endpoint,
    kubeconfig,
    // The CA is public; only the rest of the kubeconfig is secret.
    certificateAuthority: pulumi.unsecret(read.stdout.apply(kubeconfigCa)),
    nodes: [...servers, ...agents],
  };
}
