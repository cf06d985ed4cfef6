/**
 * The kubeconfig every cloud hands out: one cluster, one context and one user whose credentials
 * come from an exec plugin (the cloud's CLI or auth plugin), so no static token or client
 * certificate is ever written into stack outputs. Pure: no Pulumi, no cloud SDK.
 */

/** The exec API version kubectl and client-go accept from credential plugins. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** The credential plugin kubectl runs for a token. */
export interface KubeconfigExec {
  /** The plugin's executable, e.g. `aws`, `gke-gcloud-auth-plugin` or `kubelogin`. */
  readonly command: string;
  /** Arguments to the plugin. @default none: the `args` key is left out */
  readonly args?: readonly string[];
  /** Environment variables for the plugin, in order. @default none: the `env` key is left out */
  readonly env?: Readonly<Record<string, string>>;
  /** What kubectl prints when `command` is not installed. @default none: kubectl's generic error */
  readonly installHint?: string;
  /**
   * Hands the cluster's server and CA to the plugin (KUBERNETES_EXEC_INFO), which some plugins
   * need to pick the cluster. @default not sent (kubectl's default, false)
   */
  readonly provideClusterInfo?: boolean;
}

export interface ExecKubeconfigArgs {
  /** The cluster, context and user name, and the current context. */
  readonly name: string;
  /** The API server URL, e.g. `https://10.0.0.2`. */
  readonly server: string;
  /**
   * The cluster CA bundle, base64 PEM. @default none: the key is left out and the server's
   * certificate must chain to a publicly trusted CA (GKE's DNS endpoint)
   */
  readonly certificateAuthorityData?: string;
  readonly exec: KubeconfigExec;
}

/**
 * A kubeconfig as a JSON string (which is YAML) whose user gets short-lived tokens from an exec
 * plugin, never interactively: the layers run unattended. Keys in a fixed order, so one cluster
 * always gives the same string and the stack output does not churn.
 */
export function execKubeconfig({
  name,
  server,
  certificateAuthorityData,
  exec,
}: ExecKubeconfigArgs): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name,
        cluster: {
          server,
          ...(certificateAuthorityData === undefined
            ? {}
            : { "certificate-authority-data": certificateAuthorityData }),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: EXEC_API_VERSION,
            command: exec.command,
            ...(exec.args === undefined ? {} : { args: [...exec.args] }),
            ...(exec.env === undefined
              ? {}
              : { env: Object.entries(exec.env).map(([key, value]) => ({ name: key, value })) }),
            ...(exec.installHint === undefined ? {} : { installHint: exec.installHint }),
            ...(exec.provideClusterInfo === undefined
              ? {}
              : { provideClusterInfo: exec.provideClusterInfo }),
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
