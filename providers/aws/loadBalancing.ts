/**
 * AWS load balancing: the AWS Load Balancer Controller, which turns Ingresses of class `alb` into
 * ALBs and LoadBalancer Services into NLBs, running as its own Pod Identity role with the
 * upstream IAM policy.
 */
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../components/charts";
import { scrapeAnnotations } from "../../components/observabilityCollectors";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";
import { awsAccount, PolicyStatement, podIdentityRole } from "./common";
// docs/install/iam_policy.json of kubernetes-sigs/aws-load-balancer-controller, unedited.
import upstreamPolicy from "./policies/aws-load-balancer-controller.json";

export const LOAD_BALANCER_CONTROLLER_NAMESPACE = "kube-system";
/** Fixed so the Pod Identity association and the chart agree on it. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** The IngressClass the chart creates (`createIngressClassResource`, `ingressClass`). */
export const ALB_INGRESS_CLASS = "alb";

/**
 * The upstream policy's statements with their `arn:aws:` ARNs moved to the deploying partition
 * (the file is written for the commercial one), unchanged otherwise.
 */
export function loadBalancerControllerStatements(
  partition: pulumi.Input<string>,
): PolicyStatement[] {
  const inPartition = (arn: string): pulumi.Output<string> =>
    pulumi.output(partition).apply((p) => arn.replace(/^arn:aws:/, `arn:${p}:`));
  return (upstreamPolicy.Statement as unknown as PolicyStatement[]).map((statement) => ({
    ...statement,
    Resource: Array.isArray(statement.Resource)
      ? (statement.Resource as string[]).map(inPartition)
      : inPartition(statement.Resource as string),
  }));
}

/**
 * Webhook settings: the chart's Service mutator (`mservice.elbv2.k8s.aws`, templates/webhook.yaml)
 * matches every Service CREATE in every namespace with `failurePolicy: Fail`, so while the
 * controller is down or starting no Service can be created anywhere. `Ignore` lets Services through
 * then; the cost is that a LoadBalancer Service created in that window misses the default
 * `service.k8s.aws/nlb` class (set `spec.loadBalancerClass` explicitly to be independent of it).
 * The pod mutator is `Ignore` upstream already and only for opted-in namespaces.
 */
export const LOAD_BALANCER_CONTROLLER_WEBHOOK_VALUES = {
  enableServiceMutatorWebhook: true,
  serviceMutatorWebhookConfig: { failurePolicy: "Ignore" },
} as const;

export function awsLoadBalancing(scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs {
  const { partition } = awsAccount(scope);
  const identity = podIdentityRole(scope, "lb-controller", {
    clusterName: args.kubernetes.clusterName,
    namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
    serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    statements: loadBalancerControllerStatements(partition),
  });
  const release = helmRelease(
    scope,
    "lb-controller",
    {
      chart: "awsLoadBalancerController",
      namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
      createNamespace: false,
      values: {
        clusterName: args.kubernetes.clusterName,
        // Set explicitly: with IMDSv2 hop limit 1 the controller cannot discover them itself.
        region: args.region,
        vpcId: args.network.networkId,
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
        // Its controller metrics (metricsBindAddr's default :8080) for the collectors.
        podAnnotations: scrapeAnnotations(8080),
        createIngressClassResource: true,
        ingressClass: ALB_INGRESS_CLASS,
        ...LOAD_BALANCER_CONTROLLER_WEBHOOK_VALUES,
      },
    },
    // Pod Identity credentials are injected at pod creation: the association must exist first.
    { dependsOn: [identity.association] },
  );
  return {
    ingressClassName: release.status.apply(() => ALB_INGRESS_CLASS),
    controllerNamespace: release.namespace,
  };
}
