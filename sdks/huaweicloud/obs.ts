import { defineResource, req, t } from "../binding";
import { HUAWEICLOUD } from "./package";

/** Lifecycle rule parts share two property sets under their own type tokens. */
const days = { days: req(t.integer) } as const;
const transition = { days: req(t.integer), storageClass: req(t.string) } as const;
const bucketCorsRule = t.object("huaweicloud:Obs/BucketCorsRule:BucketCorsRule", {
  allowedHeaders: t.array(t.string),
  allowedMethods: req(t.array(t.string)),
  allowedOrigins: req(t.array(t.string)),
  exposeHeaders: t.array(t.string),
  maxAgeSeconds: t.integer,
});
const bucketLifecycleRuleAbortIncompleteMultipartUpload = t.object(
  "huaweicloud:Obs/BucketLifecycleRuleAbortIncompleteMultipartUpload:BucketLifecycleRuleAbortIncompleteMultipartUpload",
  days,
);
const bucketLifecycleRuleExpiration = t.object(
  "huaweicloud:Obs/BucketLifecycleRuleExpiration:BucketLifecycleRuleExpiration",
  days,
);
const bucketLifecycleRuleNoncurrentVersionExpiration = t.object(
  "huaweicloud:Obs/BucketLifecycleRuleNoncurrentVersionExpiration:BucketLifecycleRuleNoncurrentVersionExpiration",
  days,
);
const bucketLifecycleRuleNoncurrentVersionTransition = t.object(
  "huaweicloud:Obs/BucketLifecycleRuleNoncurrentVersionTransition:BucketLifecycleRuleNoncurrentVersionTransition",
  transition,
);
const bucketLifecycleRuleTransition = t.object(
  "huaweicloud:Obs/BucketLifecycleRuleTransition:BucketLifecycleRuleTransition",
  transition,
);
const bucketLifecycleRule = t.object("huaweicloud:Obs/BucketLifecycleRule:BucketLifecycleRule", {
  abortIncompleteMultipartUploads: t.array(bucketLifecycleRuleAbortIncompleteMultipartUpload),
  enabled: req(t.boolean),
  expirations: t.array(bucketLifecycleRuleExpiration),
  name: req(t.string),
  noncurrentVersionExpirations: t.array(bucketLifecycleRuleNoncurrentVersionExpiration),
  noncurrentVersionTransitions: t.array(bucketLifecycleRuleNoncurrentVersionTransition),
  prefix: t.string,
  transitions: t.array(bucketLifecycleRuleTransition),
});
const bucketLogging = t.object("huaweicloud:Obs/BucketLogging:BucketLogging", {
  agency: t.string,
  targetBucket: req(t.string),
  targetPrefix: t.string,
});
const bucketWebsite = t.object("huaweicloud:Obs/BucketWebsite:BucketWebsite", {
  errorDocument: t.string,
  indexDocument: t.string,
  redirectAllRequestsTo: t.string,
  routingRules: t.string,
});

/** OBS object storage bucket with inline policy features (lifecycle, encryption, versioning, CORS) */
export const Bucket = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Obs/bucket:Bucket",
  inputs: {
    acl: t.string,
    bucket: req(t.string),
    corsRules: t.array(bucketCorsRule),
    encryption: t.boolean,
    enterpriseProjectId: t.string,
    forceDestroy: t.boolean,
    kmsKeyId: t.string,
    kmsKeyProjectId: t.string,
    lifecycleRules: t.array(bucketLifecycleRule),
    loggings: t.array(bucketLogging),
    multiAz: t.boolean,
    parallelFs: t.boolean,
    policy: t.string,
    policyFormat: t.string,
    quota: t.integer,
    region: t.string,
    sseAlgorithm: t.string,
    storageClass: t.string,
    tags: t.map(t.string),
    userDomainNames: t.array(t.string),
    versioning: t.boolean,
    website: bucketWebsite,
  },
  outputs: {
    bucketDomainName: t.string,
  },
});
export type Bucket = InstanceType<typeof Bucket>;

/** Bucket policy, a resource of its own: the bucket's `policy` input is Optional+Computed, so the two do not fight. */
export const BucketPolicy = defineResource(HUAWEICLOUD, {
  token: "huaweicloud:Obs/bucketPolicy:BucketPolicy",
  inputs: {
    bucket: req(t.string),
    policy: req(t.string),
    policyFormat: t.string,
    region: t.string,
  },
  outputs: {},
});
export type BucketPolicy = InstanceType<typeof BucketPolicy>;
