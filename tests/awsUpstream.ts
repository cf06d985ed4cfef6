/**
 * AWS upstream layer outputs (tests/fixtures.ts `upstreamOutputs`) with real-shaped ids, plus the
 * Kubernetes provider the cluster-API components need in tests.
 */
import { bucketsBy, upstreamOutputs } from "./fixtures";

export { withKubernetes } from "./fixtures";

export const CLUSTER_NAME = "officeless-test-cluster";
export const NODE_SECURITY_GROUP = "sg-0nodes";
export const VPC_ID = "vpc-0abc";
export const STORAGE_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/storage";

/** Bucket names per purpose, distinct so a policy naming the wrong one is caught. */
export const BUCKETS = bucketsBy((purpose) => `officeless-test-${purpose}`);

export const { networkOutputs, kubernetesOutputs, storageOutputs } = upstreamOutputs({
  network: {
    networkId: VPC_ID,
    cidr: "10.20.0.0/16",
    // One subnet and one route table per zone, by zone index.
    subnetIds: (tier, zones) => zones.map((_, i) => `subnet-${tier}-${i}`),
    privateRouteTableIds: (zones) => zones.map((_, i) => `rtb-private-${i}`),
  },
  kubernetes: {
    clusterName: CLUSTER_NAME,
    clusterId: `arn:aws:eks:eu-west-1:123456789012:cluster/${CLUSTER_NAME}`,
    endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
    nodeSecurityGroupId: NODE_SECURITY_GROUP,
    clusterSecurityGroupId: "sg-0cluster",
    nodeIdentity: "arn:aws:iam::123456789012:role/nodes",
    oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    encryptionKeyId: "arn:aws:kms:eu-west-1:123456789012:key/cluster",
  },
  storage: { fileSystemId: "fs-0abc", buckets: BUCKETS, encryptionKeyId: STORAGE_KEY_ARN },
});
