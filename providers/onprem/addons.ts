/**
 * On-prem cluster add-ons:
 * - cert-manager with the platform's internal CA: a self-signed root (kept in prod) signs a `CA`
 *   ClusterIssuer, `officeless-ca`, which issues in-cluster TLS (the Gateway's HTTPS listener,
 *   Valkey). No cloud certificate service exists on-prem; public names can add an ACME issuer.
 * - metrics-server only where the distribution lacks one (K3s, RKE2, k0s and OpenShift serve the
 *   resource metrics API themselves; kubeadm/vanilla does not).
 * - cluster-autoscaler only with something that can add machines: Cluster API
 *   (MachineDeployments) or Rancher (machine pools). Fixed machines cannot grow, so config
 *   validation refuses autoscaling there (providers/onprem/catalog.ts) and `nodeAutoscaler` is
 *   `none`: size for peak and scale pods with HPA.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease, releaseLabel } from "../../components/charts";
import type { ClusterAddonsArgs, ClusterAddonsOutputs } from "../../components/clusterAddons";
import { scrapeAnnotations } from "../../components/observabilityCollectors";
import {
  CLUSTER_AUTOSCALER_METRICS_VALUES,
  clusterAutoscalerImageTag,
} from "../../components/clusterAutoscaler";
import { Scope } from "../../components/types";
import { onpremOf } from "./common";
import { distributionOf, manifest, namespace, zoneSpread } from "./inCluster";
import { gatewayControllerOf } from "./catalog";
import { GATEWAY_TLS_SECRET, gatewayNamespace } from "./loadBalancing";
import type { OnpremAutoscalingConfig, OnpremConfig } from "./types";

export const CERT_MANAGER_NAMESPACE = "cert-manager";
const KUBE_SYSTEM = "kube-system";
/** The ClusterIssuer every in-cluster certificate of the platform comes from. */
export const CA_ISSUER = "officeless-ca";
const SELF_SIGNED_ISSUER = "officeless-selfsigned";
/** The root's Secret, in cert-manager's namespace (where a ClusterIssuer reads CA Secrets from). */
export const CA_SECRET = "officeless-ca";
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";
/** The Rancher provider's cloud-config Secret and where the autoscaler mounts it. */
export const RANCHER_CLOUD_CONFIG = { secret: "cluster-autoscaler-rancher", dir: "/config" };

/** An issuer reference for cert-manager Certificates signed by the platform CA. */
export const CA_ISSUER_REF = { name: CA_ISSUER, kind: "ClusterIssuer", group: "cert-manager.io" };

/**
 * cert-manager v1.21.1 values: CRDs installed by the chart and kept on uninstall (deleting them
 * would delete every Certificate); controller, webhook and cainjector replicated over zones with
 * disruption budgets in HA (the webhook's failurePolicy is Fail: one replica down blocks writes).
 */
export function certManagerValues(highAvailability: boolean): Record<string, unknown> {
  const component = (name: string, componentLabel: string) => ({
    replicaCount: highAvailability ? 2 : 1,
    podDisruptionBudget: highAvailability ? { enabled: true, minAvailable: 1 } : { enabled: false },
    topologySpreadConstraints: zoneSpread(
      { "app.kubernetes.io/name": name, "app.kubernetes.io/component": componentLabel },
      highAvailability,
    ),
  });
  return {
    crds: { enabled: true, keep: true },
    ...component("cert-manager", "controller"),
    // The controller's metrics (certificates, ACME, issuance errors) on 9402, to the collectors.
    podAnnotations: scrapeAnnotations(9402, { container: "cert-manager-controller" }),
    webhook: component("webhook", "webhook"),
    cainjector: component("cainjector", "cainjector"),
  };
}

/** metrics-server values: two replicas spread over zones with a disruption budget in HA. */
export function metricsServerValues(highAvailability: boolean): Record<string, unknown> {
  return highAvailability
    ? {
        replicas: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        topologySpreadConstraints: zoneSpread({ "app.kubernetes.io/name": "metrics-server" }, true),
      }
    : { replicas: 1 };
}

/**
 * cluster-autoscaler 9.45.0 values for the provider that adds machines:
 * - clusterapi: auto-discovers the MachineDeployments of the Cluster API cluster (min/max from
 *   their `cluster.x-k8s.io/cluster-api-autoscaler-node-group-{min,max}-size` annotations), the
 *   Cluster API objects in this cluster (`incluster-incluster`: a self-managed, pivoted cluster);
 * - rancher: reads the Rancher cluster's machine pools through Rancher's API with the
 *   cloud-config Secret (url, token, cluster name and namespace) mounted at RANCHER_CLOUD_CONFIG.
 */
export function clusterAutoscalerValues(
  autoscaling: OnpremAutoscalingConfig,
  kubernetesVersion: string,
): Record<string, unknown> {
  const common = {
    image: { tag: clusterAutoscalerImageTag(kubernetesVersion) },
    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
    ...CLUSTER_AUTOSCALER_METRICS_VALUES,
  };
  const extraArgs = {
    // Per-zone machine sets of one pool stay balanced, so zonal volumes always find a node.
    "balance-similar-node-groups": true,
    expander: "least-waste",
    "skip-nodes-with-local-storage": false,
  };
  if (autoscaling.provider === "clusterapi") {
    const capi = autoscaling.clusterapi;
    if (!capi)
      throw new Error("onprem.autoscaling.clusterapi is required with provider clusterapi");
    return {
      ...common,
      cloudProvider: "clusterapi",
      clusterAPIMode: "incluster-incluster",
      // Renders --node-group-auto-discovery=clusterapi:namespace=<ns>,clusterName=<name>.
      autoDiscovery: { clusterName: capi.clusterName, namespace: capi.namespace },
      extraArgs,
    };
  }
  if (autoscaling.provider === "rancher") {
    const rancher = autoscaling.rancher;
    if (!rancher) throw new Error("onprem.autoscaling.rancher is required with provider rancher");
    return {
      ...common,
      cloudProvider: "rancher",
      // The deployment renders only with a cluster name (or fixed groups); the rancher provider
      // takes its node groups from the cloud-config instead.
      autoDiscovery: { clusterName: rancher.clusterName },
      cloudConfigPath: `${RANCHER_CLOUD_CONFIG.dir}/cloud-config`,
      extraVolumeSecrets: {
        "rancher-cloud-config": {
          name: RANCHER_CLOUD_CONFIG.secret,
          mountPath: RANCHER_CLOUD_CONFIG.dir,
        },
      },
      extraArgs: { ...extraArgs, "cloud-config": `${RANCHER_CLOUD_CONFIG.dir}/cloud-config` },
    };
  }
  throw new Error(`no cluster-autoscaler for provider ${autoscaling.provider}`);
}

/** The Rancher provider's cloud-config file (kubernetes/autoscaler cloudprovider/rancher/README.md). */
export function rancherCloudConfig(
  rancher: NonNullable<OnpremAutoscalingConfig["rancher"]>,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.interpolate`url: ${rancher.url}\ntoken: ${rancher.token}\nclusterName: ${rancher.clusterName}\nclusterNamespace: ${rancher.clusterNamespace}\n`,
  );
}

export function onpremAddons(scope: Scope, args: ClusterAddonsArgs): ClusterAddonsOutputs {
  const onprem = onpremOf(args);
  const caValues =
    onprem.autoscaling.provider === "none"
      ? undefined
      : clusterAutoscalerValues(onprem.autoscaling, args.kubernetesConfig.version);
  const highAvailability = args.environment === "prod";
  const labels: pulumi.Output<string>[] = [];

  const certManager = certManagerStack(scope, onprem, highAvailability, args.servicesAfter ?? []);
  labels.push(releaseLabel(certManager.release, "certManager"));

  if (!distributionOf(onprem).metricsServer) {
    const metricsServer = helmRelease(scope, "metrics-server", {
      chart: "metricsServer",
      namespace: KUBE_SYSTEM,
      createNamespace: false,
      values: metricsServerValues(highAvailability),
    });
    labels.push(releaseLabel(metricsServer, "metricsServer"));
  }

  if (caValues) {
    const deps: pulumi.Resource[] = [];
    if (onprem.autoscaling.provider === "rancher" && onprem.autoscaling.rancher) {
      deps.push(
        new k8s.core.v1.Secret(
          `${scope.name}-autoscaler-cloud-config`,
          {
            metadata: { name: RANCHER_CLOUD_CONFIG.secret, namespace: KUBE_SYSTEM },
            stringData: { "cloud-config": rancherCloudConfig(onprem.autoscaling.rancher) },
          },
          { parent: scope.parent, additionalSecretOutputs: ["stringData", "data"] },
        ),
      );
    }
    const autoscaler = helmRelease(
      scope,
      "cluster-autoscaler",
      {
        chart: "clusterAutoscaler",
        namespace: KUBE_SYSTEM,
        createNamespace: false,
        values: caValues,
      },
      { dependsOn: deps },
    );
    labels.push(releaseLabel(autoscaler, "clusterAutoscaler"));
  }

  return {
    releases: pulumi.all(labels),
    nodeAutoscaler: pulumi.output(caValues ? "cluster-autoscaler" : "none"),
  };
}

/**
 * cert-manager, the internal CA and the Gateway's certificate. Each issuer waits until cert-manager
 * reports it Ready, so nothing requests a certificate from an issuer that cannot sign yet.
 */
function certManagerStack(
  scope: Scope,
  onprem: OnpremConfig,
  highAvailability: boolean,
  gatewayReady: pulumi.Resource[],
): { release: k8s.helm.v3.Release; caIssuer: k8s.apiextensions.CustomResource } {
  const ns = namespace(scope, "cert-manager", CERT_MANAGER_NAMESPACE, { level: "restricted" });
  const release = helmRelease(
    scope,
    "cert-manager",
    {
      chart: "certManager",
      namespace: CERT_MANAGER_NAMESPACE,
      createNamespace: false,
      values: certManagerValues(highAvailability),
    },
    { dependsOn: [ns] },
  );
  const selfSigned = manifest(
    scope,
    "selfsigned-issuer",
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      name: SELF_SIGNED_ISSUER,
      waitFor: "condition=Ready",
      spec: { selfSigned: {} },
    },
    { dependsOn: [release] },
  );
  const root = manifest(
    scope,
    "ca",
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      name: CA_SECRET,
      namespace: CERT_MANAGER_NAMESPACE,
      waitFor: "condition=Ready",
      spec: {
        isCA: true,
        commonName: "officeless platform CA",
        secretName: CA_SECRET,
        // Ten years; cert-manager renews it 30 days before the end.
        duration: "87600h",
        renewBefore: "720h",
        privateKey: { algorithm: "ECDSA", size: 256 },
        issuerRef: { name: SELF_SIGNED_ISSUER, kind: "ClusterIssuer", group: "cert-manager.io" },
      },
    },
    // The root signs everything: a prod destroy must not take it (and trust in it) away.
    { dependsOn: [selfSigned], protect: scope.protect },
  );
  const caIssuer = manifest(
    scope,
    "ca-issuer",
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      name: CA_ISSUER,
      waitFor: "condition=Ready",
      spec: { ca: { secretName: CA_SECRET } },
    },
    { dependsOn: [root] },
  );

  const hostname = onprem.loadBalancer.gatewayHostname;
  if (hostname) {
    manifest(
      scope,
      "gateway-certificate",
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        name: GATEWAY_TLS_SECRET,
        namespace: gatewayNamespace(gatewayControllerOf(onprem.distribution)),
        spec: {
          secretName: GATEWAY_TLS_SECRET,
          dnsNames: [hostname],
          privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          issuerRef: CA_ISSUER_REF,
        },
      },
      // The Gateway's namespace comes from the load-balancing component.
      { dependsOn: [caIssuer, ...gatewayReady] },
    );
  }
  return { release, caIssuer };
}
