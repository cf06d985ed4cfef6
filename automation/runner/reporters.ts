/**
 * How the CLI shows a run's events: a live view on a TTY (cli-progress: one line per running
 * stack with its operation and resources done/total; finished stacks print a line above with
 * status and time), plain log lines off a TTY, JSON Lines with `--json`. Only the CLI uses these.
 */
import { MultiBar, SingleBar } from "cli-progress";
import { formatChanges, formatDuration, stackDetail } from "./render";
import { RunnerEvent, StackResult } from "./types";

export interface Reporter {
  onEvent(event: RunnerEvent): void;
  /** Stops live output (also on cancellation), so the summary prints below it. */
  close(): void;
}

export interface Output {
  write(text: string): unknown;
}

/** One JSON object per line per event, for CI. */
export function jsonLinesReporter(out: Output): Reporter {
  return { onEvent: (e) => void out.write(`${JSON.stringify(e)}\n`), close: () => undefined };
}

const MARKS: Record<string, string> = {
  succeeded: "ok",
  failed: "FAILED",
  skipped: "skipped",
  cancelled: "cancelled",
  waiting: "waiting",
};

function finishedLine(e: Omit<StackResult, "outputs">): string {
  const detail = stackDetail(e as StackResult);
  const ran = e.attempts > 0 ? ` in ${formatDuration(e.durationMs)} (${formatChanges(e)})` : "";
  return `${e.stack}: ${MARKS[e.status] ?? e.status}${ran}${detail ? ` - ${detail}` : ""}`;
}

/** Plain log lines: start, retry and finish of each stack, then the run's end. */
export function plainReporter(out: Output, clock: () => Date = () => new Date()): Reporter {
  const stamp = () => clock().toISOString().slice(11, 19);
  return {
    onEvent(e) {
      switch (e.type) {
        case "runStarted":
          return void out.write(
            `${stamp()} ${e.operation} of ${e.stacks.length} stack(s), ${e.parallel} at a time\n`,
          );
        case "stackStarted":
          return void out.write(
            `${stamp()} ${e.stack}: ${e.operation} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}\n`,
          );
        case "stackRetrying":
          return void out.write(
            `${stamp()} ${e.stack}: transient error, retry ${e.attempt} in ${formatDuration(e.delayMs)}: ${e.error.split("\n")[0]}\n`,
          );
        case "stackFinished": {
          const { type: _t, time: _time, ...rest } = e;
          return void out.write(`${stamp()} ${finishedLine(rest)}\n`);
        }
        case "runFinished":
          return void out.write(
            `${stamp()} ${e.operation} ${e.status} in ${formatDuration(e.durationMs)}\n`,
          );
        default:
          return undefined;
      }
    },
    close: () => undefined,
  };
}

/** The live view: a bar per running stack, a log line per finished one. */
export function liveReporter(stream: NodeJS.WritableStream): Reporter {
  const multibar = new MultiBar({
    stream,
    format: " {stack} {op} [{bar}] {value}/{total} resources {status}",
    barsize: 20,
    hideCursor: true,
    clearOnComplete: false,
    autopadding: true,
  });
  const bars = new Map<string, SingleBar>();
  let width = 10;
  let stopped = false;
  const reporter: Reporter = {
    onEvent(e) {
      if (stopped) return;
      switch (e.type) {
        case "runStarted":
          width = Math.max(width, ...e.stacks.map((s) => s.length));
          multibar.log(`${e.operation} of ${e.stacks.length} stack(s), ${e.parallel} at a time\n`);
          return;
        case "stackStarted": {
          const bar = bars.get(e.stack);
          const status = e.attempt > 1 ? `(attempt ${e.attempt})` : "";
          if (bar) bar.update({ status });
          else
            bars.set(
              e.stack,
              multibar.create(1, 0, {
                stack: e.stack.padEnd(width),
                op: e.operation.padEnd(7),
                status,
              }),
            );
          return;
        }
        case "resourceProgress": {
          const bar = bars.get(e.stack);
          if (!bar) return;
          bar.setTotal(Math.max(1, e.total));
          bar.update(e.done);
          return;
        }
        case "stackRetrying":
          bars
            .get(e.stack)
            ?.update({ status: `retry ${e.attempt} in ${formatDuration(e.delayMs)}` });
          return;
        case "stackFinished": {
          const { type: _t, time: _time, ...rest } = e;
          multibar.log(`${finishedLine(rest)}\n`);
          // Removing the bar redraws, which prints the line above the running ones.
          const bar = bars.get(e.stack);
          if (bar) {
            multibar.remove(bar);
            bars.delete(e.stack);
          }
          return;
        }
        case "runFinished":
          reporter.close();
          return;
      }
    },
    close() {
      if (stopped) return;
      stopped = true;
      multibar.update(); // flush lines logged since the last redraw
      multibar.stop();
    },
  };
  return reporter;
}

/** The reporter for where output goes: `--json` wins, then TTY vs not. */
export function reporterFor(options: {
  json?: boolean;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
}): Reporter {
  if (options.json) return jsonLinesReporter(options.stream);
  return options.stream.isTTY ? liveReporter(options.stream) : plainReporter(options.stream);
}
