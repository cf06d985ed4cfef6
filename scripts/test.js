#!/usr/bin/env node
// `npm test`: the type check (`npm run typecheck`), the lint (`npm run lint`) and Jest run at
// once. tsc and ESLint are single-threaded, so beside Jest's two workers they use the time Jest
// leaves a core idle instead of running before it. Jest's output streams as it runs; the type
// check's and the lint's are captured and printed whole after it, so no two outputs interleave.
// Exits non-zero when any part fails. Arguments go to Jest (`npm test -- tests/oci/`).
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs one part; resolves with its exit code, the time it took and, when captured, its output. */
function run(name, command, args, capture) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    const chunks = [];
    if (capture) {
      child.stdout.on("data", (c) => chunks.push(c));
      child.stderr.on("data", (c) => chunks.push(c));
    }
    const done = (code, error) =>
      resolve({
        name,
        code: code ?? 1,
        seconds: (Date.now() - started) / 1000,
        output: Buffer.concat(chunks).toString() + (error ? `${error.message}\n` : ""),
      });
    child.on("error", (error) => done(1, error));
    child.on("close", (code, signal) => done(signal ? 1 : code));
  });
}

(async () => {
  const parts = await Promise.all([
    run("typecheck", npm, ["run", "--silent", "typecheck"], true),
    run("lint", npm, ["run", "--silent", "lint"], true),
    run(
      "jest",
      process.execPath,
      [require.resolve("jest/bin/jest"), ...process.argv.slice(2)],
      false,
    ),
  ]);
  for (const part of parts.filter((p) => p.output.trim())) {
    process.stdout.write(`\n── ${part.name} ${"─".repeat(60)}\n${part.output.trimEnd()}\n`);
  }
  process.stdout.write("\n");
  for (const part of parts) {
    const status = part.code === 0 ? "passed" : `FAILED (exit ${part.code})`;
    process.stdout.write(
      `${part.name.padEnd(10)} ${status.padEnd(16)} ${part.seconds.toFixed(1)} s\n`,
    );
  }
  process.exitCode = parts.some((p) => p.code !== 0) ? 1 : 0;
})();
