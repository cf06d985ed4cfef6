/**
 * The explicit provider resource (`pulumi:providers:volcengine`). The platform uses the default
 * provider (stack config `volcengine:region`, credentials from VOLCENGINE_ACCESS_KEY /
 * VOLCENGINE_SECRET_KEY); this class is for programs that need a second region or account. Inputs
 * as sdk/nodejs/provider.ts at v0.0.47; the object and boolean inputs go as JSON strings there too.
 */
import { defineProvider, req, secret, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Provider = defineProvider(
  VOLCENGINE,
  {
    accessKey: secret(t.string),
    assumeRole: t.object("volcengine:index/ProviderAssumeRole:ProviderAssumeRole", {
      assumeRoleSessionName: req(t.string),
      assumeRoleTrn: req(t.string),
      durationSeconds: req(t.integer),
      policy: t.string,
    }),
    assumeRoleWithOidc: t.object(
      "volcengine:index/ProviderAssumeRoleWithOidc:ProviderAssumeRoleWithOidc",
      {
        durationSeconds: req(t.integer),
        oidcToken: secret(req(t.string)),
        policy: t.string,
        roleSessionName: req(t.string),
        roleTrn: req(t.string),
      },
    ),
    customerEndpointSuffix: t.string,
    customerEndpoints: t.string,
    customerHeaders: t.string,
    disableSsl: t.boolean,
    enableStandardEndpoint: t.boolean,
    endpoint: t.string,
    proxyUrl: t.string,
    region: t.string,
    secretKey: secret(t.string),
    sessionToken: secret(t.string),
  },
  ["assumeRole", "assumeRoleWithOidc", "disableSsl", "enableStandardEndpoint"],
);
