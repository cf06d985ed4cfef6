/**
 * `officeless export pko`: the commander definition and the action (writes the manifests to stdout
 * or a folder, and lists the Secrets to create on stderr).
 */
import * as fs from "fs";
import * as path from "path";
import { Command, Option } from "commander";
import type { CliIo } from "../runner/cli";
import { collect, positiveInt } from "../runner/parsers";
import { defaultProjectDir } from "../runner/stacks";
import { exportPko, renderPko, renderRequiredSecrets } from "./export";

export interface PkoFlags {
  stack: string[];
  layer: string[];
  exclude: string[];
  repo: string;
  branch: string;
  path?: string;
  namespace: string;
  serviceAccount: string;
  out: string;
  backend?: string;
  secretsProvider?: string;
  projectDir?: string;
  credentials: boolean;
  gitAuthSecret?: string;
  refresh: boolean;
  resyncSeconds: number;
  driftDetection?: boolean;
  retryOnUpdateConflict: boolean;
  workspaceCpu: string;
  workspaceMemory: string;
  workspaceMemoryLimit: string;
  keepWorkspaces?: boolean;
}

export function exportCommand(program: Command, onChosen: (flags: PkoFlags) => void): void {
  const exp = program
    .command("export")
    .description("write the stack graph for another engine")
    .exitOverride();
  exp
    .command("pko")
    .description(
      "Pulumi Kubernetes Operator manifests: one pulumi.com/v1 Stack per layer stack, prerequisites from the stack graph",
    )
    .exitOverride()
    .requiredOption("-s, --stack <base>", "base stack (Pulumi.<base>.yaml); repeatable", collect)
    .option("-l, --layer <layer>", "only these layers (plus what they need)", collect, [])
    .option("-x, --exclude <layer>", "leave out these layers and what runs after them", collect, [])
    .requiredOption("--repo <url>", "git URL of this project, cloned by the operator")
    .requiredOption("--branch <branch>", "branch the operator follows")
    .option("--path <dir>", "folder of Pulumi.yaml inside the repository")
    .option("--namespace <ns>", "namespace of the Stack objects", "officeless")
    .option("--service-account <sa>", "service account of the workspace pods", "pulumi")
    .option(
      "--out <dir|->",
      "a folder (one file per object and a kustomization.yaml) or - for stdout",
      "-",
    )
    .option(
      "--backend <url>",
      "state backend (default: the runner's, from .officeless/config.json)",
    )
    .option(
      "--secrets-provider <provider>",
      "secrets provider of layer stacks whose base names none",
    )
    .option("--project-dir <dir>", "folder holding Pulumi.yaml and the stack files")
    .option(
      "--no-credentials",
      "no cloud credential Secrets: the service account's workload identity",
    )
    .option("--git-auth-secret <name>", "Secret with an accessToken key for a private repository")
    .option("--no-refresh", "do not refresh before each update")
    .option("--resync-seconds <n>", "how often the branch is polled (min 60)", positiveInt, 600)
    .option("--drift-detection", "re-run every stack each resync, even on the same commit")
    .option("--no-retry-on-update-conflict", "fail instead of retrying when another update runs")
    .option("--workspace-cpu <cpu>", "CPU request of a workspace pod", "1")
    .option("--workspace-memory <mem>", "memory request of a workspace pod", "2Gi")
    .option("--workspace-memory-limit <mem>", "memory limit of a workspace pod", "4Gi")
    .addOption(new Option("--keep-workspaces", "keep idle workspace pods between runs"))
    .action((flags: PkoFlags) => onChosen(flags));
}

/** Runs the export; resolves with the exit code. */
export function exportPkoCommand(flags: PkoFlags, io: CliIo): number {
  const projectDir = path.resolve(flags.projectDir ?? defaultProjectDir());
  const result = exportPko({
    stacks: flags.stack,
    layers: flags.layer,
    exclude: flags.exclude,
    repo: flags.repo,
    branch: flags.branch,
    path: flags.path,
    namespace: flags.namespace,
    serviceAccount: flags.serviceAccount,
    projectDir,
    backendUrl: flags.backend,
    secretsProvider: flags.secretsProvider,
    credentials: flags.credentials,
    gitAuthSecret: flags.gitAuthSecret,
    refresh: flags.refresh,
    resyncFrequencySeconds: flags.resyncSeconds,
    driftDetection: flags.driftDetection,
    retryOnUpdateConflict: flags.retryOnUpdateConflict,
    workspaceCpu: flags.workspaceCpu,
    workspaceMemory: flags.workspaceMemory,
    workspaceMemoryLimit: flags.workspaceMemoryLimit,
    workspaceReclaimPolicy: flags.keepWorkspaces ? "Retain" : "Delete",
    ...(io.loadBaseStacks ? { loadBaseStacks: io.loadBaseStacks } : {}),
  });
  if (flags.out === "-") io.stdout.write(renderPko(result.objects));
  else {
    fs.mkdirSync(flags.out, { recursive: true });
    const files = result.objects.map((o) => {
      const meta = o.metadata as { name: string };
      const file =
        o.kind === "Stack" ? `${meta.name}.yaml` : `${String(o.kind).toLowerCase()}.yaml`;
      fs.writeFileSync(path.join(flags.out, file), renderPko([o]));
      return file;
    });
    fs.writeFileSync(
      path.join(flags.out, "kustomization.yaml"),
      renderPko([
        {
          apiVersion: "kustomize.config.k8s.io/v1beta1",
          kind: "Kustomization",
          resources: files,
        },
      ]),
    );
    io.stderr.write(`wrote ${files.length + 1} files to ${flags.out}\n`);
  }
  const needed = renderRequiredSecrets(result.secrets, flags.namespace);
  if (needed) io.stderr.write(`${needed}\n`);
  return 0;
}
