/**
 * Volcengine `nas` resources the platform uses, as the generated SDK's sdk/nodejs/nas/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, t } from "../binding";
import { VOLCENGINE } from "./package";

export const FileSystem = defineResource(VOLCENGINE, {
  token: "volcengine:nas/fileSystem:FileSystem",
  inputs: {
    capacity: req(t.integer),
    description: t.string,
    fileSystemName: req(t.string),
    projectName: t.string,
    snapshotId: t.string,
    tags: t.array(
      t.object("volcengine:nas/FileSystemTag:FileSystemTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
    zoneId: req(t.string),
  },
  outputs: {},
});

export const MountPoint = defineResource(VOLCENGINE, {
  token: "volcengine:nas/mountPoint:MountPoint",
  inputs: {
    fileSystemId: req(t.string),
    mountPointName: req(t.string),
    permissionGroupId: req(t.string),
    subnetId: req(t.string),
  },
  outputs: {
    mountPointId: t.string,
  },
});

export const PermissionGroup = defineResource(VOLCENGINE, {
  token: "volcengine:nas/permissionGroup:PermissionGroup",
  inputs: {
    description: t.string,
    permissionGroupName: req(t.string),
    permissionRules: t.array(
      t.object("volcengine:nas/PermissionGroupPermissionRule:PermissionGroupPermissionRule", {
        cidrIp: req(t.string),
        rwMode: req(t.string),
        useMode: req(t.string),
      }),
    ),
  },
  outputs: {
    permissionGroupId: t.string,
  },
});
