import * as pulumi from "@pulumi/pulumi";
import { backendFor } from "../providers/registry";
import { LayerComponent } from "./layerComponent";
import { NetworkOutputs } from "./network";
import { outputKeys } from "./outputs";
import { CommonArgs, KubernetesConfig } from "./types";
import { validateKubernetesArgs } from "./validation";

export interface KubernetesClusterArgs extends CommonArgs {
  readonly zones: readonly string[];
  readonly kubernetes: KubernetesConfig;
  readonly network: NetworkOutputs;
  /**
   * Probe a cluster the backend does not create (on-prem `existing`: reachability, version, zone
   * labels) before exporting it. Off under the offline plan's mocks. @default true
   */
  readonly checkEndpoint?: boolean;
}

/** What the kubernetes layer exports and downstream layers read. */
export interface KubernetesOutputs {
  readonly clusterName: pulumi.Output<string>;
  /** The cloud's id of the cluster (AWS ARN, GCP resource name, Azure resource id). */
  readonly clusterId: pulumi.Output<string>;
  /** API server URL (private unless a public allow-list is configured). */
  readonly endpoint: pulumi.Output<string>;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthority: pulumi.Output<string>;
  /** Kubeconfig that gets short-lived tokens from the cloud CLI. Secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly version: pulumi.Output<string>;
  /**
   * Network security identity of the nodes, which caches and file systems admit: the AWS security
   * group id, the GCP firewall target tag, the Azure network security group id.
   */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** Security identity of the control plane. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** Identity the nodes run as: AWS IAM role ARN, GCP service account email, Azure kubelet identity id. */
  readonly nodeIdentity: pulumi.Output<string>;
  /** OIDC issuer of the cluster's service-account tokens. */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Customer-managed key (AWS KMS ARN, Cloud KMS key id, Key Vault key id) encrypting secrets and node volumes. */
  readonly encryptionKeyId: pulumi.Output<string>;
  /**
   * The configured node pools' names (`kubernetes.nodePools[].name`), the same on every cloud. The
   * cloud-side names differ where a pool change must create the new pool first: an EKS node group
   * name prefix, an AKS pool name and a GKE pool name carry a hash of the inputs the cloud cannot
   * change (`general-k3x9a1` on GKE).
   */
  readonly nodePoolNames: pulumi.Output<string[]>;
}

export const KUBERNETES_OUTPUT_KEYS = outputKeys<KubernetesOutputs>({
  clusterName: true,
  clusterId: true,
  endpoint: true,
  certificateAuthority: true,
  kubeconfig: true,
  version: true,
  nodeSecurityGroupId: true,
  clusterSecurityGroupId: true,
  nodeIdentity: true,
  oidcIssuerUrl: true,
  encryptionKeyId: true,
  nodePoolNames: true,
});

/** Managed Kubernetes: private endpoint, encrypted secrets, node pools in private subnets of every zone. */
export class KubernetesCluster extends LayerComponent<KubernetesOutputs> {
  constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    validateKubernetesArgs(args);
    super(
      "officeless:kubernetes:KubernetesCluster",
      name,
      "kubernetes",
      args,
      KUBERNETES_OUTPUT_KEYS,
      (scope) => {
        const out = backendFor(args.cloud).kubernetes(scope, args);
        return { ...out, kubeconfig: pulumi.secret(out.kubeconfig) };
      },
      opts,
    );
  }
}
