/**
 * Typed bindings to the Volcengine Pulumi provider (volcengine/pulumi-volcengine v0.0.47), whose
 * Node.js SDK is not installable here: one module per provider module, imported deeply
 * (`import * as vke from "../../sdks/volcengine/vke"`) like the real SDKs, so a program loads only
 * what it uses. This index loads them all, for the conformance test.
 */
export * as clb from "./clb";
export * as eip from "./eip";
export * as iam from "./iam";
export * as kms from "./kms";
export * as nas from "./nas";
export * as nat from "./nat";
export { VOLCENGINE } from "./package";
export { Provider } from "./provider";
export * as redis from "./redis";
export * as tos from "./tos";
export * as vke from "./vke";
export * as vpc from "./vpc";
export * as vpn from "./vpn";
