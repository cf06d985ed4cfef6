/**
 * Volcengine load balancing: a private CLB in the private subnets (master and standby zone), and
 * Traefik as the ingress controller, whose LoadBalancer Service VKE's cloud controller binds to
 * that CLB (`service.beta.kubernetes.io/volcengine-loadbalancer-id`, "Configuring a LoadBalancer
 * Service using annotations", VKE docs). Private by default: the CCM would otherwise create a
 * PUBLIC CLB for the Service. The CLB is ours, so destroy deletes it; the listeners the CCM adds go
 * with it. Why not the VKE ingress-nginx add-on: ingress-nginx is retired, and the add-on's config
 * cannot be updated after creation (terraform-provider-volcengine vke_addon docs).
 */
import * as pulumi from "@pulumi/pulumi";
import { scrapeAnnotations } from "../../components/observabilityCollectors";
import { helmRelease } from "../../components/charts";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";
import * as clb from "../../sdks/volcengine/clb";
import { nameOf, volcTags } from "./common";

export const TRAEFIK_NAMESPACE = "traefik";
export const INGRESS_CLASS = "traefik";
/** The annotation that binds a LoadBalancer Service to an existing CLB. */
export const CLB_ID_ANNOTATION = "service.beta.kubernetes.io/volcengine-loadbalancer-id";

/** Traefik's values: the Service on our CLB, two replicas (three in prod) spread over zones. */
export function traefikValues(clbId: string, highAvailability: boolean): Record<string, unknown> {
  const replicas = highAvailability ? 3 : 2;
  return {
    // Traefik's Prometheus metrics (on by default, entry point `metrics`, 9100) to the collectors.
    deployment: { replicas, podAnnotations: scrapeAnnotations(9100, { container: "traefik" }) },
    ingressClass: { enabled: true, isDefaultClass: true, name: INGRESS_CLASS },
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    service: { annotations: { [CLB_ID_ANNOTATION]: clbId } },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
      },
    ],
  };
}

export function volcengineLoadBalancing(
  scope: Scope,
  args: LoadBalancingArgs,
): LoadBalancingOutputs {
  const zones = args.network.zones;
  const balancer = new clb.Clb(
    `${scope.name}-clb`,
    {
      loadBalancerName: nameOf(scope, "ingress"),
      type: "private",
      subnetId: args.network.privateSubnetIds.apply((ids) => ids[0]),
      vpcId: args.network.networkId,
      loadBalancerSpec: "small_1",
      loadBalancerBillingType: "PostPaid",
      masterZoneId: zones.apply((z) => z[0]),
      // A standby zone when there are two: the CLB fails over to it.
      slaveZoneId: zones.apply((z) => z[1] as string),
      description: `${scope.name}: ingress (private)`,
      tags: volcTags(scope.tags),
    },
    { parent: scope.parent },
  );
  const release = helmRelease(scope, "traefik", {
    chart: "traefik",
    namespace: TRAEFIK_NAMESPACE,
    releaseName: "traefik",
    values: balancer.id.apply((id) => traefikValues(id, args.environment === "prod")),
  });
  return {
    ingressClassName: release.status.apply(() => INGRESS_CLASS),
    controllerNamespace: pulumi.output(TRAEFIK_NAMESPACE),
  };
}
