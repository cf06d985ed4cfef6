/**
 * Which failures are worth another try. Only two kinds are transient: the stack is busy (another
 * update in progress, a held lock, a 409 conflict) and the provider is throttling. Everything else
 * fails at once: retrying a bad config or a quota error only hides it.
 */

export interface RetryPolicy {
  /** Tries in total, the first included. @default 4 */
  readonly maxAttempts: number;
  /** Delay before the second try; doubles each time. @default 15 s */
  readonly baseDelayMs: number;
  /** Cap on a single delay. @default 2 min */
  readonly maxDelayMs: number;
  /** Classifies an error. @default isTransientError */
  readonly isTransient: (error: unknown) => boolean;
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random: () => number;
}

/** Message patterns of transient failures, with the kind they stand for. */
export const TRANSIENT_PATTERNS: readonly { kind: "busy" | "throttled"; pattern: RegExp }[] = [
  { kind: "busy", pattern: /another update is currently in progress/i },
  { kind: "busy", pattern: /\[409\] conflict/i },
  { kind: "busy", pattern: /the stack is currently locked/i },
  { kind: "busy", pattern: /ConcurrentUpdateError/ },
  { kind: "throttled", pattern: /rate exceeded|rate limit/i },
  { kind: "throttled", pattern: /throttl/i },
  { kind: "throttled", pattern: /too many requests|\b429\b/i },
  { kind: "throttled", pattern: /RequestLimitExceeded|SlowDown|TooManyRequestsException/ },
];

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The transient kind of an error, or undefined when it should fail at once. */
export function transientKind(error: unknown): "busy" | "throttled" | undefined {
  const text = messageOf(error);
  return TRANSIENT_PATTERNS.find((p) => p.pattern.test(text))?.kind;
}

export function isTransientError(error: unknown): boolean {
  return transientKind(error) !== undefined;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 15_000,
  maxDelayMs: 120_000,
  isTransient: isTransientError,
  random: Math.random,
};

/** Delay before try `attempt + 1`: exponential, capped, with jitter in its upper half. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * policy.random());
}
