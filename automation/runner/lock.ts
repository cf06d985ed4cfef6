/**
 * An in-process mutex: one holder at a time, in call order. A waiter whose signal aborts leaves
 * the queue (throws {@link NotStartedError}) without breaking the order of those behind it.
 */
import { NotStartedError } from "./types";

export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier holder has finished; throws if `signal` aborts first. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tail = before.then(() => mine);
    try {
      await waitUnlessAborted(before, signal);
      return await work();
    } finally {
      release();
    }
  }
}

function waitUnlessAborted(turn: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return turn;
  if (signal.aborted) return Promise.reject(new NotStartedError(signal.reason));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new NotStartedError(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
