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
// `officeless export pko`, and the operator's own release for a management cluster.
export * from "./pko/export";
export * from "./pko/operator";
// `officeless bootstrap`: the state store per cloud, its URLs, and the project config the runner reads.
export {
  bootstrapNames,
  bootstrapUrls,
  BOOTSTRAP_CLOUDS,
  type BootstrapCloud,
  type BootstrapTarget,
} from "./bootstrap/names";
export {
  planBootstrap,
  renderBootstrapPlan,
  runBootstrap,
  type BootstrapRequest,
  type BootstrapResult,
} from "./bootstrap/run";
export {
  readProjectConfig,
  writeProjectConfig,
  type ProjectConfig,
} from "./bootstrap/projectConfig";
