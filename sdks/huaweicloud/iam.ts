import { defineFunction, defineResource, req, secret, t } from "../binding";
import { HUAWEICLOUD } from "./package";

/**  */
export const User = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Iam/user:User",
  inputs: {
    accessType: t.string,
    countryCode: t.string,
    description: t.string,
    email: t.string,
    enabled: t.boolean,
    name: t.string,
    password: secret(t.string),
    phone: t.string,
    pwdReset: t.boolean,
  },
  outputs: {},
});
export type User = InstanceType<typeof User>;

/**  */
export const Group = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Iam/group:Group",
  inputs: {
    description: t.string,
    name: t.string,
  },
  outputs: {},
});
export type Group = InstanceType<typeof Group>;

/**  */
export const GroupMembership = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Iam/groupMembership:GroupMembership",
  inputs: {
    group: req(t.string),
    users: req(t.array(t.string)),
  },
  outputs: {},
});
export type GroupMembership = InstanceType<typeof GroupMembership>;

/**  */
export const Role = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Iam/role:Role",
  inputs: {
    description: req(t.string),
    name: t.string,
    policy: req(t.string),
    type: req(t.string),
  },
  outputs: {},
});
export type Role = InstanceType<typeof Role>;

/**  */
export const GroupRoleAssignment = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Iam/groupRoleAssignment:GroupRoleAssignment",
  inputs: {
    domainId: t.string,
    enterpriseProjectId: t.string,
    groupId: req(t.string),
    projectId: t.string,
    roleId: req(t.string),
  },
  outputs: {},
});
export type GroupRoleAssignment = InstanceType<typeof GroupRoleAssignment>;

/**  */
export const AccessKey = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Iam/accessKey:AccessKey",
  inputs: {
    description: t.string,
    pgpKey: t.string,
    secretFile: t.string,
    status: t.string,
    userId: req(t.string),
  },
  outputs: {
    secret: secret(t.string),
    userName: t.string,
  },
});
export type AccessKey = InstanceType<typeof AccessKey>;

/** Projects by name: the region's project id (CCE add-ons' `tenant_id`). */
export const getProjects = defineFunction(HUAWEICLOUD, {
  token: "huaweicloud:Iam/getProjects:getProjects",
  inputs: { name: t.string },
  outputs: {
    projects: t.array(
      t.object("huaweicloud:Iam/getProjectsProject:getProjectsProject", {
        id: t.string,
        name: t.string,
        enabled: t.boolean,
      }),
    ),
  },
});

/**
 * A custom policy by id: its `domainId` is the account's domain, which global-service (AX) grants
 * are assigned in (the provider has no other data source that reports it).
 */
export const getCustomRole = defineFunction(HUAWEICLOUD, {
  token: "huaweicloud:Iam/getCustomRole:getCustomRole",
  inputs: { id: t.string, name: t.string },
  outputs: { domainId: t.string, type: t.string },
});
