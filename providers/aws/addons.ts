/**
 * AWS cluster add-ons: metrics-server, and cluster-autoscaler discovering the node groups' Auto
 * Scaling groups by tag, running as a Pod Identity role that may only resize this cluster's groups.
 */
import * as pulumi from "@pulumi/pulumi";
import { helmRelease, releaseLabel } from "../../components/charts";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { metricsServerValues } from "../../components/metricsServer";
import {
  CLUSTER_AUTOSCALER_IMAGE_TAGS,
  CLUSTER_AUTOSCALER_METRICS_VALUES,
  clusterAutoscalerImageTag,
} from "../../components/clusterAutoscaler";
import { Scope } from "../../components/types";
import { PolicyStatement, podIdentityRole } from "./common";

export { metricsServerValues };

const ADDONS_NAMESPACE = "kube-system";
/** Fixed so the Pod Identity association and the chart agree on it. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

// The release table is shared by every cloud's autoscaler; re-exported where AWS has always had it.
export { CLUSTER_AUTOSCALER_IMAGE_TAGS, clusterAutoscalerImageTag };

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
    ...CLUSTER_AUTOSCALER_METRICS_VALUES,
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
