/**
 * Volcengine `kms` resources the platform uses, as the generated SDK's sdk/nodejs/kms/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Keyring = defineResource(VOLCENGINE, {
  token: "volcengine:kms/keyring:Keyring",
  inputs: {
    description: t.string,
    keyringName: req(t.string),
    keyringType: t.string,
    projectName: t.string,
  },
  outputs: {
    trn: t.string,
  },
});

export const Key = defineResource(VOLCENGINE, {
  token: "volcengine:kms/key:Key",
  inputs: {
    customKeyStoreId: t.string,
    description: t.string,
    keyName: req(t.string),
    keySpec: t.string,
    keyUsage: t.string,
    keyringName: req(t.string),
    multiRegion: t.boolean,
    origin: t.string,
    pendingWindowInDays: t.integer,
    protectionLevel: t.string,
    rotateInterval: t.integer,
    rotateState: t.string,
    tags: t.array(
      t.object("volcengine:kms/KeyTag:KeyTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    xksKeyId: t.string,
  },
  outputs: {
    trn: t.string,
  },
});
