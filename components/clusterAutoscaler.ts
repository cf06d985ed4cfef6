/**
 * What every cloud's cluster-autoscaler shares: the autoscaler release for each Kubernetes minor.
 * The autoscaler's scheduler simulation is compiled against one minor and is only supported on it;
 * chart 9.45.0 ships v1.32.0, wrong for any other minor. Pure data.
 */
import { scrapeAnnotations } from "./observabilityCollectors";
import { Issue, ValidationError } from "./validation";

/** Its metrics (the chart's service port 8085) for the collectors' annotation path, every cloud. */
export const CLUSTER_AUTOSCALER_METRICS_VALUES = {
  podAnnotations: scrapeAnnotations(8085),
} as const;

/** Latest patch of each line, from the kubernetes/autoscaler releases. */
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
        "Add the matching v1.<minor>.x tag to CLUSTER_AUTOSCALER_IMAGE_TAGS in components/clusterAutoscaler.ts",
    };
    throw new ValidationError([issue], "args.", "Invalid ClusterAddons arguments");
  }
  return tag;
}
