/**
 * What the on-prem layers share: the site's config section (each backend function reads it from
 * its args, in place of a cloud API), namespaces with the Pod Security level their workloads need,
 * and custom resources that Pulumi waits on until the controller reports them ready.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Scope } from "../../components/types";
import { DISTRIBUTIONS, DistributionFacts } from "./catalog";
import type { OnpremConfig } from "./types";

/** What the configured distribution already ships. */
export function distributionOf(onprem: OnpremConfig): DistributionFacts {
  return DISTRIBUTIONS[onprem.distribution];
}

/**
 * pulumi-kubernetes' generic await (4.18+): the resource is created only once the expression
 * holds, so anything depending on it waits for the controller, not just the API write.
 */
export const WAIT_FOR = "pulumi.com/waitFor";

/** Pod Security Standards levels (the `pod-security.kubernetes.io/*` namespace labels). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/**
 * A namespace the platform owns, enforcing a Pod Security level: `privileged` where pods need the
 * host (MetalLB speakers, Ceph OSDs, CSI node plugins), `restricted` where every pod of the chart is
 * known to comply (cert-manager, the Valkey chart with its exporter locked down), `baseline` (no
 * host access, no privilege) otherwise.
 */
export function namespace(
  scope: Scope,
  role: string,
  name: string,
  options: { readonly level: PodSecurityLevel; readonly dependsOn?: pulumi.Resource[] },
): k8s.core.v1.Namespace {
  const level = options.level;
  return new k8s.core.v1.Namespace(
    `${scope.name}-${role}-ns`,
    {
      metadata: {
        name,
        labels: {
          "app.kubernetes.io/managed-by": "officeless",
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/audit": level,
          "pod-security.kubernetes.io/warn": level,
        },
      },
    },
    { parent: scope.parent, dependsOn: options.dependsOn },
  );
}

export interface ManifestArgs {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Unset for cluster-scoped kinds. */
  readonly namespace?: pulumi.Input<string>;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, pulumi.Input<string>>;
  /** What Pulumi waits for before the resource counts as created (WAIT_FOR). */
  readonly waitFor?: string;
  readonly spec?: pulumi.Input<Record<string, unknown>>;
  /** Top-level fields of kinds without a `spec` (VolumeSnapshotClass: driver, parameters). */
  readonly fields?: Record<string, pulumi.Input<unknown>>;
}

/** A custom resource under the scope's parent, named `${scope.name}-<role>`. */
export function manifest(
  scope: Scope,
  role: string,
  args: ManifestArgs,
  opts: pulumi.CustomResourceOptions = {},
): k8s.apiextensions.CustomResource {
  const annotations = {
    ...(args.annotations ?? {}),
    ...(args.waitFor ? { [WAIT_FOR]: args.waitFor } : {}),
  };
  return new k8s.apiextensions.CustomResource(
    `${scope.name}-${role}`,
    {
      apiVersion: args.apiVersion,
      kind: args.kind,
      metadata: {
        name: args.name,
        ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
        ...(args.labels ? { labels: args.labels } : {}),
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      ...(args.spec !== undefined ? { spec: args.spec } : {}),
      ...(args.fields ?? {}),
    },
    { parent: scope.parent, ...opts },
  );
}

/** Spread over zones: at most one replica more in any zone; hard in HA, best effort otherwise. */
export function zoneSpread(
  matchLabels: Record<string, string>,
  highAvailability: boolean,
): Record<string, unknown>[] {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: highAvailability ? "DoNotSchedule" : "ScheduleAnyway",
      labelSelector: { matchLabels },
    },
  ];
}

/**
 * An OLM Subscription to a Red Hat operator (OpenShift installs MetalLB and others this way, not
 * from the upstream charts), in its own namespace with an OperatorGroup. Created once the CSV
 * reports the latest known version installed, so the operator's CRDs exist for what follows.
 */
export function olmOperator(
  scope: Scope,
  role: string,
  args: {
    readonly namespace: string;
    readonly packageName: string;
    readonly channel: string;
    readonly dependsOn?: pulumi.Resource[];
  },
): { namespace: k8s.core.v1.Namespace; subscription: k8s.apiextensions.CustomResource } {
  const ns = namespace(scope, role, args.namespace, {
    level: "privileged",
    dependsOn: args.dependsOn,
  });
  const group = manifest(
    scope,
    `${role}-operatorgroup`,
    {
      apiVersion: "operators.coreos.com/v1",
      kind: "OperatorGroup",
      name: args.packageName,
      namespace: ns.metadata.name,
      spec: {},
    },
    { dependsOn: [ns] },
  );
  const subscription = manifest(
    scope,
    `${role}-subscription`,
    {
      apiVersion: "operators.coreos.com/v1alpha1",
      kind: "Subscription",
      name: args.packageName,
      namespace: ns.metadata.name,
      waitFor: "jsonpath={.status.state}=AtLatestKnown",
      spec: {
        channel: args.channel,
        name: args.packageName,
        source: "redhat-operators",
        sourceNamespace: "openshift-marketplace",
        installPlanApproval: "Automatic",
      },
    },
    { dependsOn: [group] },
  );
  return { namespace: ns, subscription };
}
