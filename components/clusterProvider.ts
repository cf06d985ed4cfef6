import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as net from "net";
import type { KubernetesOutputs } from "./kubernetesCluster";

export interface ClusterProviderArgs {
  readonly kubernetes: Pick<KubernetesOutputs, "endpoint" | "kubeconfig">;
  /**
   * Probe the API endpoint before handing the kubeconfig to the provider, so an unreachable
   * private endpoint fails in seconds with advice instead of timing out after minutes.
   * @default true
   */
  readonly checkEndpoint?: boolean;
  /** Probe timeout. @default 10000 */
  readonly timeoutMs?: number;
}

/** Opens a TCP connection to the API server; resolves on connect, rejects with advice otherwise. */
export function probeEndpoint(endpoint: string, timeoutMs: number): Promise<void> {
  const url = new URL(endpoint);
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new Error(
          `Cannot reach the Kubernetes API at ${url.hostname}:${port} (${why}). The endpoint is private by default. ` +
            "Run this layer from inside the network (a runner in the VPC, or over the site-to-site VPN of officeless:vpn), " +
            "or temporarily add this runner's public IP to officeless:kubernetes.endpoint.publicAccessCidrs and update " +
            "the kubernetes layer first. See README: Reaching a private cluster.",
        ),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
    socket.once("error", (err) => fail(err.message));
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
  });
}

/**
 * A Kubernetes provider for the platform's cluster. Layers that talk to the cluster API (storage,
 * add-ons, observability) pass it down through `providers` so every Helm release and manifest uses it.
 */
export function clusterProvider(
  name: string,
  args: ClusterProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider {
  const check = args.checkEndpoint ?? true;
  const timeoutMs = args.timeoutMs ?? 10_000;
  const kubeconfig = pulumi
    .all([args.kubernetes.endpoint, args.kubernetes.kubeconfig])
    .apply(async ([endpoint, config]) => {
      if (check) await probeEndpoint(endpoint, timeoutMs);
      return config;
    });
  return new k8s.Provider(
    name,
    {
      kubeconfig: pulumi.secret(kubeconfig),
      // Server-side apply surfaces field conflicts with in-cluster controllers instead of overwriting them.
      enableServerSideApply: true,
    },
    opts,
  );
}
