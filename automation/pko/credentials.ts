/**
 * The environment each cloud's Pulumi provider (and the state backend or key service on that cloud)
 * reads its credentials from, as the Stack objects reference them from a Kubernetes Secret. A cloud
 * added to the platform adds its entry here; a cloud without one needs `--no-credentials`
 * (workload identity through the workspace's service account).
 */

/** One environment variable of the workspace pod, read from a key of the cloud's Secret. */
export interface CredentialEnv {
  readonly env: string;
  readonly key: string;
}

const same = (...names: string[]): CredentialEnv[] => names.map((env) => ({ env, key: env }));

export const CLOUD_CREDENTIALS: Readonly<Record<string, readonly CredentialEnv[]>> = {
  aws: same("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
  gcp: same("GOOGLE_CREDENTIALS"),
  // The azure-native provider reads ARM_*; the azblob backend and azurekeyvault secrets provider
  // (Go SDK DefaultAzureCredential) read AZURE_*: both from the same Secret keys.
  azure: [
    ...same("ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"),
    { env: "AZURE_CLIENT_ID", key: "ARM_CLIENT_ID" },
    { env: "AZURE_CLIENT_SECRET", key: "ARM_CLIENT_SECRET" },
    { env: "AZURE_TENANT_ID", key: "ARM_TENANT_ID" },
  ],
  // The plugins' own variables (docs/clouds/<cloud>.md).
  alibaba: same("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
  huawei: same("HW_ACCESS_KEY", "HW_SECRET_KEY"),
  volcengine: same("VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"),
  // pulumi-oci reads its API-key credentials from TF_VAR_* (pulumi.com/registry/packages/oci).
  oci: same(
    "TF_VAR_tenancy_ocid",
    "TF_VAR_user_ocid",
    "TF_VAR_fingerprint",
    "TF_VAR_private_key",
    "TF_VAR_region",
  ),
  // On-prem reaches its cluster with the kubeconfig kept (secret) in the stack's own config.
  onprem: [],
};

/** The cloud a backend or secrets provider URL lives on (`s3://`, `gcpkms://`), if any. */
export function cloudOfUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/^(s3|awskms):\/\//.test(url)) return "aws";
  if (/^(gs|gcpkms):\/\//.test(url)) return "gcp";
  if (/^(azblob|azurekeyvault):\/\//.test(url)) return "azure";
  return undefined;
}
