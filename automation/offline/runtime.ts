/**
 * Process settings for running programs under mocks from a CLI. The Pulumi SDK captures a stack
 * trace for every resource and output promise (for its own debugging); under ts-node each capture
 * is also source-mapped. The plan reports messages, not stacks, so one unmapped frame is enough:
 * this halves the offline plan's time. OFFICELESS_DEBUG=1 keeps full, source-mapped stacks.
 * Only CLIs call this; library code never changes process-wide settings.
 */
export function tuneForMocks(): void {
  if (process.env.OFFICELESS_DEBUG) return;
  Error.stackTraceLimit = 1;
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
}
