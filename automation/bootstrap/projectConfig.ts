/**
 * `.officeless/config.json`: the project's state backend and secrets provider, written by
 * `officeless bootstrap` and read by the runner as its defaults (an explicit `--backend` or
 * `--secrets-provider` always wins). Committed with the project (the URLs name no secret), so the
 * whole team and CI use the same backend without flags.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";

export const PROJECT_CONFIG_FILE = path.join(".officeless", "config.json");

const schema = z
  .object({
    backendUrl: z.string().min(1).optional(),
    secretsProvider: z.string().min(1).optional(),
    /** Which bootstrap made them (for `--destroy` and for people reading the file). */
    bootstrap: z
      .object({ cloud: z.string(), region: z.string(), name: z.string(), account: z.string() })
      .optional(),
  })
  .strict();

export type ProjectConfig = z.infer<typeof schema>;

/** The project's config file, or `{}` when there is none; a malformed file is an error naming it. */
export function readProjectConfig(projectDir: string): ProjectConfig {
  const file = path.join(projectDir, PROJECT_CONFIG_FILE);
  if (!fs.existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/** Merges values into the project's config file (created with its folder). Returns the file. */
export function writeProjectConfig(projectDir: string, values: ProjectConfig): string {
  const file = path.join(projectDir, PROJECT_CONFIG_FILE);
  const merged = schema.parse({ ...readProjectConfig(projectDir), ...values });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  return file;
}

/** Removes the backend and secrets provider when they are the given ones (after `--destroy`). */
export function forgetProjectConfig(projectDir: string, backendUrl: string): boolean {
  const current = readProjectConfig(projectDir);
  if (current.backendUrl !== backendUrl) return false;
  const file = path.join(projectDir, PROJECT_CONFIG_FILE);
  fs.writeFileSync(file, `${JSON.stringify({}, null, 2)}\n`);
  return true;
}
