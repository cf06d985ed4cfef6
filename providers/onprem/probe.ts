/**
 * The check of a cluster the platform is given (`cluster.mode: existing`): before any layer uses
 * the kubeconfig, its API must answer, run a supported Kubernetes minor of the configured
 * distribution, and have nodes labelled with every configured zone (zone-aware releases pin
 * replicas to those labels; a zone without nodes leaves them Pending). Fails in seconds with the
 * fix instead of a Helm timeout minutes later. Node's https only: no kubectl on the runner.
 */
import * as https from "https";
import { parse as parseYaml } from "yaml";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import type { OnpremDistribution } from "./types";

/** What the API reports. */
export interface ClusterFacts {
  /** `/version` gitVersion, e.g. `v1.36.2+rke2r1`. */
  readonly gitVersion: string;
  /** `topology.kubernetes.io/zone` of every node ("" for a node without it). */
  readonly nodeZones: readonly string[];
}

export interface Credentials {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

type Named<T> = { name: string } & T;

/** The current context's server and credentials. */
export function kubeconfigCredentials(text: string): Credentials {
  const doc = parseYaml(text) as {
    "current-context"?: string;
    contexts?: Named<{ context: { cluster: string; user: string } }>[];
    clusters?: Named<{ cluster: Record<string, string> }>[];
    users?: Named<{ user: Record<string, string> }>[];
  };
  const context = doc.contexts?.find((c) => c.name === doc["current-context"])?.context;
  const cluster = (doc.clusters?.find((c) => c.name === context?.cluster) ?? doc.clusters?.[0])
    ?.cluster;
  const user = (doc.users?.find((u) => u.name === context?.user) ?? doc.users?.[0])?.user ?? {};
  if (!cluster?.server) throw new Error("the kubeconfig names no cluster server");
  // Config validation refuses file references: everything is inline (--flatten).
  const data = (inline?: string): Buffer | undefined =>
    inline ? Buffer.from(inline, "base64") : undefined;
  return {
    server: cluster.server,
    ca: data(cluster["certificate-authority-data"]),
    cert: data(user["client-certificate-data"]),
    key: data(user["client-key-data"]),
    token: user.token,
  };
}

function getJson(creds: Credentials, path: string, timeoutMs: number): Promise<unknown> {
  const url = new URL(path, creds.server);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: "GET",
        ca: creds.ca,
        cert: creds.cert,
        key: creds.key,
        headers: creds.token ? { Authorization: `Bearer ${creds.token}` } : {},
        timeout: timeoutMs,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => {
          if (res.statusCode !== 200) {
            reject(new Error(`GET ${url.pathname} answered ${res.statusCode}`));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new Error(`GET ${url.pathname} did not answer JSON`));
          }
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}

/** Reads the API's version and the nodes' zones with the kubeconfig's own credentials. */
export async function readClusterFacts(
  kubeconfig: string,
  timeoutMs = 10_000,
): Promise<ClusterFacts> {
  const creds = kubeconfigCredentials(kubeconfig);
  let version: { gitVersion?: string };
  try {
    version = (await getJson(creds, "/version", timeoutMs)) as { gitVersion?: string };
  } catch (err) {
    throw new Error(
      `Cannot reach the Kubernetes API at ${creds.server} (${(err as Error).message}). Run the deploy from a host that reaches it ` +
        "(the site network, or over officeless:vpn), and check officeless:onprem.cluster.kubeconfig.",
    );
  }
  let nodes: { items?: { metadata?: { labels?: Record<string, string> } }[] };
  try {
    nodes = (await getJson(creds, "/api/v1/nodes", timeoutMs)) as typeof nodes;
  } catch (err) {
    throw new Error(
      `The kubeconfig's user cannot list nodes (${(err as Error).message}); the platform installs cluster-wide components and needs cluster-admin.`,
    );
  }
  return {
    gitVersion: version.gitVersion ?? "",
    nodeZones: (nodes.items ?? []).map(
      (n) => n.metadata?.labels?.["topology.kubernetes.io/zone"] ?? "",
    ),
  };
}

/** The distribution a gitVersion's build suffix names (`+k3s1`, `+rke2r1`, `+k0s`), if any. */
function suffixDistribution(gitVersion: string): OnpremDistribution | undefined {
  if (/\+k3s\d/.test(gitVersion)) return "k3s";
  if (/\+rke2/.test(gitVersion)) return "rke2";
  if (/\+k0s/.test(gitVersion)) return "k0s";
  return undefined;
}

/** What is wrong with a cluster for this config; empty when it fits. */
export function clusterFactIssues(
  facts: ClusterFacts,
  expected: { distribution: OnpremDistribution; zones: readonly string[] },
): string[] {
  const issues: string[] = [];
  const minor = /^v?(1\.\d+)\./.exec(facts.gitVersion)?.[1];
  if (!minor || !(KUBERNETES_VERSIONS as readonly string[]).includes(minor)) {
    issues.push(
      `the cluster runs Kubernetes ${facts.gitVersion || "(unknown)"}; supported minors: ${KUBERNETES_VERSIONS.join(", ")}. Upgrade the cluster first.`,
    );
  }
  const named = suffixDistribution(facts.gitVersion);
  if (named && named !== expected.distribution) {
    issues.push(
      `the cluster is ${named} (${facts.gitVersion}) but officeless:onprem.distribution is ${expected.distribution}`,
    );
  }
  const empty = expected.zones.filter((zone) => !facts.nodeZones.includes(zone));
  if (empty.length > 0) {
    issues.push(
      `no node carries topology.kubernetes.io/zone=${empty.join(" or ")}; label each node with its failure domain: kubectl label node <node> topology.kubernetes.io/zone=<zone>`,
    );
  }
  return issues;
}

/**
 * The check the kubernetes layer runs on an existing cluster. An object so tests can observe it
 * (and the offline plan never reaches it: `checkEndpoint: false` skips the call).
 */
export const clusterCheck = {
  async verify(
    kubeconfig: string,
    expected: { distribution: OnpremDistribution; zones: readonly string[] },
  ): Promise<ClusterFacts> {
    const facts = await readClusterFacts(kubeconfig);
    const issues = clusterFactIssues(facts, expected);
    if (issues.length > 0) {
      throw new Error(
        `The cluster of officeless:onprem.cluster.kubeconfig does not fit:\n  - ${issues.join("\n  - ")}`,
      );
    }
    return facts;
  },
};
