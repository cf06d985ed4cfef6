/**
 * Time, injectable: the real clock for runs, a virtual one for tests and the benchmark so the real
 * scheduler code runs as an event simulation (no timed assertions, no waiting).
 */

export interface Clock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const err = new Error(typeof reason === "string" ? reason : "operation cancelled");
  err.name = "AbortError";
  return err;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/** Lets every queued promise callback run (they all run before the next macrotask). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock whose time moves only when `run` finds nothing else to do: each step lets pending
 * promise callbacks run, then jumps to the earliest timer. Timers due at the same time fire in the
 * order they were set.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        fire: () => undefined,
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortError(signal));
      };
      timer.fire = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Fires every timer due at the earliest pending time; false when none is pending. */
  advance(): boolean {
    if (!this.timers.length) return false;
    let at = Infinity;
    for (const t of this.timers) at = Math.min(at, t.at);
    const due = this.timers.filter((t) => t.at === at).sort((a, b) => a.seq - b.seq);
    this.timers = this.timers.filter((t) => t.at !== at);
    this.time = at;
    for (const t of due) t.fire();
    return true;
  }

  /** Drives `work` to completion in virtual time; throws if it waits on something that never comes. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.then(
      (v) => ((settled = true), v),
      (e) => {
        settled = true;
        throw e;
      },
    );
    done.catch(() => undefined);
    let idle = 0;
    while (!settled) {
      // After a few empty rounds, give real I/O (a journal file write) a moment of real time.
      await (idle < 3 ? flushMicrotasks() : new Promise((resolve) => setTimeout(resolve, 2)));
      if (settled) break;
      if (this.advance()) idle = 0;
      else if (++idle > 250)
        throw new Error(`virtual clock: work is stuck at t=${this.time} with no timer pending`);
    }
    return done;
  }
}
