/**
 * `officeless bootstrap` end to end with fakes: the dry run's output, flag validation, the
 * passphrase rule, the account check, the refusal to adopt a bucket bootstrap did not create (its
 * weaker settings listed), idempotence (a second run changes nothing), `--destroy`'s refusal
 * while the bucket holds state, and the URLs written into `.officeless/config.json`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../../automation/runner/cli";
import { CommandResult, CommandRunner } from "../../automation/runner/preDestroy";
import {
  BootstrapStack,
  OpenStack,
  ownedResources,
  StateResource,
} from "../../automation/bootstrap/run";
import { readProjectConfig, writeProjectConfig } from "../../automation/bootstrap/projectConfig";
import { inspectBucket, stacksInBucket } from "../../automation/bootstrap/checks";
import { bootstrapNames } from "../../automation/bootstrap/names";
import { sameAccount } from "../../automation/bootstrap/options";

class Capture {
  text = "";
  write(s: string) {
    this.text += s;
    return true;
  }
}

/** A fake cloud CLI: answers by the command line's prefix; records every call. */
function fakeExec(
  answers: Record<string, Partial<CommandResult>>,
): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  const exec = (async (cmd: string, args: readonly string[]) => {
    const line = [cmd, ...args].join(" ");
    calls.push(line);
    const key = Object.keys(answers)
      .filter((k) => line.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    if (!key) return { code: 1, stdout: "", stderr: `unexpected command: ${line}` };
    return { code: 0, stdout: "", stderr: "", ...answers[key] };
  }) as CommandRunner & { calls: string[] };
  exec.calls = calls;
  return exec;
}

/** A fake bootstrap stack whose state survives between runs (like the file backend). */
function fakeBackend(
  options: {
    /** Errors the next `up` calls throw, one each, before one succeeds. */
    upFailures?: string[];
    /** What a successful `up` exports. */
    outputs?: Record<string, { value: unknown }>;
    /** The checkpoint's resources before the first run (a run that failed part way). */
    resources?: StateResource[];
  } = {},
) {
  const failures = [...(options.upFailures ?? [])];
  const state: {
    outputs: Record<string, { value: unknown }>;
    resources: StateResource[];
    ops: string[];
    config: Record<string, unknown>;
  } = {
    outputs: {},
    resources: options.resources ?? [],
    ops: [],
    config: {},
  };
  const opened: { stackName: string; backendUrl: string; envVars: Record<string, string> }[] = [];
  const openStack: OpenStack = async ({ stackName, program, backendUrl, envVars }) => {
    opened.push({ stackName, backendUrl, envVars });
    const stack: BootstrapStack = {
      setAllConfig: async (c) => void (state.config = c),
      outputs: async () => state.outputs,
      exportStack: async () => ({ deployment: { resources: state.resources } }),
      preview: async () => {
        state.ops.push("preview");
        const changeSummary: Record<string, number> = Object.keys(state.outputs).length
          ? { same: 10 }
          : { create: 10 };
        return { changeSummary };
      },
      up: async () => {
        state.ops.push("up");
        void program;
        const failure = failures.shift();
        if (failure) throw new Error(failure);
        state.resources = options.outputs ? AZURE_STATE : AWS_STATE;
        state.outputs = options.outputs ?? {
          bucket: { value: `officeless-state-123456789012-eu-west-1` },
          secretsProvider: { value: "awskms://alias/officeless-state?region=eu-west-1&awssdk=v2" },
          accessPolicyArn: {
            value: "arn:aws:iam::123456789012:policy/officeless-state-access-eu-west-1",
          },
        };
        return { outputs: state.outputs };
      },
      destroy: async () => {
        state.ops.push("destroy");
        state.outputs = {};
        state.resources = [];
      },
    };
    return stack;
  };
  return { state, opened, openStack };
}

const SUB = "00000000-0000-4000-8000-000000000001";
const STACK = { type: "pulumi:pulumi:Stack", custom: false };
const AWS_PROVIDER = { type: "pulumi:providers:aws", custom: true, id: "p" };
const AWS_KEY = { type: "aws:kms/key:Key", custom: true, id: "1234abcd" };
const AWS_BUCKET = {
  type: "aws:s3/bucket:Bucket",
  custom: true,
  id: "officeless-state-123456789012-eu-west-1",
  outputs: { bucket: "officeless-state-123456789012-eu-west-1" },
};
const AWS_STATE: StateResource[] = [STACK, AWS_PROVIDER, AWS_KEY, AWS_BUCKET];
const AZURE_STATE: StateResource[] = [
  STACK,
  {
    type: "azure-native:storage:StorageAccount",
    custom: true,
    id: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z",
    outputs: {
      name: bootstrapNames({
        cloud: "azure",
        region: "westeurope",
        name: "officeless",
        account: SUB,
      }).storageAccount,
    },
  },
];
const AZURE_SECRETS =
  "azurekeyvault://officeless-kv-0a1b2c3d.vault.azure.net/keys/pulumi-secrets/5f0e";
const AZURE_OUTPUTS = { bucket: { value: "state" }, secretsProvider: { value: AZURE_SECRETS } };

const AWS_OK = {
  "aws sts get-caller-identity": { stdout: "123456789012\n" },
  "aws s3api head-bucket": {
    code: 254,
    stderr: "An error occurred (404) when calling the HeadBucket operation: Not Found",
  },
};

function setup(
  options: {
    exec?: CommandRunner;
    env?: NodeJS.ProcessEnv;
    backend?: ReturnType<typeof fakeBackend>;
  } = {},
) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-home-"));
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-project-"));
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: officeless\nruntime: nodejs\n");
  const backend = options.backend ?? fakeBackend();
  const exec = (options.exec ?? fakeExec(AWS_OK)) as ReturnType<typeof fakeExec>;
  const slept: number[] = [];
  const run = async (args: string) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(args.split(" ").filter(Boolean), {
      stdout: stdout as never,
      stderr: stderr as never,
      interactive: false,
      env: options.env ?? { PATH: "", PULUMI_CONFIG_PASSPHRASE: "s3cret" },
      bootstrap: {
        exec,
        openStack: backend.openStack,
        home,
        sleep: async (ms) => void slept.push(ms),
      },
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  return { run, home, project, backend, exec, slept };
}

describe("officeless bootstrap", () => {
  it("--dry-run shows the bucket, key and policies with their inputs, the checks and both URLs, offline", async () => {
    const { run, backend, exec } = setup();
    const r = await run("bootstrap --cloud aws --region eu-west-1 --dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /aws:s3\/bucket:Bucket {2}state-bucket {2}\[protect, retainOnDelete\]/,
    );
    expect(r.stdout).toContain('bucket: "officeless-state-123456789012-eu-west-1"');
    expect(r.stdout).toMatch(/aws:kms\/key:Key {2}state-key {2}\[protect, retainOnDelete\]/);
    expect(r.stdout).toContain("enableKeyRotation: true");
    expect(r.stdout).toContain('"aws:SecureTransport":"false"');
    expect(r.stdout).toMatch(/aws:iam\/policy:Policy {2}state-access/);
    expect(r.stdout).toContain(
      "aws s3api head-bucket --bucket officeless-state-123456789012-eu-west-1",
    );
    expect(r.stdout).toContain(
      "backend:          s3://officeless-state-123456789012-eu-west-1?region=eu-west-1&awssdk=v2",
    );
    expect(r.stdout).toContain(
      "secrets provider: awskms://alias/officeless-state?region=eu-west-1&awssdk=v2",
    );
    // Nothing real ran: no cloud CLI, no stack.
    expect(exec.calls).toEqual([]);
    expect(backend.opened).toEqual([]);
  });

  it.each([
    [
      "gcp",
      "europe-west1",
      /gcp:storage\/bucket:Bucket {2}state-bucket[\s\S]*gs:\/\/officeless-state-[\s\S]*gcpkms:\/\/projects\//,
    ],
    [
      "azure",
      "westeurope",
      /azure-native:storage:StorageAccount {2}state-account[\s\S]*azblob:\/\/state\?storage_account=[\s\S]*azurekeyvault:\/\//,
    ],
  ])("--dry-run works the same for %s", async (cloud, region, pattern) => {
    const { run } = setup();
    const r = await run(`bootstrap --cloud ${cloud} --region ${region} --dry-run`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(pattern);
  });

  it("--dry-run --destroy shows the state check it would run first", async () => {
    const { run } = setup();
    const r = await run("bootstrap --cloud aws --region eu-west-1 --dry-run --destroy");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "aws s3api list-objects-v2 --bucket officeless-state-123456789012-eu-west-1 --prefix .pulumi/stacks/",
    );
    expect(r.stdout).toContain("--destroy refuses while");
  });

  it("refuses bad flags with every problem named, and clouds without a backend", async () => {
    const { run } = setup();
    const bad = await run("bootstrap --cloud aws --region europe --name X_1 --dry-run");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--name "X_1"');
    expect(bad.stderr).toContain("--region europe: expected an AWS region");
    const long = await run(
      `bootstrap --cloud aws --region eu-west-1 --name ${"a".repeat(21)} --dry-run`,
    );
    expect(long.stderr).toContain("21 characters; at most 20");
    const planned = await run("bootstrap --cloud oci --region x --dry-run");
    expect(planned.code).toBe(1);
    expect(planned.stderr).toMatch(/Allowed choices are aws, gcp, azure/);
    const wrongFlag = await run(
      "bootstrap --cloud gcp --region europe-west1 --role deployer --dry-run",
    );
    expect(wrongFlag.stderr).toContain("--role: AWS only");
  });

  it("refuses without a passphrase for its own state, before anything runs", async () => {
    const { run, exec, backend } = setup({ env: { PATH: "" } });
    const r = await run("bootstrap --cloud aws --region eu-west-1 --yes");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/set PULUMI_CONFIG_PASSPHRASE \(or PULUMI_CONFIG_PASSPHRASE_FILE\)/);
    expect((exec as ReturnType<typeof fakeExec>).calls).toEqual([]);
    expect(backend.opened).toEqual([]);
  });

  it("creates the store in a file backend in the home folder, writes the URLs into the project, and a second run changes nothing", async () => {
    const { run, home, project, backend } = setup();
    const first = await run(
      `bootstrap --cloud aws --region eu-west-1 --yes --project-dir ${project}`,
    );
    expect(first.stderr).toBe("bootstrap aws-123456789012-eu-west-1-officeless: 10 to create\n");
    expect(first.code).toBe(0);
    expect(backend.opened[0]).toMatchObject({
      stackName: "aws-123456789012-eu-west-1-officeless",
      backendUrl: `file://${path.join(home, ".officeless", "bootstrap")}`,
      envVars: { PULUMI_CONFIG_PASSPHRASE: "s3cret" },
    });
    expect(fs.existsSync(path.join(home, ".officeless", "bootstrap"))).toBe(true);
    expect(backend.state.config).toEqual({ "aws:region": { value: "eu-west-1" } });
    expect(first.stdout).toContain(
      "backend:          s3://officeless-state-123456789012-eu-west-1?region=eu-west-1&awssdk=v2",
    );
    expect(first.stdout).toContain(
      "access policy:    arn:aws:iam::123456789012:policy/officeless-state-access-eu-west-1",
    );
    expect(readProjectConfig(project)).toEqual({
      backendUrl: "s3://officeless-state-123456789012-eu-west-1?region=eu-west-1&awssdk=v2",
      secretsProvider: "awskms://alias/officeless-state?region=eu-west-1&awssdk=v2",
      bootstrap: { cloud: "aws", region: "eu-west-1", name: "officeless", account: "123456789012" },
    });
    const second = await run(`bootstrap --cloud aws --region eu-west-1 --project-dir ${project}`);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("up to date, nothing to change");
    // No confirmation needed and no update ran the second time.
    expect(backend.state.ops).toEqual(["preview", "up", "preview"]);
  });

  it("asks before changing anything, and refuses without a terminal unless --yes", async () => {
    const { run, backend } = setup();
    const r = await run("bootstrap --cloud aws --region eu-west-1 --no-write-config");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("pass --yes");
    expect(backend.state.ops).toEqual(["preview"]);
  });

  it("an existing bucket bootstrap did not create is reported with its weaker settings, never reused", async () => {
    const exec = fakeExec({
      "aws sts get-caller-identity": { stdout: "123456789012\n" },
      "aws s3api head-bucket": { stdout: "{}" },
      "aws s3api get-bucket-versioning": { stdout: "" },
      "aws s3api get-bucket-encryption": {
        stdout: JSON.stringify({
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
          },
        }),
      },
      "aws s3api get-public-access-block": {
        code: 254,
        stderr: "NoSuchPublicAccessBlockConfiguration",
      },
      "aws s3api get-bucket-ownership-controls": {
        stdout: JSON.stringify({
          OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
        }),
      },
    });
    const { run, backend } = setup({ exec });
    const r = await run("bootstrap --cloud aws --region eu-west-1 --yes --no-write-config");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "officeless-state-123456789012-eu-west-1 already exists and bootstrap did not create it",
    );
    expect(r.stderr).toContain("versioning is not enabled");
    expect(r.stderr).toContain("default encryption is AES256, not SSE-KMS");
    expect(r.stderr).toContain(
      "public access blocks off: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
    );
    expect(r.stderr).not.toContain("ACLs are enabled");
    expect(backend.state.ops).toEqual([]);
  });

  it("stops when the logged-in account cannot be read", async () => {
    const exec = fakeExec({
      "aws sts get-caller-identity": { code: 255, stderr: "Unable to locate credentials" },
    });
    const { run } = setup({ exec });
    const r = await run("bootstrap --cloud aws --region eu-west-1 --yes");
    expect(r.stderr).toMatch(
      /aws sts get-caller-identity .* failed: Unable to locate credentials; log in first/,
    );
  });

  it("--destroy refuses while the bucket holds any stack's state, and destroys an empty one unprotected first", async () => {
    const backend = fakeBackend();
    const holding = fakeExec({
      ...AWS_OK,
      "aws s3api list-objects-v2": {
        stdout: JSON.stringify([".pulumi/stacks/officeless/prod-aws-network.json"]),
      },
    });
    const { run, project } = setup({ exec: holding, backend });
    expect(
      (await run(`bootstrap --cloud aws --region eu-west-1 --yes --project-dir ${project}`)).code,
    ).toBe(0);
    const refused = await run(
      `bootstrap --cloud aws --region eu-west-1 --destroy --yes --project-dir ${project}`,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "refusing to destroy officeless-state-123456789012-eu-west-1: it still holds the state of 1 stack(s): .pulumi/stacks/officeless/prod-aws-network.json",
    );
    expect(refused.stderr).toContain(
      "--destroy keeps the secrets key (awskms://alias/officeless-state?region=eu-west-1&awssdk=v2): moved stacks still decrypt with it until each runs pulumi stack change-secrets-provider",
    );
    expect(backend.state.ops).toEqual(["preview", "up"]);

    const empty = setup({
      exec: fakeExec({ ...AWS_OK, "aws s3api list-objects-v2": { stdout: "null" } }),
      backend,
    });
    writeProjectConfig(empty.project, {
      backendUrl: "s3://officeless-state-123456789012-eu-west-1?region=eu-west-1&awssdk=v2",
    });
    const destroyed = await empty.run(
      `bootstrap --cloud aws --region eu-west-1 --destroy --yes --project-dir ${empty.project}`,
    );
    expect(destroyed.code).toBe(0);
    expect(destroyed.stdout).toContain("destroyed the state store");
    expect(destroyed.stdout).toContain(
      "kept the secrets key awskms://alias/officeless-state?region=eu-west-1&awssdk=v2 and its grants",
    );
    // The unprotected program is applied, then destroyed.
    expect(backend.state.ops).toEqual(["preview", "up", "up", "destroy"]);
    // The project no longer points at the removed backend.
    expect(readProjectConfig(empty.project)).toEqual({});
  });

  it("Azure: reruns up after a wait while a new role assignment has not reached Key Vault, and gives up with the rerun advice", async () => {
    const azure = fakeExec({
      "az account show --query id": { stdout: `${SUB}\n` },
      "az account show --query user.type": { stdout: "user\n" },
      "az storage account show": { code: 3, stderr: "(ResourceNotFound) not found" },
    });
    const backend = fakeBackend({
      upFailures: [
        "azure-native:keyvault:Key state-secrets-key: Code=\"ForbiddenByRbac\" Action: 'Microsoft.KeyVault/vaults/keys/read'",
        'StorageAccount: Code="KeyVaultAuthenticationFailure"',
      ],
      outputs: AZURE_OUTPUTS,
    });
    const { run, slept } = setup({ exec: azure, backend });
    const r = await run("bootstrap --cloud azure --region westeurope --yes --no-write-config");
    expect(r.code).toBe(0);
    // The printed secrets provider is the key version the program exported, not a versionless URL.
    expect(r.stdout).toContain(`secrets provider: ${AZURE_SECRETS}\n`);
    expect(backend.state.ops).toEqual(["preview", "up", "up", "up"]);
    expect(slept).toEqual([60_000, 120_000]);
    expect(r.stderr).toContain("ForbiddenByRbac); running again in 60s (attempt 2 of 4)");
    expect(r.stderr).toContain("KeyVaultAuthenticationFailure); running again in 120s");
    // The identity running bootstrap is read even when --principal-id names the deployer.
    const ci = fakeExec({
      "az account show --query id": { stdout: `${SUB}\n` },
      "az account show --query user.type": { stdout: "servicePrincipal\n" },
      "az storage account show": { code: 3, stderr: "(ResourceNotFound) not found" },
    });
    const stuck = fakeBackend({
      upFailures: Array(4).fill("ForbiddenByRbac"),
      outputs: AZURE_OUTPUTS,
    });
    const gaveUp = await setup({ exec: ci, backend: stuck }).run(
      "bootstrap --cloud azure --region westeurope --yes --no-write-config --principal-id 11111111-2222-4333-8444-555555555555 --principal-type User",
    );
    expect(gaveUp.code).toBe(1);
    expect(ci.calls).toContain("az account show --query user.type --output tsv");
    expect(gaveUp.stderr).toContain(
      "had not propagated after 360s: run the same bootstrap command again",
    );
    expect(stuck.state.ops).toEqual(["preview", "up", "up", "up", "up"]);
  });

  it("other clouds' failures are not retried", async () => {
    const backend = fakeBackend({ upFailures: ["AccessDenied: ForbiddenByRbac-looking text"] });
    const { run, slept } = setup({ backend });
    const r = await run("bootstrap --cloud aws --region eu-west-1 --yes --no-write-config");
    expect(r.code).toBe(1);
    expect(slept).toEqual([]);
    expect(backend.state.ops).toEqual(["preview", "up"]);
  });

  it("a first run that failed after creating the bucket (state holds it, no outputs) can be rerun and destroyed", async () => {
    const bucketExists = {
      ...AWS_OK,
      "aws s3api head-bucket": { stdout: "{}" },
      "aws s3api list-objects-v2": { stdout: "null" },
    };
    // The IAM policy failed: the checkpoint has the protected key and bucket, the outputs nothing.
    const rerun = fakeBackend({ resources: [STACK, AWS_PROVIDER, AWS_KEY, AWS_BUCKET] });
    const r = await setup({ exec: fakeExec(bucketExists), backend: rerun }).run(
      "bootstrap --cloud aws --region eu-west-1 --yes --no-write-config",
    );
    expect(r.stderr).not.toContain("bootstrap did not create it");
    expect(r.code).toBe(0);
    expect(rerun.state.ops).toEqual(["preview", "up"]);

    const failed = fakeBackend({ resources: [STACK, AWS_PROVIDER, AWS_KEY, AWS_BUCKET] });
    const exec = fakeExec(bucketExists);
    const destroyed = await setup({ exec, backend: failed }).run(
      "bootstrap --cloud aws --region eu-west-1 --destroy --yes --no-write-config",
    );
    expect(destroyed.code).toBe(0);
    expect(exec.calls.some((c) => c.startsWith("aws s3api list-objects-v2"))).toBe(true);
    expect(failed.state.ops).toEqual(["up", "destroy"]);

    // Stopped before the bucket: only the key is held; nothing to list, still destroyable.
    const keyOnly = fakeBackend({ resources: [STACK, AWS_PROVIDER, AWS_KEY] });
    const noList = fakeExec(AWS_OK);
    const d = await setup({ exec: noList, backend: keyOnly }).run(
      "bootstrap --cloud aws --region eu-west-1 --destroy --yes --no-write-config",
    );
    expect(d.code).toBe(0);
    expect(d.stderr).toContain(
      "no officeless-state-123456789012-eu-west-1 (an earlier run stopped before it)",
    );
    expect(noList.calls.some((c) => c.startsWith("aws s3api list-objects-v2"))).toBe(false);
  });

  it("ownership is the store's own resource in the checkpoint, matched by type and name", () => {
    const names = bootstrapNames({
      cloud: "aws",
      region: "eu-west-1",
      name: "officeless",
      account: "123456789012",
    });
    expect(ownedResources(AWS_STATE, "aws", names)).toEqual({
      cloudResources: [AWS_KEY, AWS_BUCKET],
      ownsStore: true,
    });
    const other = { ...AWS_BUCKET, id: "someone-else", outputs: { bucket: "someone-else" } };
    expect(ownedResources([STACK, other], "aws", names).ownsStore).toBe(false);
    expect(ownedResources([STACK], "aws", names).cloudResources).toEqual([]);
  });

  it("--destroy after `pulumi stack rm`: the .bak it leaves is no stack; a stack beside it still refuses", async () => {
    const bak = ".pulumi/stacks/officeless/prod-aws-network.json.bak";
    const backend = fakeBackend();
    const both = fakeExec({
      ...AWS_OK,
      "aws s3api list-objects-v2": {
        stdout: JSON.stringify([bak, ".pulumi/stacks/officeless/prod-aws-cluster.json.gz"]),
      },
    });
    const first = setup({ exec: both, backend });
    expect(
      (await first.run("bootstrap --cloud aws --region eu-west-1 --yes --no-write-config")).code,
    ).toBe(0);
    const refused = await first.run(
      "bootstrap --cloud aws --region eu-west-1 --destroy --yes --no-write-config",
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "1 stack(s): .pulumi/stacks/officeless/prod-aws-cluster.json.gz.",
    );
    // The listing is never cut short (a limit could hide a stack behind backups).
    expect(both.calls.find((c) => c.startsWith("aws s3api list-objects-v2"))).not.toContain(
      "--max-items",
    );
    const onlyBak = fakeExec({
      ...AWS_OK,
      "aws s3api list-objects-v2": { stdout: JSON.stringify([bak]) },
    });
    const asked: string[] = [];
    const home = first.home;
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(
      ["bootstrap", "--cloud", "aws", "--region", "eu-west-1", "--destroy", "--no-write-config"],
      {
        stdout: stdout as never,
        stderr: stderr as never,
        interactive: true,
        confirm: async (q: string) => (asked.push(q), true),
        env: { PATH: "", PULUMI_CONFIG_PASSPHRASE: "s3cret" },
        bootstrap: { exec: onlyBak, openStack: backend.openStack, home },
      },
    );
    expect(stderr.text).toBe("");
    expect(code).toBe(0);
    expect(asked[0]).toContain(`with the 1 backup(s) removed stacks left (${bak})`);
    expect(asked[0]).toContain("The secrets key awskms://alias/officeless-state");
    expect(backend.state.ops.slice(-2)).toEqual(["up", "destroy"]);
  });

  it("--destroy with nothing bootstrapped says so", async () => {
    const { run } = setup();
    const r = await run("bootstrap --cloud aws --region eu-west-1 --destroy --yes");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nothing to destroy");
  });
});

describe("the cloud CLI checks", () => {
  const gcp = {
    cloud: "gcp",
    region: "europe-west1",
    name: "officeless",
    account: "acme-1",
  } as const;
  const azure = {
    cloud: "azure",
    region: "westeurope",
    name: "officeless",
    account: "sub",
  } as const;

  it("GCS: a weaker bucket's settings from gcloud's JSON", async () => {
    const exec = fakeExec({
      "gcloud storage buckets describe": {
        stdout: JSON.stringify({
          versioning_enabled: true,
          uniform_bucket_level_access: false,
          public_access_prevention: "inherited",
        }),
      },
    });
    expect(await inspectBucket(gcp, bootstrapNames(gcp), exec)).toEqual({
      exists: true,
      weaknesses: [
        "uniform bucket-level access is off (ACLs apply)",
        "public access prevention is not enforced",
        "no customer-managed default key (CMEK)",
      ],
    });
    const missing = fakeExec({
      "gcloud storage buckets describe": { code: 1, stderr: "ERROR: gs://x not found: 404." },
    });
    expect(await inspectBucket(gcp, bootstrapNames(gcp), missing)).toEqual({
      exists: false,
      weaknesses: [],
    });
  });

  it("Azure: a weaker account from az's JSON; the blob listing of stacks", async () => {
    const exec = fakeExec({
      "az storage account show": {
        stdout: JSON.stringify({
          allowSharedKeyAccess: true,
          allowBlobPublicAccess: false,
          minimumTlsVersion: "TLS1_0",
          encryption: { keySource: "Microsoft.Storage" },
        }),
      },
      "az storage blob list": {
        stdout: JSON.stringify([".pulumi/stacks/officeless/dev-azure-network.json"]),
      },
    });
    const found = await inspectBucket(azure, bootstrapNames(azure), exec);
    expect(found.weaknesses).toEqual([
      "shared key access is allowed",
      "minimum TLS is TLS1_0",
      "no infrastructure encryption",
      "no customer-managed key",
    ]);
    expect(await stacksInBucket(azure, bootstrapNames(azure), exec)).toEqual({
      stacks: [".pulumi/stacks/officeless/dev-azure-network.json"],
      backups: [],
    });
  });

  it("a listing that fails refuses the destroy instead of assuming the bucket is empty", async () => {
    const exec = fakeExec({
      "gcloud storage ls": { code: 1, stderr: "AccessDeniedException: 403" },
    });
    await expect(stacksInBucket(gcp, bootstrapNames(gcp), exec)).rejects.toThrow(
      /cannot tell whether the bucket still holds state .* nothing was destroyed/,
    );
    const empty = fakeExec({
      "gcloud storage ls": { code: 1, stderr: "ERROR: One or more URLs matched no objects." },
    });
    expect(await stacksInBucket(gcp, bootstrapNames(gcp), empty)).toEqual({
      stacks: [],
      backups: [],
    });
  });
});

describe("the account guard", () => {
  it("refuses credentials for another account than the names were built for", () => {
    expect(sameAccount("AWS account", "123456789012", "123456789012")).toBe("123456789012");
    expect(() => sameAccount("AWS account", "111111111111", "123456789012")).toThrow(
      /credentials are for AWS account 111111111111, but bootstrap was started for 123456789012/,
    );
  });
});
