/**
 * Every command a new user is shown runs as written: the `npm run` / `officeless` commands of the
 * README and of the stack files' comments parse with the real command lines (no "too many
 * arguments", no unknown option, existing scripts and stack files), the offline ones run, every
 * `--help` works, and the `pulumi config set` lines of the stack files name their stack.
 */
import * as fs from "fs";
import * as path from "path";
import { CommanderError } from "commander";
import { planCommand } from "../automation/cli/plan";
import { plan } from "../automation/offline/plan";
import { parseArgs, runCli } from "../automation/runner/cli";

const ROOT = path.resolve(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const STACK_FILES = fs
  .readdirSync(ROOT)
  .filter((f) => /^Pulumi\.[a-z]+-[a-z]+\.yaml$/.test(f))
  .sort();
const SCRIPTS = Object.keys(
  (
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts,
);

/** Splits a shell command line into words ('...' and "..." quoting). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Command lines shown to users: README code blocks and inline code, stack file comments. */
function shownCommands(): { where: string; line: string }[] {
  const found: { where: string; line: string }[] = [];
  const add = (where: string, raw: string) => {
    const bare = raw
      .replace(/\s#\s.*$/, "") // trailing comment
      .replace(/<base>/g, "dev-aws")
      .replace(/<layer>/g, "network");
    // Optional parts, shown in brackets: without them, and with them (first of `a|b`).
    const variants = [
      bare.replace(/\[[^\]]*\]/g, ""),
      bare.replace(/\[([^\]]*)\]/g, (_m, inner: string) => inner.replace(/(\S+)\|\S+/g, "$1")),
    ];
    for (const line of new Set(variants.map((v) => v.replace(/\s+/g, " ").trim())))
      if (/^(npm run|npx officeless|officeless)\s/.test(line) && !line.includes("<"))
        found.push({ where, line });
  };
  // Code blocks: lines between fences; `\` continues a line, `&&` chains commands.
  let fence: string | undefined;
  let pending = "";
  for (const l of README.split("\n")) {
    const open = /^\s*```(\w*)/.exec(l);
    if (open) {
      fence = fence === undefined ? open[1] : undefined;
      continue;
    }
    if (fence === undefined || !["", "sh", "bash"].includes(fence)) continue;
    if (l.endsWith("\\")) {
      pending += l.slice(0, -1);
      continue;
    }
    for (const part of (pending + l).split("&&")) add("README code block", part);
    pending = "";
  }
  for (const span of README.matchAll(/`([^`\n]+)`/g)) add("README inline code", span[1]);
  for (const file of STACK_FILES)
    for (const l of fs.readFileSync(path.join(ROOT, file), "utf8").split("\n"))
      if (/^\s*#/.test(l)) add(file, l.replace(/^\s*#\s*(Check it offline with:)?\s*/, ""));
  return found;
}

class Capture {
  text = "";
  write(s: string) {
    this.text += s;
    return true;
  }
}

/** Parses a shown command with the real command line; returns the error text, or "" when it parses. */
function parseShown(line: string): string {
  const w = words(line);
  const out = new Capture();
  const err = new Capture();
  let args: string[];
  if (w[0] === "npm") {
    const script = w[2];
    if (!SCRIPTS.includes(script)) return `no npm script ${script}`;
    const dashes = w.indexOf("--");
    // A bare `npm run <script>` in prose names the script; with arguments it is a command.
    if (dashes < 0) return w.length === 3 ? "" : `arguments without -- are npm's: ${line}`;
    args = w.slice(dashes + 1);
    if (script === "plan") {
      try {
        planCommand()
          .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) })
          .parse(args, { from: "user" });
      } catch (e) {
        if (e instanceof CommanderError && e.code === "commander.helpDisplayed") return "";
        return err.text || String(e);
      }
      return stacksExist(args);
    }
    if (script !== "officeless") return "";
  } else args = w.slice(w[0] === "npx" ? 2 : 1);
  try {
    parseArgs(args, { stdout: out as never, stderr: err as never });
  } catch (e) {
    if (e instanceof CommanderError && e.code === "commander.helpDisplayed") return "";
    return err.text || String(e);
  }
  return stacksExist(args);
}

function stacksExist(args: string[]): string {
  const missing = args
    .filter((_a, i) => args[i - 1] === "--stack" || args[i - 1] === "-s")
    .filter((s) => !fs.existsSync(path.join(ROOT, `Pulumi.${s}.yaml`)));
  return missing.length ? `no stack file for ${missing.join(", ")}` : "";
}

describe("commands shown to a new user", () => {
  const shown = shownCommands();

  it("finds the commands of the README and of every stack file", () => {
    expect(shown.length).toBeGreaterThan(10);
    for (const file of STACK_FILES)
      expect(shown.some((c) => c.where === file && c.line.startsWith("npm run plan"))).toBe(true);
  });

  it("parses each with the real command line", () => {
    const failures = shown
      .map((c) => ({ ...c, error: parseShown(c.line) }))
      .filter((c) => c.error)
      .map((c) => `${c.where}: ${c.line}: ${c.error}`);
    expect(failures).toEqual([]);
  });

  it("catches the mistakes users hit: a stack name without --stack, no stack at all", () => {
    expect(parseShown("npm run plan -- prod-aws")).toMatch(/required option .*--stack/);
    expect(parseShown("officeless plan prod-aws")).toMatch(/required option .*--stack/);
    expect(parseShown("npm run plan -- --json")).toMatch(/required option '-s, --stack <name>'/);
    expect(parseShown("officeless up --yes")).toMatch(/required option '-s, --stack <base>'/);
    expect(parseShown("npm run plan -- --stack prod-azur")).toBe("no stack file for prod-azur");
  });

  it.each([
    "--help",
    ...["preview", "up", "refresh", "destroy", "plan", "graph", "cancel", "bootstrap"].map(
      (c) => `${c} --help`,
    ),
  ])("officeless %s prints help and exits 0", async (args) => {
    const out = new Capture();
    const code = await runCli(args.split(" "), {
      stdout: out as never,
      stderr: new Capture() as never,
      interactive: false,
    });
    expect(code).toBe(0);
    expect(out.text).toMatch(/^Usage: officeless/);
  });

  it("runs the shown bootstrap dry runs offline, and shows the first deploy starting with bootstrap", async () => {
    const dryRuns = shown.filter((c) => /officeless bootstrap .*--dry-run/.test(c.line));
    expect(dryRuns.map((c) => words(c.line)[words(c.line).indexOf("--cloud") + 1])).toEqual(
      expect.arrayContaining(["aws", "gcp", "azure"]),
    );
    for (const { line } of dryRuns) {
      const out = new Capture();
      const args = words(line).slice(words(line).indexOf("bootstrap"));
      const code = await runCli([...args, "--no-write-config"], {
        stdout: out as never,
        stderr: new Capture() as never,
        interactive: false,
      });
      expect(`${line}: ${code}`).toBe(`${line}: 0`);
      expect(out.text).toMatch(/backend: {10}(s3|gs|azblob):\/\//);
    }
    const deploying = README.slice(README.indexOf("## Deploying for real"));
    const firstCommand = /```sh\n([^\n]*)/.exec(deploying)?.[1] ?? "";
    expect(firstCommand).toMatch(/^officeless bootstrap /);
  });

  it("npm run plan -- --help prints help", () => {
    expect(parseShown("npm run plan -- --help")).toBe("");
  });

  it("runs the offline graph commands as shown", async () => {
    const graphs = shown.filter(
      (c) => /officeless graph/.test(c.line) && !/--resources/.test(c.line),
    );
    expect(graphs.length).toBeGreaterThan(0);
    for (const { line } of graphs) {
      const out = new Capture();
      const args = words(line).slice(words(line).indexOf("graph"));
      expect(
        await runCli(args, {
          stdout: out as never,
          stderr: new Capture() as never,
          interactive: false,
        }),
      ).toBe(0);
      expect(out.text).toMatch(/dev-aws-network/);
    }
  });

  it("runs the offline plan of every stack a shown `npm run plan` names", async () => {
    const stacks = new Set<string>();
    for (const { line } of shown.filter((c) => c.line.startsWith("npm run plan --"))) {
      const opts = planCommand()
        .parse(words(line).slice(words(line).indexOf("--") + 1), { from: "user" })
        .opts<{ stack: string[] }>();
      for (const s of opts.stack) stacks.add(s);
    }
    expect([...stacks].sort()).toEqual(STACK_FILES.map((f) => f.slice(7, -5)).sort());
    const result = await plan([...stacks], { projectDir: ROOT });
    expect(result.summary.stacks).toBeGreaterThan(stacks.size * 4);
  }, 180_000);

  it("the stack files' `pulumi config set` lines name their own stack", () => {
    for (const file of STACK_FILES) {
      const stack = file.slice("Pulumi.".length, -".yaml".length);
      for (const l of fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")) {
        const m = /#\s+(pulumi config set .*)$/.exec(l);
        if (m) expect(`${file}: ${m[1]}`).toContain(`--stack ${stack} `);
      }
    }
  });
});
