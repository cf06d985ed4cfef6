/**
 * Upstream layer outputs as plain `pulumi.output` values with every field, the way a downstream
 * stack reads them, plus the Kubernetes provider the cluster-API components need in tests.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesOutputs } from "../components/kubernetesCluster";
import { NetworkOutputs } from "../components/network";
import { BucketPurpose, StorageOutputs } from "../components/storage";

export const CLUSTER_NAME = "officeless-test-cluster";
export const NODE_SECURITY_GROUP = "sg-0nodes";
export const VPC_ID = "vpc-0abc";
export const STORAGE_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/storage";

/** Bucket names per purpose, distinct so a policy naming the wrong one is caught. */
export const BUCKETS: Record<BucketPurpose, string> = {
  data: "officeless-test-data",
  backups: "officeless-test-backups",
  metrics: "officeless-test-metrics",
  logs: "officeless-test-logs",
  traces: "officeless-test-traces",
};

export function networkOutputs(zones: readonly string[], databaseTier = true): NetworkOutputs {
  const perZone = (prefix: string) => pulumi.output(zones.map((_, i) => `${prefix}-${i}`));
  return {
    networkId: pulumi.output(VPC_ID),
    cidr: pulumi.output("10.20.0.0/16"),
    zones: pulumi.output([...zones]),
    publicSubnetIds: perZone("subnet-public"),
    privateSubnetIds: perZone("subnet-private"),
    databaseSubnetIds: databaseTier ? perZone("subnet-database") : pulumi.output([]),
    privateRouteTableIds: perZone("rtb-private"),
    natPublicIps: pulumi.output(["203.0.113.10"]),
  };
}

export function kubernetesOutputs(version = "1.33"): KubernetesOutputs {
  return {
    clusterName: pulumi.output(CLUSTER_NAME),
    clusterId: pulumi.output(`arn:aws:eks:eu-west-1:123456789012:cluster/${CLUSTER_NAME}`),
    endpoint: pulumi.output("https://ABC.gr7.eu-west-1.eks.amazonaws.com"),
    certificateAuthority: pulumi.output("Y2E="),
    kubeconfig: pulumi.secret("{}"),
    version: pulumi.output(version),
    nodeSecurityGroupId: pulumi.output(NODE_SECURITY_GROUP),
    clusterSecurityGroupId: pulumi.output("sg-0cluster"),
    nodeIdentity: pulumi.output("arn:aws:iam::123456789012:role/nodes"),
    oidcIssuerUrl: pulumi.output("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
    encryptionKeyId: pulumi.output("arn:aws:kms:eu-west-1:123456789012:key/cluster"),
    nodePoolNames: pulumi.output(["general", "spot"]),
  };
}

export function storageOutputs(): StorageOutputs {
  return {
    blockStorageClass: pulumi.output("officeless-block"),
    fileSystemId: pulumi.output("fs-0abc"),
    fileStorageClass: pulumi.output("officeless-file"),
    buckets: pulumi.output({ ...BUCKETS }),
    encryptionKeyId: pulumi.output(STORAGE_KEY_ARN),
  };
}

/** Component options with a Kubernetes provider, as the program passes them. */
export function withKubernetes(): pulumi.ComponentResourceOptions {
  return { providers: { kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }) } };
}
