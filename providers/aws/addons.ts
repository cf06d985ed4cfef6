/**
 * AWS cluster add-ons: metrics-server, and cluster-autoscaler discovering the node groups' Auto
 * Scaling groups by tag, running as a Pod Identity role that may only resize this cluster's groups.
 */
import * as pulumi from "@pulumi/pulumi";
import { helmRelease, releaseLabel } from "../../components/charts";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { Issue, ValidationError } from "../../components/validation";
import { metricsServerValues } from "../../components/metricsServer";
import { Scope } from "../../components/types";
import { PolicyStatement, podIdentityRole } from "./common";

export { metricsServerValues };

const ADDONS_NAMESPACE = "kube-system";
/** Fixed so the Pod Identity association and the chart agree on it. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/**
 * The cluster-autoscaler release for each Kubernetes minor: the autoscaler's scheduler simulation
 * is compiled against one minor and is only supported on it. Chart 9.45.0 ships v1.32.0, wrong for
 * any other minor. Latest patch of each line, from the kubernetes/autoscaler releases.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  // Released 2026-07-23 (kubernetes/autoscaler cluster-autoscaler-1.35.2 / -1.36.1).
  "1.35": "v1.35.2",
  "1.36": "v1.36.1",
};

/** The autoscaler image tag for a cluster minor (`1.36` -> `v1.36.1`); throws for an unmapped minor. */
export function clusterAutoscalerImageTag(kubernetesVersion: string): string {
  const minor = /^(\d+\.\d+)(\.\d+)?$/.exec(kubernetesVersion)?.[1];
  const tag = minor === undefined ? undefined : CLUSTER_AUTOSCALER_IMAGE_TAGS[minor];
  if (tag === undefined) {
    const issue: Issue = {
      path: "kubernetesConfig.version",
      value: kubernetesVersion,
      message:
        `has no cluster-autoscaler release mapped; known minors: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}. ` +
        "Add the matching v1.<minor>.x tag to CLUSTER_AUTOSCALER_IMAGE_TAGS in providers/aws/addons.ts",
    };
    throw new ValidationError([issue], "args.", "Invalid ClusterAddons arguments");
  }
  return tag;
}

/**
 * The autoscaler's permissions, after the cluster-autoscaler AWS README: read-only discovery on
 * everything (these calls have no resource-level permissions), and resizing or terminating only in
 * Auto Scaling groups tagged `k8s.io/cluster-autoscaler/<cluster>=owned` (EKS tags managed node groups' groups so).
 */
export function clusterAutoscalerStatements(clusterName: pulumi.Input<string>): PolicyStatement[] {
  // The tag key holds the cluster name, so the whole condition block waits for it.
  const ownedByCluster = pulumi
    .output(clusterName)
    .apply((name) => ({ [`aws:ResourceTag/k8s.io/cluster-autoscaler/${name}`]: "owned" }));
  return [
    {
      Sid: "DiscoverNodeGroups",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      Resource: "*",
    },
    {
      Sid: "ScaleOwnNodeGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: ownedByCluster },
    },
  ];
}

/** cluster-autoscaler values for AWS with tag auto-discovery of this cluster's groups. */
export function clusterAutoscalerValues(args: {
  clusterName: pulumi.Input<string>;
  region: string;
  kubernetesVersion: string;
}): Record<string, unknown> {
  return {
    cloudProvider: "aws",
    awsRegion: args.region,
    // Renders --node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/<name>.
    autoDiscovery: { clusterName: args.clusterName },
    image: { tag: clusterAutoscalerImageTag(args.kubernetesVersion) },
    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
    extraArgs: {
      // Per-zone node groups of one pool stay balanced, so zonal volumes always find a node.
      "balance-similar-node-groups": true,
      expander: "least-waste",
      "skip-nodes-with-local-storage": false,
    },
  };
}

export function awsAddons(scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs {
  // Fail on an unmapped minor before any child exists.
  const caValues = clusterAutoscalerValues({
    clusterName: args.kubernetes.clusterName,
    region: args.region,
    kubernetesVersion: args.kubernetesConfig.version,
  });
  const highAvailability = args.environment === "prod";
  // Both charts create Services: after the Load Balancer Controller's webhook serves (depending on
  // its component waits for every child, the atomic release included).
  const servicesAfter = args.servicesAfter ?? [];

  const metricsServer = helmRelease(
    scope,
    "metrics-server",
    {
      chart: "metricsServer",
      namespace: ADDONS_NAMESPACE,
      createNamespace: false,
      values: metricsServerValues(highAvailability),
    },
    { dependsOn: servicesAfter },
  );

  const identity = podIdentityRole(scope, "cluster-autoscaler", {
    clusterName: args.kubernetes.clusterName,
    namespace: ADDONS_NAMESPACE,
    serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
    statements: clusterAutoscalerStatements(args.kubernetes.clusterName),
  });
  const clusterAutoscaler = helmRelease(
    scope,
    "cluster-autoscaler",
    {
      chart: "clusterAutoscaler",
      namespace: ADDONS_NAMESPACE,
      createNamespace: false,
      values: caValues,
    },
    // Pod Identity credentials are injected at pod creation: the association must exist first.
    { dependsOn: [identity.association, ...servicesAfter] },
  );

  return {
    releases: pulumi.all([
      releaseLabel(metricsServer, "metricsServer"),
      releaseLabel(clusterAutoscaler, "clusterAutoscaler"),
    ]),
    nodeAutoscaler: pulumi.output("cluster-autoscaler"),
  };
}
