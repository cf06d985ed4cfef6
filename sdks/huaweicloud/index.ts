/**
 * Thin typed bindings to huaweicloud/pulumi-huaweicloud v0.0.11 for the resources the platform uses
 * (sdks/binding.ts explains how; tests/sdks/huaweicloud.test.ts checks them against the schema facts).
 * Import a module deeply (`import * as cce from "../../sdks/huaweicloud/cce"`); this index loads every
 * module, for the conformance test.
 */
export * as cbr from "./cbr";
export * as cce from "./cce";
export * as dcs from "./dcs";
export * as dedicatedElb from "./dedicatedElb";
export * as dew from "./dew";
export * as ecs from "./ecs";
export * as iam from "./iam";
export * as lts from "./lts";
export * as nat from "./nat";
export * as obs from "./obs";
export * as sfs from "./sfs";
export * as vpc from "./vpc";
export { HUAWEICLOUD, Provider } from "./package";
