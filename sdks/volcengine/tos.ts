/**
 * Volcengine `tos` resources the platform uses, as the generated SDK's sdk/nodejs/tos/ declares them
 * (tests/sdks/volcengine.conformance.test.ts checks them against the schema facts).
 */
import { defineResource, req, t } from "../binding";
import { VOLCENGINE } from "./package";

export const Bucket = defineResource(VOLCENGINE, {
  token: "volcengine:tos/bucket:Bucket",
  inputs: {
    accountAcls: t.array(
      t.object("volcengine:tos/BucketAccountAcl:BucketAccountAcl", {
        accountId: req(t.string),
        aclType: t.string,
        permission: req(t.string),
      }),
    ),
    azRedundancy: t.string,
    bucketAclDelivered: t.boolean,
    bucketName: req(t.string),
    bucketType: t.string,
    enableVersion: t.boolean,
    projectName: t.string,
    publicAcl: t.string,
    storageClass: t.string,
    tags: t.array(
      t.object("volcengine:tos/BucketTag:BucketTag", {
        key: req(t.string),
        value: req(t.string),
      }),
    ),
  },
  outputs: {
    intranetEndpoint: t.string,
    extranetEndpoint: t.string,
  },
});

export const BucketLifecycle = defineResource(VOLCENGINE, {
  token: "volcengine:tos/bucketLifecycle:BucketLifecycle",
  inputs: {
    bucketName: req(t.string),
    rules: req(
      t.array(
        t.object("volcengine:tos/BucketLifecycleRule:BucketLifecycleRule", {
          abortIncompleteMultipartUpload: t.object(
            "volcengine:tos/BucketLifecycleRuleAbortIncompleteMultipartUpload:BucketLifecycleRuleAbortIncompleteMultipartUpload",
            {
              daysAfterInitiation: req(t.integer),
            },
          ),
          expiration: t.object(
            "volcengine:tos/BucketLifecycleRuleExpiration:BucketLifecycleRuleExpiration",
            {
              date: t.string,
              days: t.integer,
            },
          ),
          filter: t.object("volcengine:tos/BucketLifecycleRuleFilter:BucketLifecycleRuleFilter", {
            greaterThanIncludeEqual: t.string,
            lessThanIncludeEqual: t.string,
            objectSizeGreaterThan: t.integer,
            objectSizeLessThan: t.integer,
          }),
          id: t.string,
          nonCurrentVersionExpiration: t.object(
            "volcengine:tos/BucketLifecycleRuleNonCurrentVersionExpiration:BucketLifecycleRuleNonCurrentVersionExpiration",
            {
              nonCurrentDays: req(t.integer),
            },
          ),
          nonCurrentVersionTransitions: t.array(
            t.object(
              "volcengine:tos/BucketLifecycleRuleNonCurrentVersionTransition:BucketLifecycleRuleNonCurrentVersionTransition",
              {
                nonCurrentDays: req(t.integer),
                storageClass: req(t.string),
              },
            ),
          ),
          prefix: t.string,
          status: req(t.string),
          tags: t.array(
            t.object("volcengine:tos/BucketLifecycleRuleTag:BucketLifecycleRuleTag", {
              key: req(t.string),
              value: req(t.string),
            }),
          ),
          transitions: t.array(
            t.object("volcengine:tos/BucketLifecycleRuleTransition:BucketLifecycleRuleTransition", {
              date: t.string,
              days: t.integer,
              storageClass: t.string,
            }),
          ),
        }),
      ),
    ),
  },
  outputs: {},
});

export const BucketEncryption = defineResource(VOLCENGINE, {
  token: "volcengine:tos/bucketEncryption:BucketEncryption",
  inputs: {
    bucketName: req(t.string),
    rule: req(
      t.object("volcengine:tos/BucketEncryptionRule:BucketEncryptionRule", {
        applyServerSideEncryptionByDefault: req(
          t.object(
            "volcengine:tos/BucketEncryptionRuleApplyServerSideEncryptionByDefault:BucketEncryptionRuleApplyServerSideEncryptionByDefault",
            {
              kmsDataEncryption: t.string,
              kmsMasterKeyId: t.string,
              sseAlgorithm: req(t.string),
            },
          ),
        ),
      }),
    ),
  },
  outputs: {},
});
