/**
 * The journal: one record per run (each stack's status, duration, changes). It feeds `--resume`
 * (rerun what failed, was skipped or cancelled last time) and the scheduler's duration estimates.
 * Written atomically (temp file + rename) so an interrupted run never leaves it half-written.
 */
import * as fs from "fs";
import * as path from "path";
import { ChangeCounts, Operation, RunnerError, RunResult, RunStatus, StackStatus } from "./types";

export interface JournalStack {
  status: StackStatus;
  durationMs: number;
  attempts: number;
  changes: ChangeCounts;
  error?: string;
  reason?: string;
  resources?: number;
}

export interface JournalRun {
  id: string;
  operation: Operation;
  startedAt: string;
  durationMs: number;
  status: RunStatus;
  stacks: Record<string, JournalStack>;
}

export interface JournalData {
  version: 1;
  runs: JournalRun[];
}

/** Where the journal lives; the file store in production, memory in tests. */
export interface JournalStore {
  read(): Promise<JournalData>;
  write(data: JournalData): Promise<void>;
}

/** Runs kept in the journal; older ones are dropped. */
export const JOURNAL_RUNS_KEPT = 50;

export function emptyJournal(): JournalData {
  return { version: 1, runs: [] };
}

/** The journal as a JSON file, `.officeless/journal.json` by default. */
export class FileJournal implements JournalStore {
  constructor(public readonly file: string) {}

  async read(): Promise<JournalData> {
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyJournal();
      throw err;
    }
    const data = JSON.parse(text) as JournalData;
    if (data?.version !== 1 || !Array.isArray(data.runs)) {
      throw new RunnerError(
        `${this.file} is not a runner journal (version 1); move it away to start a new one`,
        "journal",
      );
    }
    return data;
  }

  async write(data: JournalData): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`);
    await fs.promises.rename(tmp, this.file);
  }
}

export class MemoryJournal implements JournalStore {
  constructor(public data: JournalData = emptyJournal()) {}
  async read(): Promise<JournalData> {
    return JSON.parse(JSON.stringify(this.data)) as JournalData;
  }
  async write(data: JournalData): Promise<void> {
    this.data = JSON.parse(JSON.stringify(data)) as JournalData;
  }
}

/** The most recent run of an operation. */
export function lastRun(data: JournalData, operation: Operation): JournalRun | undefined {
  for (let i = data.runs.length - 1; i >= 0; i--)
    if (data.runs[i].operation === operation) return data.runs[i];
  return undefined;
}

/** Last successful duration of each stack for an operation: the scheduler's priority estimates. */
export function knownDurations(data: JournalData, operation: Operation): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of data.runs) {
    if (run.operation !== operation) continue;
    for (const [stack, s] of Object.entries(run.stacks))
      if (s.status === "succeeded") out.set(stack, s.durationMs);
  }
  return out;
}

/** Last known resource count of each stack (any operation), for progress totals. */
export function knownResourceCounts(data: JournalData): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of data.runs) {
    for (const [stack, s] of Object.entries(run.stacks))
      if (s.resources !== undefined) out.set(stack, s.resources);
  }
  return out;
}

const RERUN: readonly StackStatus[] = ["failed", "skipped", "cancelled"];

/**
 * What `--resume` reruns: stacks of the last run of this operation that failed, were skipped or
 * cancelled, among `candidates`. Throws when there is no run to resume.
 */
export function resumeSet(
  data: JournalData,
  operation: Operation,
  candidates: Iterable<string>,
): Set<string> {
  const run = lastRun(data, operation);
  if (!run)
    throw new RunnerError(
      `--resume: the journal has no earlier ${operation} run`,
      "nothingToResume",
    );
  const out = new Set<string>();
  for (const id of candidates) {
    const s = run.stacks[id];
    if (s && RERUN.includes(s.status)) out.add(id);
  }
  return out;
}

/** The journal record of a finished run. */
export function journalRunOf(result: RunResult, id: string): JournalRun {
  const stacks: Record<string, JournalStack> = {};
  for (const s of result.stacks) {
    stacks[s.stack] = {
      status: s.status,
      durationMs: s.durationMs,
      attempts: s.attempts,
      changes: s.changes,
      ...(s.error !== undefined ? { error: s.error } : {}),
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      ...(s.resources !== undefined ? { resources: s.resources } : {}),
    };
  }
  return {
    id,
    operation: result.operation,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    status: result.status,
    stacks,
  };
}

/** Appends a run, keeping the newest JOURNAL_RUNS_KEPT. */
export function appendRun(data: JournalData, run: JournalRun): JournalData {
  return { version: 1, runs: [...data.runs, run].slice(-JOURNAL_RUNS_KEPT) };
}
