/**
 * The runner uses what `officeless bootstrap` wrote into `.officeless/config.json`: the backend
 * and the secrets provider of new stacks, without flags; explicit flags still win; a provider
 * that conflicts with a base stack's own is refused naming the file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import { writeProjectConfig } from "../../automation/bootstrap/projectConfig";
import { runCli } from "../../automation/runner/cli";
import {
  AutomationEngine,
  AutomationStack,
  WorkspaceFactory,
} from "../../automation/runner/engines/automation";
import { MemoryJournal } from "../../automation/runner/journal";
import { StackFile } from "../../automation/runner/stacks";
import { StackNode } from "../../automation/runner/types";

const BACKEND = "s3://officeless-state-123456789012-eu-west-1?region=eu-west-1&awssdk=v2";
const KMS = "awskms://alias/officeless-state?region=eu-west-1&awssdk=v2";

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-pickup-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: officeless\nruntime: nodejs\n");
  writeProjectConfig(dir, { backendUrl: BACKEND, secretsProvider: KMS });
  return dir;
}

const node: StackNode = { id: "dev-aws-network", baseStack: "dev-aws", layer: "network", deps: [] };
/** A base stack that names no provider and holds no secret (a fresh one). */
const fresh =
  () =>
  (file: string): StackFile | undefined =>
    file.endsWith("Pulumi.dev-aws.yaml")
      ? { file, config: { "officeless:cloud": "aws", "aws:region": "eu-west-1" } }
      : undefined;

function recordingFactory(opened: LocalWorkspaceOptions[]): WorkspaceFactory {
  const stack: AutomationStack = {
    up: async () => ({ summary: { resourceChanges: { create: 1 } }, outputs: {} }),
    preview: async () => ({ changeSummary: {} }),
    refresh: async () => ({ summary: {} }),
    destroy: async () => ({ summary: {} }),
    cancel: async () => undefined,
    outputs: async () => ({}),
    exportStack: async () => ({}),
  };
  return {
    createOrSelectStack: async (_args, opts) => (opened.push(opts), stack),
    selectStack: async (_args, opts) => (opened.push(opts), stack),
  };
}

describe("the runner picks up the bootstrapped backend", () => {
  it("the engine defaults to the project config's backend and secrets provider", () => {
    const dir = project();
    const engine = new AutomationEngine({
      projectDir: dir,
      readStackFile: fresh(),
      factory: recordingFactory([]),
    });
    expect(engine.backendUrl).toBe(BACKEND);
    const plan = engine.planLayerStack(node);
    expect(plan.secretsProvider).toBe(KMS);
    expect(engine.workspaceOptions(node, plan)).toMatchObject({
      secretsProvider: KMS,
      envVars: { PULUMI_BACKEND_URL: BACKEND },
    });
  });

  it("explicit options (the flags) win over the file", () => {
    const dir = project();
    const engine = new AutomationEngine({
      projectDir: dir,
      backendUrl: "file:///tmp/elsewhere",
      secretsProvider: "passphrase",
      readStackFile: fresh(),
      factory: recordingFactory([]),
    });
    expect(engine.backendUrl).toBe("file:///tmp/elsewhere");
    expect(engine.planLayerStack(node).secretsProvider).toBe("passphrase");
  });

  it("without the file the defaults stay: the project's own folder and passphrase", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-nopickup-"));
    const engine = new AutomationEngine({
      projectDir: dir,
      readStackFile: fresh(),
      factory: recordingFactory([]),
    });
    expect(engine.backendUrl).toBe(`file://${path.join(dir, ".officeless", "state")}`);
    expect(engine.planLayerStack(node).secretsProvider).toBe("passphrase");
  });

  it("a base stack keeping another provider is refused, naming the config file", () => {
    const dir = project();
    const engine = new AutomationEngine({
      projectDir: dir,
      readStackFile: (file) =>
        file.endsWith("Pulumi.dev-aws.yaml")
          ? { file, encryptionSalt: "v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy", config: {} }
          : undefined,
      factory: recordingFactory([]),
    });
    expect(() => engine.planLayerStack(node)).toThrow(
      /\.officeless\/config\.json's secretsProvider awskms:.* conflicts with dev-aws's own secrets provider \(passphrase/,
    );
  });

  it("`officeless up` without flags opens each stack on the bootstrapped backend; --backend still wins", async () => {
    const dir = project();
    const run = async (args: string) => {
      const opened: LocalWorkspaceOptions[] = [];
      const out = {
        text: "",
        write(s: string) {
          this.text += s;
          return true;
        },
      };
      const code = await runCli(args.split(" "), {
        stdout: out as never,
        stderr: out as never,
        interactive: false,
        env: { PATH: "" },
        loadBaseStacks: () => [
          { name: "dev-aws", layers: ["network"], cloud: "aws", environment: "dev" },
        ],
        automationEngine: (o) =>
          new AutomationEngine({
            ...o,
            readStackFile: fresh(),
            factory: recordingFactory(opened),
          }),
        journal: () => new MemoryJournal(),
      });
      return { code, opened, out: out.text };
    };
    const plain = await run(`up --stack dev-aws --yes --project-dir ${dir}`);
    expect(plain.out).not.toContain("error");
    expect(plain.code).toBe(0);
    expect(plain.opened[0]).toMatchObject({
      secretsProvider: KMS,
      envVars: { PULUMI_BACKEND_URL: BACKEND },
    });
    const flagged = await run(
      `up --stack dev-aws --yes --project-dir ${dir} --backend file:///tmp/x`,
    );
    expect(flagged.opened[0].envVars).toMatchObject({ PULUMI_BACKEND_URL: "file:///tmp/x" });
  });
});
