/**
 * `officeless <preview|up|refresh|destroy|plan|graph|cancel> --stack <base> [...]`: the process
 * around runCli. First SIGINT/SIGTERM: start nothing new; running stacks stop gracefully (a
 * terminal's Ctrl-C already reached them, anything else is forwarded once), then print what
 * finished. Second: exit at once.
 */
import * as readline from "readline";
import { tuneForMocks } from "../offline/runtime";
import { inTerminalForeground, runCli, signalHandler } from "../runner/cli";

function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

/** Exits once everything written to stdout has been flushed (a piped `--json` plan is large). */
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

async function main(): Promise<number> {
  // Offline plans run the programs in this process under mocks.
  tuneForMocks();
  const controller = new AbortController();
  const onSignal = signalHandler({
    abort: (interrupt) => controller.abort(interrupt),
    exit: (code) => process.exit(code),
    write: (text) => void process.stderr.write(text),
    // Attached to a terminal (any of the standard streams) and its foreground job when that can be
    // told: Ctrl-C went to the process group. A `kill -INT` of a foreground runner still looks
    // the same (Node does not say who sent a signal); SIGTERM is always forwarded.
    fromTerminal: () =>
      Boolean(process.stdin.isTTY || process.stderr.isTTY || process.stdout.isTTY) &&
      inTerminalForeground() !== false,
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    confirm,
    signal: controller.signal,
  });
}

main().then(exitAfterFlush, (err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  exitAfterFlush(1);
});
