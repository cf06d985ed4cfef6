/**
 * OCI cluster add-ons: metrics-server as OKE's managed `KubernetesMetricsServer` add-on, the
 * cluster-autoscaler chart 9.45.0 (the seed's pin) with `cloudProvider: oci` managing each node pool
 * by OCID (`autoscalingGroups` renders `--nodes=<min>:<max>:<ocid>`; the chart's OCI settings block
 * is in its `gce` branch and never renders, so the workload identity switches go through
 * `extraEnv`), running as an OKE workload identity granted the statements OKE documents for it,
 * and balancing similar pools while ignoring the labels that differ per node (OKE's list). The
 * self-managed chart rather than OKE's ClusterAutoscaler add-on: the platform pins the chart and
 * the image per Kubernetes minor the same way on every cloud that runs it. Cluster admins
 * (`kubernetes.adminPrincipals`, IAM group OCIDs) are bound to cluster-admin: OKE maps a user's
 * groups to Kubernetes groups by OCID.
 */
import * as k8s from "@pulumi/kubernetes";
import * as containerengine from "@pulumi/oci/containerengine";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease, releaseLabel } from "../../components/charts";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import {
  CLUSTER_AUTOSCALER_METRICS_VALUES,
  clusterAutoscalerImageTag,
} from "../../components/clusterAutoscaler";
import { Scope } from "../../components/types";
import { iamOptions, inCompartment, ociSettings, policy } from "./common";
import { workloadCondition, workloadStatements } from "./loadBalancing";

export const ADDONS_NAMESPACE = "kube-system";
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/** What the autoscaler may do (OKE docs, "Using the Kubernetes Cluster Autoscaler", workload identity). */
export const AUTOSCALER_PERMISSIONS = [
  "manage cluster-node-pools",
  "manage instance-family",
  "use subnets",
  "read virtual-network-family",
  "use vnics",
  "inspect compartments",
];

/** Labels that differ between otherwise identical nodes (OKE's cluster-autoscaler manifest). */
export const BALANCING_IGNORE_LABELS = [
  "displayName",
  "hostname",
  "internal_addr",
  "oci.oraclecloud.com/fault-domain",
];

export interface AutoscaledPool {
  readonly id: string;
  readonly minSize: number;
  readonly maxSize: number;
}

/** cluster-autoscaler values for OKE node pools, one `--nodes` per pool, workload identity. */
export function clusterAutoscalerValues(args: {
  pools: readonly AutoscaledPool[];
  region: string;
  compartmentId: string;
  kubernetesVersion: string;
  highAvailability: boolean;
}): Record<string, unknown> {
  return {
    cloudProvider: "oci",
    autoscalingGroups: args.pools.map((p) => ({
      name: p.id,
      minSize: p.minSize,
      maxSize: p.maxSize,
    })),
    image: { tag: clusterAutoscalerImageTag(args.kubernetesVersion) },
    replicaCount: args.highAvailability ? 2 : 1,
    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
    ...CLUSTER_AUTOSCALER_METRICS_VALUES,
    extraEnv: {
      OKE_USE_INSTANCE_PRINCIPAL: "false",
      OCI_USE_WORKLOAD_IDENTITY: "true",
      OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
      OCI_RESOURCE_PRINCIPAL_REGION: args.region,
      OCI_COMPARTMENT_ID: args.compartmentId,
      OCI_SDK_APPEND_USER_AGENT: "oci-oke-cluster-autoscaler",
    },
    extraArgs: {
      "balance-similar-node-groups": true,
      ...Object.fromEntries(
        BALANCING_IGNORE_LABELS.map((l, i) => [`balancing-ignore-label_${i + 1}`, l]),
      ),
      expander: "least-waste",
      "skip-nodes-with-local-storage": false,
      "max-node-provision-time": "25m",
    },
  };
}

export function ociAddons(scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs {
  const settings = ociSettings(args);
  const config = args.kubernetesConfig;
  const zones = args.network.zones;
  // Fail on an unmapped minor before any child exists.
  clusterAutoscalerImageTag(config.version);
  const highAvailability = args.environment === "prod";
  const servicesAfter = args.servicesAfter ?? [];
  const iam = iamOptions(scope, settings, args.region);

  new containerengine.Addon(
    `${scope.name}-metrics-server`,
    {
      clusterId: args.kubernetes.clusterId,
      addonName: "KubernetesMetricsServer",
      removeAddonResourcesOnDelete: true,
      configurations: [{ key: "numOfReplicas", value: highAvailability ? "2" : "1" }],
    },
    // It needs cert-manager, which the load balancing add-ons install first.
    { parent: scope.parent, dependsOn: servicesAfter },
  );

  const grant = policy(
    scope,
    "cluster-autoscaler",
    settings,
    iam,
    `${scope.name}: the cluster-autoscaler resizes this cluster's node pools`,
    workloadStatements(
      AUTOSCALER_PERMISSIONS,
      inCompartment(settings),
      workloadCondition(
        args.kubernetes.clusterId,
        ADDONS_NAMESPACE,
        CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
      ),
    ),
  );
  // The pools' OCIDs, looked up by name once the kubernetes layer reports the pools exist.
  const pools = pulumi.all(
    config.nodePools.map((pool) =>
      containerengine
        .getNodePoolsOutput(
          {
            compartmentId: settings.compartmentId,
            clusterId: args.kubernetes.clusterId,
            name: args.kubernetes.nodePoolNames.apply(() => pool.name),
          },
          { parent: scope.parent },
        )
        .nodePools.apply((found) => {
          const match = found.find((p) => p.name === pool.name);
          if (!match) throw new Error(`node pool ${pool.name} not found in the cluster`);
          return { id: match.id, name: pool.name };
        }),
    ),
  );
  const values = pulumi.all([pools, zones]).apply(([ids, z]) =>
    clusterAutoscalerValues({
      pools: config.nodePools.map((pool, i) => ({
        id: ids[i].id,
        minSize: pool.minSize * z.length,
        maxSize: pool.maxSize * z.length,
      })),
      region: args.region,
      compartmentId: settings.compartmentId,
      kubernetesVersion: config.version,
      highAvailability,
    }),
  );
  const clusterAutoscaler = helmRelease(
    scope,
    "cluster-autoscaler",
    { chart: "clusterAutoscaler", namespace: ADDONS_NAMESPACE, createNamespace: false, values },
    // Workload identity tokens are exchanged at start: the grant first.
    { dependsOn: [grant, ...servicesAfter] },
  );

  config.adminPrincipals.forEach((group, i) => {
    new k8s.rbac.v1.ClusterRoleBinding(
      `${scope.name}-admin-${i}`,
      {
        metadata: { name: `officeless-admin-${i}` },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: "cluster-admin",
        },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
      },
      { parent: scope.parent },
    );
  });

  return {
    releases: pulumi.all([releaseLabel(clusterAutoscaler, "clusterAutoscaler")]),
    nodeAutoscaler: pulumi.output("cluster-autoscaler"),
  };
}
