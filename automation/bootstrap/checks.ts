/**
 * What bootstrap asks the cloud's own CLI before it changes anything: who is logged in (the names
 * carry the account), whether a bucket of that name exists outside bootstrap's state (it is then
 * reported with every weaker setting, never silently adopted: S3 in us-east-1 even answers a
 * CreateBucket of one's own bucket with success), and, before `--destroy`, whether any stack's
 * state is still in it. Commands only read; each parser is tested against the CLI's JSON shape.
 */
import { CommandRunner } from "../runner/preDestroy";
import { BootstrapNames, BootstrapTarget, BootstrapCloud } from "./names";

/** A command line: program and arguments. */
export type CommandLine = readonly [string, ...string[]];

/** The command printing the logged-in account (AWS), project (GCP) or subscription (Azure). */
export function identityCommand(cloud: BootstrapCloud): CommandLine {
  switch (cloud) {
    case "aws":
      return ["aws", "sts", "get-caller-identity", "--query", "Account", "--output", "text"];
    case "gcp":
      return ["gcloud", "config", "get-value", "project"];
    case "azure":
      return ["az", "account", "show", "--query", "id", "--output", "tsv"];
  }
}

/** Commands that read an existing bucket's settings, and how each finding reads. */
interface Inspection {
  readonly command: CommandLine;
  /** Weaker settings found in the command's JSON output. */
  readonly weaknesses: (json: any) => string[];
}

function awsInspections(bucket: string): Inspection[] {
  const s3api = (op: string): CommandLine => [
    "aws",
    "s3api",
    op,
    "--bucket",
    bucket,
    "--output",
    "json",
  ];
  return [
    {
      command: s3api("get-bucket-versioning"),
      weaknesses: (j) => (j?.Status === "Enabled" ? [] : ["versioning is not enabled"]),
    },
    {
      command: s3api("get-bucket-encryption"),
      weaknesses: (j) => {
        const rule =
          j?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
        return rule?.SSEAlgorithm === "aws:kms" && rule.KMSMasterKeyID
          ? []
          : [
              `default encryption is ${rule?.SSEAlgorithm ?? "unset"}, not SSE-KMS with a customer key`,
            ];
      },
    },
    {
      command: s3api("get-public-access-block"),
      weaknesses: (j) => {
        const c = j?.PublicAccessBlockConfiguration ?? {};
        const off = [
          "BlockPublicAcls",
          "IgnorePublicAcls",
          "BlockPublicPolicy",
          "RestrictPublicBuckets",
        ].filter((k) => c[k] !== true);
        return off.length ? [`public access blocks off: ${off.join(", ")}`] : [];
      },
    },
    {
      command: s3api("get-bucket-ownership-controls"),
      weaknesses: (j) =>
        j?.OwnershipControls?.Rules?.[0]?.ObjectOwnership === "BucketOwnerEnforced"
          ? []
          : ["ACLs are enabled (object ownership is not BucketOwnerEnforced)"],
    },
  ];
}

/** The existence check and the inspections of a target's bucket (or storage account). */
export function bucketChecks(
  t: BootstrapTarget,
  names: BootstrapNames,
): { exists: CommandLine; inspections: Inspection[] } {
  switch (t.cloud) {
    case "aws":
      return {
        exists: ["aws", "s3api", "head-bucket", "--bucket", names.bucket],
        inspections: awsInspections(names.bucket),
      };
    case "gcp": {
      const describe: CommandLine = [
        "gcloud",
        "storage",
        "buckets",
        "describe",
        `gs://${names.bucket}`,
        "--project",
        t.account,
        "--format",
        "json",
      ];
      return {
        exists: describe,
        inspections: [
          {
            command: describe,
            weaknesses: (j) => [
              ...(j?.versioning_enabled === true ? [] : ["versioning is not enabled"]),
              ...(j?.uniform_bucket_level_access === true
                ? []
                : ["uniform bucket-level access is off (ACLs apply)"]),
              ...(j?.public_access_prevention === "enforced"
                ? []
                : ["public access prevention is not enforced"]),
              ...(j?.default_kms_key ? [] : ["no customer-managed default key (CMEK)"]),
            ],
          },
        ],
      };
    }
    case "azure": {
      const show: CommandLine = [
        "az",
        "storage",
        "account",
        "show",
        "--name",
        names.storageAccount,
        "--resource-group",
        names.resourceGroup,
        "--output",
        "json",
      ];
      return {
        exists: show,
        inspections: [
          {
            command: show,
            weaknesses: (j) => [
              ...(j?.allowSharedKeyAccess === false ? [] : ["shared key access is allowed"]),
              ...(j?.allowBlobPublicAccess === false ? [] : ["anonymous blob access is allowed"]),
              ...(j?.minimumTlsVersion === "TLS1_2" || j?.minimumTlsVersion === "TLS1_3"
                ? []
                : [`minimum TLS is ${j?.minimumTlsVersion ?? "unset"}`]),
              ...(j?.encryption?.requireInfrastructureEncryption === true
                ? []
                : ["no infrastructure encryption"]),
              ...(j?.encryption?.keySource === "Microsoft.Keyvault"
                ? []
                : ["no customer-managed key"]),
            ],
          },
        ],
      };
    }
  }
}

/** The command listing stack state files (`.pulumi/stacks/...`) in the bucket. */
export function stacksCommand(t: BootstrapTarget, names: BootstrapNames): CommandLine {
  switch (t.cloud) {
    case "aws":
      return [
        "aws",
        "s3api",
        "list-objects-v2",
        "--bucket",
        names.bucket,
        "--prefix",
        ".pulumi/stacks/",
        // Every key (the CLI pages through them): a cut-off list could hide a stack behind backups.
        "--query",
        "Contents[].Key",
        "--output",
        "json",
      ];
    case "gcp":
      return ["gcloud", "storage", "ls", "--recursive", `gs://${names.bucket}/.pulumi/stacks/`];
    case "azure":
      return [
        "az",
        "storage",
        "blob",
        "list",
        "--account-name",
        names.storageAccount,
        "--container-name",
        names.bucket,
        "--prefix",
        ".pulumi/stacks/",
        "--auth-mode",
        "login",
        "--num-results",
        "*",
        "--query",
        "[].name",
        "--output",
        "json",
      ];
  }
}

const NOT_FOUND = /not ?found|404|NoSuchBucket|ResourceNotFound|could not be found|does not exist/i;

async function run(exec: CommandRunner, [cmd, ...args]: CommandLine) {
  return exec(cmd, args);
}

/** The logged-in account, or an error saying how to log in. */
export async function resolveAccount(cloud: BootstrapCloud, exec: CommandRunner): Promise<string> {
  const command = identityCommand(cloud);
  const r = await run(exec, command);
  const account = r.stdout.trim();
  if (r.code !== 0 || !account || account === "(unset)")
    throw new Error(
      `${command.join(" ")} failed${r.stderr.trim() ? `: ${r.stderr.trim()}` : ""}; log in first (${
        {
          aws: "aws sso login, or AWS_PROFILE",
          gcp: "gcloud auth login and --project <id>",
          azure: "az login",
        }[cloud]
      })`,
    );
  return account;
}

/** Whether the bucket exists and what is weaker in it than bootstrap would make it. */
export async function inspectBucket(
  t: BootstrapTarget,
  names: BootstrapNames,
  exec: CommandRunner,
): Promise<{ exists: boolean; weaknesses: string[] }> {
  const checks = bucketChecks(t, names);
  const head = await run(exec, checks.exists);
  if (head.code !== 0) {
    if (NOT_FOUND.test(head.stderr)) return { exists: false, weaknesses: [] };
    // S3 answers 403 for another account's bucket: the name is taken.
    if (/403|Forbidden|AccessDenied/i.test(head.stderr))
      return {
        exists: true,
        weaknesses: [
          "the name is taken by a bucket this identity cannot read (another account's?)",
        ],
      };
    throw new Error(
      `${checks.exists.join(" ")} failed: ${head.stderr.trim() || `exit ${head.code}`}`,
    );
  }
  const weaknesses: string[] = [];
  for (const inspection of checks.inspections) {
    const same = inspection.command.join(" ") === checks.exists.join(" ");
    const r = same ? head : await run(exec, inspection.command);
    let json: unknown = undefined;
    if (r.code === 0) {
      try {
        json = JSON.parse(r.stdout || "null");
      } catch {
        json = undefined;
      }
    }
    // A setting never configured reads as an error (no encryption / no public access block).
    weaknesses.push(...inspection.weaknesses(json));
  }
  return { exists: true, weaknesses };
}

/**
 * The files under `.pulumi/stacks/` (throws when the bucket cannot be listed): the stacks, and
 * the `.bak` copies the DIY backend leaves of removed ones (`pulumi stack rm` without
 * `--remove-backups` copies `<stack>.json` to `<stack>.json.bak`: pkg/backend/diy/state.go
 * `backupTarget`). Anything else counts as a stack, so an unknown file refuses the destroy.
 */
export async function stacksInBucket(
  t: BootstrapTarget,
  names: BootstrapNames,
  exec: CommandRunner,
): Promise<{ stacks: string[]; backups: string[] }> {
  const command = stacksCommand(t, names);
  const r = await run(exec, command);
  if (r.code !== 0) {
    if (t.cloud === "gcp" && /matched no objects/i.test(r.stderr))
      return { stacks: [], backups: [] };
    throw new Error(
      `cannot tell whether the bucket still holds state (${command.join(" ")}: ${r.stderr.trim() || `exit ${r.code}`}); nothing was destroyed`,
    );
  }
  const files =
    t.cloud === "gcp"
      ? r.stdout
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l && !l.endsWith("/") && !l.endsWith(":"))
      : ((JSON.parse(r.stdout.trim() || "null") as string[] | null) ?? []).filter(
          (k) => !k.endsWith("/"),
        );
  const backup = (f: string) => f.endsWith(".bak");
  return { stacks: files.filter((f) => !backup(f)), backups: files.filter(backup) };
}
