/** @officeless/platform/automation: the multi-stack runner (library API; the CLI is bin/officeless). */
export * from "./runner/types";
export * from "./runner/clock";
export * from "./runner/graph";
export * from "./runner/retry";
export * from "./runner/scheduler";
export * from "./runner/journal";
export * from "./runner/runner";
export * from "./runner/stacks";
export * from "./runner/render";
export * from "./runner/preDestroy";
export * from "./runner/engines/automation";
export * from "./runner/engines/offline";
export * from "./runner/engines/scripted";
