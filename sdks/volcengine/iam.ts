/**
 * Volcengine `iam` resources the platform uses, as the generated SDK's sdk/nodejs/iam/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineFunction, defineResource, req, secret, t } from "../binding";
import { VOLCENGINE } from "./package";

export const User = defineResource(VOLCENGINE, {
  token: "volcengine:iam/user:User",
  inputs: {
    description: t.string,
    displayName: t.string,
    email: t.string,
    mobilePhone: t.string,
    userName: req(t.string),
  },
  outputs: {
    trn: t.string,
    accountId: t.string,
  },
});

export const AccessKey = defineResource(VOLCENGINE, {
  token: "volcengine:iam/accessKey:AccessKey",
  inputs: {
    pgpKey: t.string,
    secretFile: t.string,
    status: t.string,
    userName: t.string,
  },
  outputs: {
    secret: secret(t.string),
  },
});

export const Policy = defineResource(VOLCENGINE, {
  token: "volcengine:iam/policy:Policy",
  inputs: {
    description: t.string,
    policyDocument: req(t.string),
    policyName: req(t.string),
  },
  outputs: {
    policyTrn: t.string,
    policyType: t.string,
  },
});

export const UserPolicyAttachment = defineResource(VOLCENGINE, {
  token: "volcengine:iam/userPolicyAttachment:UserPolicyAttachment",
  inputs: {
    policyName: req(t.string),
    policyType: req(t.string),
    userName: req(t.string),
  },
  outputs: {},
});

/**
 * The account's IAM roles by name (`roleName` takes several, comma separated; IAM ListRoles). The
 * deprecated-style token `iam/roles:Roles` is the one every v0.0.x SDK carries (later SDKs add
 * `iam/getRoles:getRoles` beside it).
 */
export const roles = defineFunction(VOLCENGINE, {
  token: "volcengine:iam/roles:Roles",
  inputs: {
    nameRegex: t.string,
    outputFile: t.string,
    query: t.string,
    roleName: t.string,
  },
  outputs: {
    roles: t.array(
      t.object("volcengine:iam/RolesRole:RolesRole", {
        roleName: t.string,
        trn: t.string,
      }),
    ),
    totalCount: t.integer,
  },
});
