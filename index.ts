/**
 * @officeless/platform: Pulumi components for one production Kubernetes platform on eight targets.
 * Components stay cloud-agnostic; `cloud` in their args picks the backend from the registry.
 */
export * from "./components";
export * from "./providers";
export { parseConfig, loadConfig } from "./programs/config";
export { runProgram } from "./programs/program";
