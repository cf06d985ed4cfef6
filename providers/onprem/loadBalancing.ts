/**
 * On-prem load balancing. `LoadBalancer` Services get addresses from the site's pools through
 * MetalLB: L2 announcements (ARP/NDP) inside the node segments by default, BGP to the site's
 * routers by config (`onprem.loadBalancer.mode: bgp`). North-south HTTP goes through the Gateway
 * API: one GatewayClass and one shared Gateway (HTTP, plus HTTPS when a hostname is configured),
 * whose Service takes a MetalLB address.
 *
 * Which Gateway controller:
 * - Envoy Gateway (gateway-helm) on K3s, RKE2, k0s and vanilla: the Envoy project's own Gateway
 *   API implementation, conformant, with rate-limit and auth policies, and the same chart on every
 *   distribution. K3s's and RKE2's bundled Traefik/ingress-nginx stay for Ingress objects or are
 *   turned off by the kubernetes layer; the platform's routes use the Gateway.
 * - OpenShift's own (the Ingress Operator's `openshift.io/gateway-controller/v1`, 4.19+): the
 *   operator owns the Gateway API CRDs and a ValidatingAdmissionPolicy refuses changes to them, so a
 *   second implementation's CRDs cannot be installed; Red Hat supports only its own. MetalLB is the
 *   Red Hat MetalLB Operator there (OLM), not the upstream chart, whose speaker the SCCs refuse.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { scrapeAnnotations } from "../../components/observabilityCollectors";
import { helmRelease } from "../../components/charts";
import { CURL_IMAGE, CURL_POD_SECURITY } from "../../components/observabilityAlerting";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";
import { gatewayControllerOf, poolZones } from "./catalog";
import { onpremOf } from "./common";
import { manifest, namespace, olmOperator, zoneSpread } from "./inCluster";
import type { OnpremConfig, OnpremLoadBalancerConfig } from "./types";

export const METALLB_NAMESPACE = "metallb-system";
export const ENVOY_GATEWAY_NAMESPACE = "envoy-gateway-system";
/** Where OpenShift's Ingress Operator runs the Gateways of its GatewayClass. */
export const OPENSHIFT_GATEWAY_NAMESPACE = "openshift-ingress";

/** The platform's GatewayClass and Gateway names, per controller. */
export const GATEWAY_CLASSES = {
  "envoy-gateway": {
    name: "officeless",
    controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  },
  // OpenShift docs ("Gateway API with OpenShift networking"): this class name and controller.
  openshift: { name: "openshift-default", controllerName: "openshift.io/gateway-controller/v1" },
} as const;
export const GATEWAY_NAME = "officeless";
/** The Secret the Gateway's HTTPS listener serves; the addons layer's cert-manager fills it. */
export const GATEWAY_TLS_SECRET = "officeless-gateway-tls";

export type GatewayController = ReturnType<typeof gatewayControllerOf>;

/** The namespace the platform's Gateway lives in (and its TLS Secret with it). */
export function gatewayNamespace(controller: GatewayController): string {
  return controller === "openshift" ? OPENSHIFT_GATEWAY_NAMESPACE : ENVOY_GATEWAY_NAMESPACE;
}

/**
 * metallb 0.16.1 values. BGP runs through FRR-K8s (the chart's default `frrk8s` subchart); L2 needs
 * no routing daemon, so the subchart is off and the speaker announces natively. The validating
 * webhook stays on (failurePolicy Fail) and the pools below wait for the release.
 */
export function metallbValues(mode: OnpremLoadBalancerConfig["mode"]): Record<string, unknown> {
  return {
    frrk8s: { enabled: mode === "bgp" },
    // `prometheus.io` annotations for a Prometheus that reads them. The platform's collectors do
    // not scrape MetalLB: 0.16 serves metrics only over HTTPS on 9120 with its own certificate
    // and a SubjectAccessReview per scrape (tests/observability/scraped.test.ts, NOT_SCRAPED).
    prometheus: { scrapeAnnotations: true },
  };
}

/**
 * MetalLB's CRs for the configured pools: one IPAddressPool each, advertised by L2 or BGP. In L2
 * mode each pool has its own L2Advertisement limited to the nodes of the zones whose node
 * network holds it: MetalLB elects the announcing node among all nodes an advertisement selects,
 * and a node of another room's VLAN would answer ARP where nobody asks (MetalLB docs, "Advanced
 * L2 configuration": limiting the set of nodes with nodeSelectors).
 */
export function addressPoolManifests(
  lb: OnpremLoadBalancerConfig,
  nodeNetworks: OnpremConfig["nodeNetworks"],
): {
  role: string;
  apiVersion: string;
  kind: string;
  name: string;
  spec: Record<string, unknown>;
}[] {
  const pools = lb.addressPools.map((pool) => ({
    role: `pool-${pool.name}`,
    apiVersion: "metallb.io/v1beta1",
    kind: "IPAddressPool",
    name: pool.name,
    // avoidBuggyIPs skips .0 and .255, which some consumer routers drop.
    spec: { addresses: [...pool.addresses], autoAssign: true, avoidBuggyIPs: true },
  }));
  const poolNames = lb.addressPools.map((p) => p.name);
  if (lb.mode === "l2") {
    return [
      ...pools,
      ...lb.addressPools.map((pool) => ({
        role: `l2-advertisement-${pool.name}`,
        apiVersion: "metallb.io/v1beta1",
        kind: "L2Advertisement",
        name: pool.name,
        spec: {
          ipAddressPools: [pool.name],
          nodeSelectors: [
            {
              matchExpressions: [
                {
                  key: "topology.kubernetes.io/zone",
                  operator: "In",
                  values: poolZones(nodeNetworks, pool),
                },
              ],
            },
          ],
        },
      })),
    ];
  }
  const bgp = lb.bgp;
  if (!bgp) throw new Error("onprem.loadBalancer.bgp is required with mode bgp");
  return [
    ...pools,
    ...bgp.peers.map((peer, i) => ({
      role: `bgp-peer-${i}`,
      // BGPPeer is served as v1beta2 since MetalLB 0.13 (v1beta1 is deprecated).
      apiVersion: "metallb.io/v1beta2",
      kind: "BGPPeer",
      name: `peer-${i}`,
      spec: { myASN: bgp.localAsn, peerASN: peer.asn, peerAddress: peer.address },
    })),
    {
      role: "bgp-advertisement",
      apiVersion: "metallb.io/v1beta1",
      kind: "BGPAdvertisement",
      name: "officeless",
      spec: { ipAddressPools: poolNames },
    },
  ];
}

/**
 * gateway-helm v1.9.0 values: the controller replicated and spread over zones in HA, with a
 * disruption budget. `crds.enabled` stays on (the chart's own Gateway API and Envoy Gateway CRDs).
 */
export function envoyGatewayValues(highAvailability: boolean): Record<string, unknown> {
  const labels = { "app.kubernetes.io/name": "gateway-helm", "app.kubernetes.io/instance": "eg" };
  return {
    crds: { enabled: true },
    deployment: {
      replicas: highAvailability ? 2 : 1,
      pod: {
        topologySpreadConstraints: zoneSpread(labels, highAvailability),
        // The controller's metrics (19001), to the collectors.
        annotations: scrapeAnnotations(19001, { container: "envoy-gateway" }),
      },
    },
    podDisruptionBudget: { minAvailable: highAvailability ? 1 : 0 },
  };
}

/**
 * Envoy Gateway's data plane for the platform's GatewayClass: the Envoy proxies that carry the
 * traffic, two spread over zones with a disruption budget in HA.
 */
export function envoyProxySpec(highAvailability: boolean): Record<string, unknown> {
  const labels = { "gateway.envoyproxy.io/owning-gateway-name": GATEWAY_NAME };
  return {
    provider: {
      type: "Kubernetes",
      kubernetes: {
        envoyDeployment: {
          replicas: highAvailability ? 2 : 1,
          pod: {
            topologySpreadConstraints: zoneSpread(labels, highAvailability),
            // Each proxy's Envoy stats (requests, upstream health), to the collectors.
            annotations: scrapeAnnotations(19001, {
              path: "/stats/prometheus",
              container: "envoy",
            }),
          },
        },
        ...(highAvailability ? { envoyPDB: { minAvailable: 1 } } : {}),
      },
    },
  };
}

/** The shared Gateway's listeners: HTTP always, HTTPS with the cert-manager Secret when a hostname is set. */
export function gatewayListeners(hostname: string | undefined): Record<string, unknown>[] {
  const allowedRoutes = { namespaces: { from: "All" } };
  return [
    { name: "http", protocol: "HTTP", port: 80, allowedRoutes },
    ...(hostname
      ? [
          {
            name: "https",
            protocol: "HTTPS",
            port: 443,
            hostname,
            tls: {
              mode: "Terminate",
              certificateRefs: [{ kind: "Secret", name: GATEWAY_TLS_SECRET }],
            },
            allowedRoutes,
          },
        ]
      : []),
  ];
}

export function onpremLoadBalancing(scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs {
  const onprem = onpremOf(args);
  const controller = gatewayControllerOf(onprem.distribution);
  const highAvailability = args.environment === "prod";

  const metallb = controller === "openshift" ? metallbOperator(scope) : metallbChart(scope, onprem);
  // The chart's release is ready before its webhook serves (metallb#1597, #1612): pools written
  // then fail with "connection refused". The operator's Available condition already covers it.
  const webhookReady = controller === "openshift" ? [] : [metallbWebhookReady(scope, metallb)];
  const pools = addressPoolManifests(onprem.loadBalancer, onprem.nodeNetworks).map((m) =>
    manifest(
      scope,
      m.role,
      {
        apiVersion: m.apiVersion,
        kind: m.kind,
        name: m.name,
        namespace: METALLB_NAMESPACE,
        spec: m.spec,
      },
      // MetalLB's webhook validates every pool: the controller must be serving first.
      { dependsOn: [metallb, ...webhookReady] },
    ),
  );

  const classes = GATEWAY_CLASSES[controller];
  const gatewayNs = gatewayNamespace(controller);
  let gatewayClassDeps: pulumi.Resource[] = [];
  let parametersRef: Record<string, string> | undefined;
  if (controller === "envoy-gateway") {
    const ns = namespace(scope, "envoy-gateway", ENVOY_GATEWAY_NAMESPACE, { level: "baseline" });
    const release = helmRelease(
      scope,
      "envoy-gateway",
      {
        chart: "envoyGateway",
        namespace: ENVOY_GATEWAY_NAMESPACE,
        releaseName: "eg",
        createNamespace: false,
        values: envoyGatewayValues(highAvailability),
      },
      { dependsOn: [ns] },
    );
    const proxy = manifest(
      scope,
      "envoy-proxy",
      {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyProxy",
        name: GATEWAY_NAME,
        namespace: ENVOY_GATEWAY_NAMESPACE,
        spec: envoyProxySpec(highAvailability),
      },
      { dependsOn: [release] },
    );
    gatewayClassDeps = [release, proxy];
    parametersRef = {
      group: "gateway.envoyproxy.io",
      kind: "EnvoyProxy",
      name: GATEWAY_NAME,
      namespace: ENVOY_GATEWAY_NAMESPACE,
    };
  }

  const gatewayClass = manifest(
    scope,
    "gatewayclass",
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      name: classes.name,
      spec: { controllerName: classes.controllerName, ...(parametersRef ? { parametersRef } : {}) },
    },
    { dependsOn: gatewayClassDeps },
  );
  const gateway = manifest(
    scope,
    "gateway",
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      name: GATEWAY_NAME,
      namespace: gatewayNs,
      spec: {
        gatewayClassName: classes.name,
        listeners: gatewayListeners(onprem.loadBalancer.gatewayHostname),
      },
    },
    // The Gateway's Service needs an address pool to get its IP.
    { dependsOn: [gatewayClass, ...pools] },
  );

  return {
    // Consumers see the class once the Gateway that uses it exists.
    ingressClassName: gateway.metadata.apply(() => classes.name),
    controllerNamespace: gateway.metadata.apply(() => gatewayNs),
  };
}

/** The chart's webhook Service (named by the chart, not by the release). */
export const METALLB_WEBHOOK_URL = `https://metallb-webhook-service.${METALLB_NAMESPACE}.svc:443/`;

/** Waits, up to 5 minutes, until MetalLB's webhook answers TLS (any HTTP status will do). */
export function webhookWaitScript(url: string): string {
  return [
    "i=0",
    `until curl -sk -o /dev/null --max-time 5 ${url}; do`,
    "  i=$((i + 1))",
    `  if [ "$i" -ge 60 ]; then echo "no answer from ${url} in 5 minutes" >&2; exit 1; fi`,
    "  sleep 5",
    "done",
  ].join("\n");
}

/** A Job that completes once the webhook serves; the pools wait for it (Pulumi awaits Jobs). */
function metallbWebhookReady(scope: Scope, metallb: pulumi.Resource): pulumi.Resource {
  return new k8s.batch.v1.Job(
    `${scope.name}-metallb-webhook-ready`,
    {
      metadata: { name: "metallb-webhook-ready", namespace: METALLB_NAMESPACE },
      spec: {
        backoffLimit: 2,
        template: {
          spec: {
            restartPolicy: "Never",
            securityContext: CURL_POD_SECURITY,
            containers: [
              {
                name: "wait",
                image: CURL_IMAGE,
                command: ["sh", "-c", webhookWaitScript(METALLB_WEBHOOK_URL)],
                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
              },
            ],
          },
        },
      },
    },
    // A fixed name and an immutable spec: a replacement must delete the old Job first.
    { parent: scope.parent, dependsOn: [metallb], deleteBeforeReplace: true },
  );
}

/** The upstream chart, in a privileged namespace (the speakers use the host network). */
function metallbChart(scope: Scope, onprem: OnpremConfig): pulumi.Resource {
  const ns = namespace(scope, "metallb", METALLB_NAMESPACE, { level: "privileged" });
  return helmRelease(
    scope,
    "metallb",
    {
      chart: "metallb",
      namespace: METALLB_NAMESPACE,
      createNamespace: false,
      values: metallbValues(onprem.loadBalancer.mode),
    },
    { dependsOn: [ns] },
  );
}

/** Red Hat's MetalLB Operator and its `MetalLB` instance, ready before any pool is written. */
function metallbOperator(scope: Scope): pulumi.Resource {
  const { subscription } = olmOperator(scope, "metallb", {
    namespace: METALLB_NAMESPACE,
    packageName: "metallb-operator",
    channel: "stable",
  });
  return manifest(
    scope,
    "metallb",
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "MetalLB",
      name: "metallb",
      namespace: METALLB_NAMESPACE,
      // The operator sets Available once the speaker DaemonSet and controller are ready
      // (metallb/metallb-operator pkg/status/status.go); the webhook then serves the pools.
      waitFor: "condition=Available",
      spec: {},
    },
    { dependsOn: [subscription] },
  );
}
