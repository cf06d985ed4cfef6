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

/** The `stderr` of an Automation API CommandError (its message is the command's whole output). */
function stderrOf(error: unknown): string | undefined {
  const result = (error as { commandResult?: { stderr?: unknown } } | undefined)?.commandResult;
  return typeof result?.stderr === "string" ? result.stderr : undefined;
}

/**
 * The error's own message: for a failed `pulumi` command its `error:` lines on stderr (else the
 * last lines of stderr), never its stdout, where resource logs and program output also go (a log
 * line containing "429" is not a throttled request).
 */
export function errorMessage(error: unknown): string {
  const stderr = stderrOf(error);
  if (stderr !== undefined) {
    const lines = stderr
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const errors = lines.filter((l) => /^error:/i.test(l));
    return (errors.length ? errors : lines.slice(-3)).join("\n");
  }
  return error instanceof Error ? error.message : String(error);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${errorMessage(error)}`;
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
