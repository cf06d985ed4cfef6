/**
 * AWS rules, against @pulumi/aws v7's shapes: bucket encryption, public access block, versioning
 * and logging are resources of their own (aws:s3/bucketServerSideEncryptionConfiguration, ...),
 * not inputs of aws:s3/bucket:Bucket as older packs (@pulumi/awsguard) read them.
 */
import {
  ALLOW_PUBLIC_ENDPOINT,
  exempt,
  EXEMPT_CONFIG,
  expectAt,
  isSet,
  isTrue,
  notTrue,
  checkPublicEndpoint,
} from "../checks";
import { CloudPolicies, OfficelessPolicy, ResourceView } from "../types";
import { eachKnown, valueAt } from "../views";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE =
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";
const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const SUBNET = "aws:ec2/subnet:Subnet";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const EFS = "aws:efs/fileSystem:FileSystem";

/** The buckets a bucket-level resource (`bucket` input) configures. */
function configured(resources: readonly ResourceView[], type: string, property = "bucket") {
  const out = new Map<string, ResourceView[]>();
  eachKnown(
    resources.filter((r) => r.type === type),
    (r) => {
      for (const urn of r.dependencies(property)) out.set(urn, [...(out.get(urn) ?? []), r]);
    },
  );
  return out;
}

const customerKeyBuckets: OfficelessPolicy = {
  kind: "stack",
  name: "aws-s3-customer-key",
  description:
    "Every S3 bucket has default encryption with a customer KMS key (aws:s3/bucketServerSideEncryptionConfiguration, sseAlgorithm aws:kms or aws:kms:dsse with kmsMasterKeyId); server access log targets keep SSE-S3, the only default encryption S3 log delivery supports",
  enforcementLevel: "mandatory",
  configSchema: { properties: EXEMPT_CONFIG([], "") },
  validate(stack, context, report) {
    const sse = configured(stack.resources, SSE);
    const logTargets = configured(stack.resources, LOGGING, "targetBucket");
    for (const b of stack.resources.filter((r) => r.type === BUCKET)) {
      if (exempt(context, b)) continue;
      const configs = sse.get(b.urn) ?? [];
      if (!configs.length) {
        report(`bucket ${b.name} has no server-side encryption configuration`, b.urn);
        continue;
      }
      eachKnown(configs, (c) => {
        const rules = (c.props.rules as Record<string, unknown>[] | undefined) ?? [];
        for (const rule of rules) {
          const algorithm = valueAt(rule, "applyServerSideEncryptionByDefault.sseAlgorithm");
          const key = valueAt(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId");
          if (logTargets.has(b.urn) && algorithm === "AES256") continue;
          if ((algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") || !isSet(key))
            report(
              `bucket ${b.name} is not encrypted with a customer KMS key (${String(algorithm)})`,
              b.urn,
            );
        }
        if (!rules.length)
          report(`bucket ${b.name}: encryption configuration without rules`, b.urn);
      });
    }
  },
};

const noPublicBuckets: OfficelessPolicy = {
  kind: "stack",
  name: "aws-s3-no-public-access",
  description:
    "Every S3 bucket has a public access block with all four settings on, and no public ACL",
  enforcementLevel: "mandatory",
  validate(stack, _context, report) {
    const blocks = configured(stack.resources, PUBLIC_ACCESS);
    const FLAGS = [
      "blockPublicAcls",
      "blockPublicPolicy",
      "ignorePublicAcls",
      "restrictPublicBuckets",
    ];
    eachKnown(
      stack.resources.filter((r) => r.type === BUCKET),
      (b) => {
        if (typeof b.props.acl === "string" && /^public|authenticated-read/.test(b.props.acl))
          report(`bucket ${b.name} has the ACL ${b.props.acl}`, b.urn);
        const found = blocks.get(b.urn) ?? [];
        if (!found.length) report(`bucket ${b.name} has no public access block`, b.urn);
        for (const block of found)
          for (const f of FLAGS)
            if (block.props[f] !== true)
              report(`bucket ${b.name}: public access block ${f} is not true`, b.urn);
      },
    );
  },
};

const privateEndpoint: OfficelessPolicy = {
  kind: "resource",
  name: "aws-eks-private-endpoint",
  description:
    "The EKS API is reachable privately; a public endpoint only where allowed, and never from 0.0.0.0/0",
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  configSchema: { properties: ALLOW_PUBLIC_ENDPOINT("limited to vpcConfig.publicAccessCidrs") },
  validate(r, context, report) {
    expectAt(r, "vpcConfig.endpointPrivateAccess", isTrue, "must be true", report);
    // EKS turns the public endpoint on when endpointPublicAccess is unset.
    if (valueAt(r.props, "vpcConfig.endpointPublicAccess") === false) return;
    checkPublicEndpoint(r, context, report, {
      cidrsPath: "vpcConfig.publicAccessCidrs",
      disable: "vpcConfig.endpointPublicAccess must be false",
    });
  },
};

const clusterSecrets: OfficelessPolicy = {
  kind: "resource",
  name: "aws-eks-secrets-customer-key",
  description: "Kubernetes secrets in etcd are envelope-encrypted with a customer KMS key",
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  validate(r, _context, report) {
    expectAt(r, "encryptionConfig.provider.keyArn", isSet, "must name a KMS key", report);
    expectAt(
      r,
      "encryptionConfig.resources",
      (v) => Array.isArray(v) && v.includes("secrets"),
      "must include secrets",
      report,
    );
  },
};

const imdsv2: OfficelessPolicy = {
  kind: "resource",
  name: "aws-nodes-imdsv2",
  description:
    "Node launch templates require IMDSv2 tokens, with a hop limit that keeps pods off the node's role",
  enforcementLevel: "mandatory",
  types: [LAUNCH_TEMPLATE],
  configSchema: {
    properties: {
      maxHopLimit: {
        type: "integer",
        default: 1,
        description: "Highest httpPutResponseHopLimit: 2 lets pods without Pod Identity reach IMDS",
      },
    },
  },
  validate(r, context, report) {
    expectAt(r, "metadataOptions.httpTokens", (v) => v === "required", "must be required", report);
    const max = Number(context.config.maxHopLimit ?? 1);
    expectAt(
      r,
      "metadataOptions.httpPutResponseHopLimit",
      (v) => typeof v === "number" && v <= max,
      `must be at most ${max}`,
      report,
    );
  },
};

const privateNodes: OfficelessPolicy = {
  kind: "resource",
  name: "aws-nodes-private",
  description:
    "Nodes get no public address: launch templates associate none, and no subnet maps public addresses on launch",
  enforcementLevel: "mandatory",
  types: [LAUNCH_TEMPLATE, SUBNET],
  configSchema: {
    properties: EXEMPT_CONFIG(
      [],
      "Subnets that may give instances public addresses (no node pool in them)",
    ),
  },
  validate(r, context, report) {
    if (r.type === SUBNET) {
      if (!exempt(context, r))
        expectAt(r, "mapPublicIpOnLaunch", notTrue, "must not be true", report);
      return;
    }
    const nics = (r.props.networkInterfaces as Record<string, unknown>[] | undefined) ?? [];
    nics.forEach((n, i) => {
      if (isTrue(n.associatePublicIpAddress))
        report(`networkInterfaces.${i}.associatePublicIpAddress must not be true`);
    });
  },
};

const nodeUpdates: OfficelessPolicy = {
  kind: "resource",
  name: "aws-node-updates-one-at-a-time",
  description: "Managed node group updates take at most maxUnavailable nodes down at once",
  enforcementLevel: "mandatory",
  types: [NODE_GROUP],
  configSchema: {
    properties: {
      maxUnavailable: { type: "integer", default: 1, description: "Nodes down at once" },
    },
  },
  validate(r, context, report) {
    const max = Number(context.config.maxUnavailable ?? 1);
    // Unset, EKS updates one node at a time.
    if (r.props.updateConfig === undefined) return;
    if (valueAt(r.props, "updateConfig.maxUnavailablePercentage") !== undefined)
      report("updateConfig.maxUnavailablePercentage is set: use maxUnavailable");
    const n = valueAt(r.props, "updateConfig.maxUnavailable");
    if (n !== undefined && Number(n) > max)
      report(`updateConfig.maxUnavailable is ${String(n)}; at most ${max}`);
  },
};

const cacheTls: OfficelessPolicy = {
  kind: "resource",
  name: "aws-cache-tls-and-customer-key",
  description:
    "ElastiCache replication groups require TLS in transit and encrypt at rest with a customer KMS key",
  enforcementLevel: "mandatory",
  types: [CACHE],
  validate(r, _context, report) {
    expectAt(r, "transitEncryptionEnabled", isTrue, "must be true", report);
    expectAt(
      r,
      "transitEncryptionMode",
      (v) => v === undefined || v === "required",
      "must be required",
      report,
    );
    expectAt(r, "atRestEncryptionEnabled", isTrue, "must be true", report);
    expectAt(r, "kmsKeyId", isSet, "must name a customer KMS key", report);
  },
};

const diskKeys: OfficelessPolicy = {
  kind: "resource",
  name: "aws-disks-customer-key",
  description: "EFS file systems and node volumes are encrypted with a customer KMS key",
  enforcementLevel: "mandatory",
  types: [EFS, LAUNCH_TEMPLATE],
  validate(r, _context, report) {
    if (r.type === EFS) {
      expectAt(r, "encrypted", isTrue, "must be true", report);
      return expectAt(r, "kmsKeyId", isSet, "must name a customer KMS key", report);
    }
    const devices = (r.props.blockDeviceMappings as Record<string, unknown>[] | undefined) ?? [];
    devices.forEach((d, i) => {
      if (d.ebs === undefined) return;
      if (!isTrue(valueAt(d, "ebs.encrypted")) || !isSet(valueAt(d, "ebs.kmsKeyId")))
        report(`blockDeviceMappings.${i}.ebs is not encrypted with a customer KMS key`);
    });
  },
};

const versionedTemplate: OfficelessPolicy = {
  kind: "resource",
  name: "aws-node-group-launch-template-version",
  description:
    "Node groups name their launch template's version number (its latestVersion), so a template change rolls the nodes: EKS turns $Latest or $Default into a number on read, a diff on every preview (Terraform aws_eks_node_group launch_template.version)",
  enforcementLevel: "mandatory",
  types: [NODE_GROUP],
  validate(r, _context, report) {
    if (r.props.launchTemplate === undefined) return;
    expectAt(
      r,
      "launchTemplate.version",
      (v) => (typeof v === "string" || typeof v === "number") && /^\d+$/.test(String(v)),
      "must be a version number",
      report,
    );
  },
};

export const cloudPolicies: CloudPolicies = {
  cloud: "aws",
  stateful: [],
  policies: [
    customerKeyBuckets,
    noPublicBuckets,
    privateEndpoint,
    clusterSecrets,
    imdsv2,
    privateNodes,
    nodeUpdates,
    versionedTemplate,
    cacheTls,
    diskKeys,
  ],
};
