import { defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

/**  */
export const Group = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Lts/group:Group",
  inputs: {
    groupName: req(t.string),
    region: t.string,
    ttlInDays: req(t.integer),
  },
  outputs: {},
});
export type Group = InstanceType<typeof Group>;

/**  */
export const Stream = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Lts/stream:Stream",
  inputs: {
    enterpriseProjectId: t.string,
    groupId: req(t.string),
    region: t.string,
    streamName: req(t.string),
    tags: t.map(t.string),
    ttlInDays: t.integer,
  },
  outputs: {},
});
export type Stream = InstanceType<typeof Stream>;
