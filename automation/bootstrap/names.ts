/**
 * `officeless bootstrap`'s inputs, checked before anything runs, and the names and URLs derived
 * from them. Pure: the same `--name`, region and account/project/subscription always give the same
 * names, so a second run finds the resources of the first (idempotent), and every name fits its
 * cloud's limit at the longest accepted `--name`.
 */
import { createHash } from "crypto";
import { CloudId } from "../../components/types";
import { AZURE_ZONE_REGIONS } from "../../providers/azure/catalog";
import { plannedClouds, supportedClouds } from "../../providers/registry";

/** The clouds bootstrap builds a state store for: those with a backend. */
export const BOOTSTRAP_CLOUDS = ["aws", "gcp", "azure"] as const;
export type BootstrapCloud = (typeof BOOTSTRAP_CLOUDS)[number];

/** What an Entra identity is, as Azure role assignments name it. */
export type AzurePrincipalType = "User" | "ServicePrincipal" | "Group";

/** The longest `--name`: keeps every derived name inside its limit (see {@link bootstrapNames}). */
export const MAX_NAME_LENGTH = 20;

/** Days old state versions are kept (S3 noncurrent versions, GCS noncurrent objects). */
export const DEFAULT_RETENTION_DAYS = 90;

export interface BootstrapTarget {
  readonly cloud: BootstrapCloud;
  readonly region: string;
  /** Prefix of every name. */
  readonly name: string;
  /**
   * Where the names become unique: the AWS account id, the GCP project id, the Azure
   * subscription id.
   */
  readonly account: string;
}

/** The problems of `--cloud`, `--name`, `--region` (and the GCP project), each naming the flag. */
export function targetIssues(input: {
  cloud: string;
  region?: string;
  name: string;
  project?: string;
  retentionDays?: number;
}): string[] {
  const issues: string[] = [];
  const { cloud, region = "", name } = input;
  if (!(BOOTSTRAP_CLOUDS as readonly string[]).includes(cloud)) {
    const planned = plannedClouds() as string[];
    issues.push(
      planned.includes(cloud)
        ? `--cloud ${cloud}: not supported yet (no backend); bootstrap supports ${supportedClouds().join(", ")}; planned: ${planned.join(", ")}`
        : `--cloud ${cloud}: unknown; use one of ${BOOTSTRAP_CLOUDS.join(", ")}`,
    );
    return issues;
  }
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(name) || name.includes("--") || name.length < 3)
    issues.push(
      `--name ${JSON.stringify(name)}: use 3-${MAX_NAME_LENGTH} lowercase letters, digits and single hyphens, starting with a letter`,
    );
  else if (name.length > MAX_NAME_LENGTH)
    issues.push(
      `--name ${name}: ${name.length} characters; at most ${MAX_NAME_LENGTH} (bucket, vault and storage account names derive from it)`,
    );
  if (cloud === "gcp" && /^goog|google|g00gle/.test(name))
    issues.push(
      `--name ${name}: GCS refuses bucket names starting with "goog" or containing "google"`,
    );
  const regionShape: Record<BootstrapCloud, [RegExp, string]> = {
    aws: [/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/, "an AWS region such as eu-west-1"],
    gcp: [
      /^[a-z]+-[a-z]+\d+$/,
      "a GCP region such as europe-west1 (the bucket and keys live there)",
    ],
    azure: [/^[a-z]+[a-z0-9]*$/, "an Azure location such as westeurope"],
  };
  const [shape, what] = regionShape[cloud as BootstrapCloud];
  if (!region) issues.push(`--region: required, ${what}`);
  else if (!shape.test(region)) issues.push(`--region ${region}: expected ${what}`);
  else if (!issues.length) issues.push(...nameLimitIssues(cloud as BootstrapCloud, region, name));
  if (
    cloud === "gcp" &&
    input.project !== undefined &&
    !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(input.project)
  )
    issues.push(
      `--project ${input.project}: expected a GCP project id (6-30 lowercase letters, digits, hyphens)`,
    );
  if (
    input.retentionDays !== undefined &&
    (!Number.isInteger(input.retentionDays) ||
      input.retentionDays < 1 ||
      input.retentionDays > 3650)
  )
    issues.push(`--retention-days ${input.retentionDays}: expected a whole number of days, 1-3650`);
  return issues;
}

/** Each derived name's limit, checked at the longest account id of its cloud. */
const NAME_LIMITS: Record<BootstrapCloud, [keyof BootstrapNames, string, number][]> = {
  aws: [
    ["bucket", "S3 bucket", 63],
    ["policy", "IAM policy", 128],
  ],
  gcp: [
    ["bucket", "GCS bucket", 63],
    ["key", "KMS key ring", 63],
  ],
  azure: [
    ["resourceGroup", "resource group", 90],
    ["key", "Key Vault", 24],
    ["storageAccount", "storage account", 24],
  ],
};
const LONGEST_ACCOUNT: Record<BootstrapCloud, string> = {
  aws: "123456789012",
  gcp: "p".repeat(30),
  azure: "00000000-0000-4000-8000-000000000000",
};

/** The names of `--name` and `--region` that would pass a cloud's limit, each with its length. */
export function nameLimitIssues(cloud: BootstrapCloud, region: string, name: string): string[] {
  const names = bootstrapNames({ cloud, region, name, account: LONGEST_ACCOUNT[cloud] });
  return NAME_LIMITS[cloud]
    .filter(([field, , limit]) => names[field].length > limit)
    .map(
      ([field, what, limit]) =>
        `--region ${region} with --name ${name}: the ${what} name ${names[field]} would be ${names[field].length} characters, over ${limit}`,
    );
}

/** A short, stable hash (lowercase hex) of the parts, for names that must be globally unique. */
export function stableHash(parts: readonly string[], length = 8): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, length);
}

/** Every physical name bootstrap gives, per cloud; limits are in the comments. */
export interface BootstrapNames {
  /** The bootstrap program's own stack in ~/.officeless/bootstrap. */
  readonly stack: string;
  /** S3 bucket (3-63, globally unique), GCS bucket (3-63), or Azure blob container. */
  readonly bucket: string;
  /** AWS: KMS alias `alias/<...>` (256). GCP: key ring (63). Azure: Key Vault (3-24, global). */
  readonly key: string;
  /** GCP: crypto key of the bucket's CMEK. Azure: Key Vault key of Pulumi's secrets. */
  readonly secretsKey: string;
  /** Azure only: resource group (90) and storage account (3-24 lowercase letters and digits, global). */
  readonly resourceGroup: string;
  readonly storageAccount: string;
  /** AWS only: the least-privilege policy (128). */
  readonly policy: string;
}

/**
 * Names for a target. Globally unique names carry the account (AWS bucket: `<name>-state-<account>-<region>`,
 * at most 20+7+12+1+14 = 54 of 63) or a hash of it (Azure: account and vault, whose limit of 24
 * leaves no room for a subscription id).
 */
export function bootstrapNames(t: BootstrapTarget): BootstrapNames {
  const alnum = t.name.replace(/-/g, "");
  const hash = stableHash([t.cloud, t.account, t.region, t.name]);
  switch (t.cloud) {
    case "aws":
      return {
        stack: `aws-${t.account}-${t.region}-${t.name}`,
        bucket: `${t.name}-state-${t.account}-${t.region}`,
        key: `alias/${t.name}-state`,
        secretsKey: `alias/${t.name}-state`,
        resourceGroup: "",
        storageAccount: "",
        // IAM is account-wide: the region keeps a second region's bootstrap apart (47 of 128).
        policy: `${t.name}-state-access-${t.region}`,
      };
    case "gcp":
      return {
        stack: `gcp-${t.account}-${t.region}-${t.name}`,
        // Global: the region (a second region's store is another bucket) and a hash of the
        // project (up to 30 characters would not fit beside the region): 20+7+R+1+8, R <= 27.
        bucket: `${t.name}-state-${t.region}-${stableHash([t.cloud, t.account, t.region, t.name])}`,
        key: `${t.name}-state`,
        secretsKey: "secrets",
        resourceGroup: "",
        storageAccount: "",
        policy: "",
      };
    case "azure":
      return {
        stack: `azure-${t.account}-${t.region}-${t.name}`,
        bucket: "state",
        // 20 - hyphens... at most 10 + 3 + 8 = 21 of 24; starts with a letter, no double hyphens.
        key: `${t.name.slice(0, 10).replace(/-+$/, "")}-kv-${hash}`,
        secretsKey: "pulumi-secrets",
        // Per region: a resource group has one location (20+7+R+3 of 90).
        resourceGroup: `${t.name}-state-${t.region}-rg`,
        // 10 + 5 + 8 = 23 of 24.
        storageAccount: `${alnum.slice(0, 10)}state${hash}`,
        policy: "",
      };
  }
}

/** GCP's CMEK key of the bucket (the secrets key is `names.secretsKey` in the same ring). */
export const GCP_BUCKET_KEY = "state-bucket";

/**
 * The backend and secrets-provider URLs Pulumi takes for a bootstrapped store (Azure's secrets
 * provider here is versionless: the real one carries the key's version, known only once the key
 * exists, and comes from the program's `secretsProvider` output). Formats from
 * Pulumi's docs: docs/iac/guides/basics/using-a-diy-backend.md, docs/iac/concepts/secrets).
 * `awssdk=v2` makes the CLI use the AWS SDK v2, which reads SSO profiles.
 */
export function bootstrapUrls(
  t: BootstrapTarget,
  names: BootstrapNames = bootstrapNames(t),
): { backendUrl: string; secretsProvider: string } {
  switch (t.cloud) {
    case "aws":
      return {
        backendUrl: `s3://${names.bucket}?region=${t.region}&awssdk=v2`,
        secretsProvider: `awskms://${names.key}?region=${t.region}&awssdk=v2`,
      };
    case "gcp":
      return {
        backendUrl: `gs://${names.bucket}`,
        secretsProvider: `gcpkms://projects/${t.account}/locations/${t.region}/keyRings/${names.key}/cryptoKeys/${names.secretsKey}`,
      };
    case "azure":
      return {
        backendUrl: `azblob://${names.bucket}?storage_account=${names.storageAccount}`,
        secretsProvider: `azurekeyvault://${names.key}.vault.azure.net/keys/${names.secretsKey}`,
      };
  }
}

/**
 * The `azurekeyvault://` URL of a key version, from its `https://<vault>.vault.azure.net/keys/<key>/<version>`
 * id (gocloud's secrets/azurekeyvault: the scheme replaced, "/{key-version}" optional, else latest).
 */
export function azureSecretsProvider(keyUriWithVersion: string): string {
  if (!/^https:\/\/[^/]+\/keys\/[^/]+\/[^/]+$/.test(keyUriWithVersion))
    throw new Error(`not a versioned Key Vault key id: ${JSON.stringify(keyUriWithVersion)}`);
  return keyUriWithVersion.replace(/^https:\/\//, "azurekeyvault://");
}

/**
 * The account's redundancy: zone-redundant where the location has availability zones (standard
 * ZRS comes with them: learn.microsoft.com/azure/storage/common/redundancy-regions-zrs), locally
 * redundant elsewhere, where a ZRS create would fail after the vault (whose name purge
 * protection then holds) already exists.
 */
export function azureStateSku(location: string): "Standard_ZRS" | "Standard_LRS" {
  return AZURE_ZONE_REGIONS.includes(location) ? "Standard_ZRS" : "Standard_LRS";
}

/** Whether a cloud id is one bootstrap builds for. */
export function isBootstrapCloud(cloud: string): cloud is BootstrapCloud {
  return (BOOTSTRAP_CLOUDS as readonly string[]).includes(cloud);
}

export type { CloudId };
