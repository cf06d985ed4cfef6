import { defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

/** KMS customer master key (DEW service) */
export const Key = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Dew/key:Key",
  inputs: {
    enterpriseProjectId: t.string,
    isEnabled: t.boolean,
    keyAlgorithm: t.string,
    keyAlias: req(t.string),
    keyDescription: t.string,
    keyUsage: t.string,
    keystoreId: t.string,
    origin: t.string,
    pendingDays: t.string,
    region: t.string,
    rotationEnabled: t.boolean,
    rotationInterval: t.integer,
    tags: t.map(t.string),
  },
  outputs: {
    keyId: t.string,
  },
});
export type Key = InstanceType<typeof Key>;
