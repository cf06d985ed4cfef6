/**
 * Base stacks on disk: which layers a `Pulumi.<base>.yaml` turns on (validated by programs/config),
 * and its raw config and encryption settings, which the Automation API engine copies into each
 * layer stack.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { activeLayers } from "../../components/layers";
import { isSecureLeaf, parseConfig, readStackFile, stackFilePath } from "../../programs/config";
import { BaseStackInfo } from "./graph";
import { RunnerError } from "./types";

/**
 * The project folder: the nearest directory holding Pulumi.yaml, searching upward from `start`
 * (the working directory), as the Pulumi CLI finds its project. Not a path relative to this file:
 * compiled into dist/ or installed under node_modules it would point at the package, not at the
 * user's project.
 */
export function findProjectDir(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new RunnerError(
        `no Pulumi.yaml in ${path.resolve(start)} or any folder above it: run from the project folder or pass --project-dir`,
        "projectDir",
      );
    dir = parent;
  }
}

/** The default project folder: {@link findProjectDir} from the working directory. */
export function defaultProjectDir(): string {
  return findProjectDir(process.cwd());
}

/** Reads and validates base stacks; each one's enabled layers become graph nodes. */
export function loadBaseStacks(
  names: readonly string[],
  projectDir = defaultProjectDir(),
): BaseStackInfo[] {
  return names.map((name) => {
    const { raw, secretKeys } = readStackFile(stackFilePath(projectDir, name));
    const config = parseConfig(raw, { secretKeys, stack: name });
    return {
      name,
      layers: activeLayers(config),
      cloud: config.cloud,
      environment: config.environment,
    };
  });
}

/** A stack file as Pulumi wrote it: config values verbatim (`{secure: ...}` kept) and its secrets settings. */
export interface StackFile {
  readonly file: string;
  /** Every config entry, full keys (`aws:region`, `officeless:network`). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly secretsProvider?: string;
  readonly encryptedKey?: string;
  readonly encryptionSalt?: string;
}

/** Reads a stack file; a missing file reads as undefined. */
export function readRawStackFile(file: string): StackFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    file,
    config: (doc.config ?? {}) as Record<string, unknown>,
    secretsProvider: str(doc.secretsprovider),
    encryptedKey: str(doc.encryptedkey),
    encryptionSalt: str(doc.encryptionsalt),
  };
}

/** Whether a config value holds an encrypted leaf anywhere (`{secure: "v1:..."}`). */
export function containsSecure(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecure);
  if (isSecureLeaf(value)) return true;
  if (value && typeof value === "object") return Object.values(value).some(containsSecure);
  return false;
}
