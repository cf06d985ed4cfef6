/**
 * `officeless <preview|up|refresh|destroy|plan|graph|cancel> --stack <base> [...]`: the process
 * around runCli. First SIGINT/SIGTERM: start nothing new; running stacks stop gracefully (a
 * terminal's Ctrl-C already reached them, anything else is forwarded once), then print what
 * finished. Second: exit at once.
 */
import * as readline from "readline";
import { tuneForMocks } from "../offline/runtime";
import { interruptMessage, interruptOf, runCli } from "../runner/cli";

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
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      const interrupt = interruptOf(signal, Boolean(process.stdin.isTTY));
      process.stderr.write(`\n${interruptMessage(interrupt)}\n`);
      controller.abort(interrupt);
    } else {
      process.stderr.write(
        `\n${signal} again: exiting now; a stack still running may stay locked: once no update of it runs, officeless cancel --stack <base> [--layer <layer>]\n`,
      );
      process.exit(130);
    }
  };
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
