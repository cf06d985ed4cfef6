/**
 * Huawei Cloud cluster add-ons: metrics-server (the pinned chart, as on AWS) and node autoscaling by
 * the CCE Cluster Autoscaler add-on, which resizes the node pools the kubernetes layer creates with
 * `scallEnable` and per-zone bounds. Not the cluster-autoscaler chart 9.45.0: its `huaweicloud`
 * cloud provider scales ECS Auto Scaling groups, not CCE node pools (kubernetes/autoscaler
 * cluster-autoscaler/cloudprovider/huaweicloud), and 9.45.0 ships autoscaler 1.32, which supports
 * Kubernetes 1.32 only; the add-on is CCE's build of the same autoscaler for the cluster's version.
 *
 * The add-on takes its `basic` values (image registry and endpoints of the region) from CCE's
 * template for the version, and its `custom` values from the template defaults plus the cluster
 * and project ids and scale-down on; nothing derived from config, since the values may only be
 * set at creation (ForceNew in terraform-provider-huaweicloud before the add-on became updatable).
 */
import * as pulumi from "@pulumi/pulumi";
import { helmRelease, releaseLabel } from "../../components/charts";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { metricsServerValues } from "../../components/metricsServer";
import { Scope } from "../../components/types";
import * as cce from "../../sdks/huaweicloud/cce";
import * as iam from "../../sdks/huaweicloud/iam";
import { autoscalerVersion } from "./catalog";

export { AUTOSCALER_ADDON_VERSIONS, autoscalerVersion } from "./catalog";

/** What `nodeAutoscaler` reports on CCE. */
export const CCE_NODE_AUTOSCALER = "cce-autoscaler-addon";
export const AUTOSCALER_TEMPLATE = "autoscaler";

interface TemplateSpec {
  basic?: Record<string, unknown>;
  parameters?: { custom?: Record<string, unknown> };
}

/** The add-on's values: the template's basic values, its custom defaults with this cluster's ids. */
export function autoscalerValues(spec: string, clusterId: string, projectId: string) {
  const template = JSON.parse(spec) as TemplateSpec;
  return {
    basicJson: JSON.stringify(template.basic ?? {}),
    customJson: JSON.stringify({
      ...(template.parameters?.custom ?? {}),
      cluster_id: clusterId,
      tenant_id: projectId,
      scaleDownEnabled: true,
      scaleUpUnscheduledPodEnabled: true,
    }),
  };
}

export function huaweiAddons(scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs {
  const opts = { parent: scope.parent };
  // Checked now for the configured minor; installed for the cluster's running one, which moves with
  // CCE's in-place upgrade (the kubernetes layer ignores config version changes).
  const configured = args.kubernetesConfig.autoscalerAddonVersion;
  autoscalerVersion(args.kubernetesConfig.version, configured);
  // A configured build belongs to the configured minor; after an in-place upgrade to another minor
  // it is refused here (naming the key) rather than sent to CCE.
  const version = args.kubernetes.version.apply((v) =>
    autoscalerVersion(v.split(".").slice(0, 2).join("."), configured),
  );
  const highAvailability = args.environment === "prod";
  // The add-on's pods need nodes: the kubeconfig output resolves once the node pools exist.
  // (The id is no secret; only the kubeconfig it waits for is.)
  const clusterId = pulumi.unsecret(
    pulumi.all([args.kubernetes.clusterId, args.kubernetes.kubeconfig]).apply(([id]) => id),
  );
  const template = cce.getAddonTemplate({ clusterId, name: AUTOSCALER_TEMPLATE, version }, opts);
  const project = iam.getProjects({ name: args.region }, opts);
  const autoscaler = new cce.Addon(
    `${scope.name}-autoscaler`,
    {
      clusterId,
      templateName: AUTOSCALER_TEMPLATE,
      version,
      values: pulumi
        .all([template.spec, clusterId, project.projects])
        .apply(([spec, id, projects]) => {
          const projectId = projects?.[0]?.id;
          if (!projectId) throw new Error(`IAM reports no project named ${args.region}`);
          return autoscalerValues(spec, id, projectId);
        }),
    },
    opts,
  );

  const metricsServer = helmRelease(
    scope,
    "metrics-server",
    {
      chart: "metricsServer",
      namespace: "kube-system",
      createNamespace: false,
      values: metricsServerValues(highAvailability),
    },
    { dependsOn: args.servicesAfter ?? [] },
  );
  return {
    releases: pulumi.all([releaseLabel(metricsServer, "metricsServer")]),
    nodeAutoscaler: autoscaler.id.apply(() => CCE_NODE_AUTOSCALER),
  };
}
