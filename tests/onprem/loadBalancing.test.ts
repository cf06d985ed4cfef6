/**
 * On-prem load balancing under mocks: MetalLB with the configured pools (L2 by default, BGP by
 * config), and the Gateway API controller per distribution (Envoy Gateway, or OpenShift's own with
 * Red Hat's MetalLB Operator), asserted on resource inputs and options.
 */
import { LoadBalancing } from "../../components/loadBalancing";
import { PlatformConfig } from "../../components/types";
import {
  addressPoolManifests,
  GATEWAY_TLS_SECRET,
  METALLB_WEBHOOK_URL,
  webhookWaitScript,
} from "../../providers/onprem/loadBalancing";
import { mockPulumi, RecordingMocks, settle, valueOf } from "../harness";
import { Raw } from "./fixtures";
import {
  devConfig,
  onpremArgs,
  openshiftStorage,
  prodConfig,
  upstream,
  withKubernetes,
} from "./layerFixtures";

const CR = (kind: string) => `kubernetes:${kind}`;
const RELEASE = "kubernetes:helm.sh/v3:Release";

async function build(config: PlatformConfig) {
  const mocks = await mockPulumi();
  const lb = new LoadBalancing(
    "lb",
    {
      ...onpremArgs(config),
      network: upstream.networkOutputs(config.zones),
      kubernetes: upstream.kubernetesOutputs(),
    },
    withKubernetes(),
  );
  const outputs = {
    ingressClassName: await valueOf(lb.outputs.ingressClassName),
    controllerNamespace: await valueOf(lb.outputs.controllerNamespace),
  };
  await settle();
  return { mocks, outputs };
}

function urnOf(mocks: RecordingMocks, type: string, name: string): string {
  const found = mocks.byType(type, name);
  expect(found).toHaveLength(1);
  return found[0].urn;
}

const bgp = (raw: Raw) => {
  raw.onprem.loadBalancer = {
    mode: "bgp",
    addressPools: [{ name: "routed", addresses: ["10.30.200.0/28"] }],
    bgp: { localAsn: 64512, peers: [{ address: "10.30.1.1", asn: 64513 }] },
  };
};

describe.each(["rke2", "k3s", "k0s", "vanilla"] as const)(
  "MetalLB and Envoy Gateway on %s",
  (distribution) => {
    let mocks: RecordingMocks;
    let outputs: { ingressClassName: string; controllerNamespace: string };
    beforeAll(async () => {
      ({ mocks, outputs } = await build(prodConfig(distribution)));
    });

    it("installs MetalLB 0.16.1 in a privileged namespace, L2 without the FRR-K8s subchart", () => {
      const release = mocks.byType(RELEASE, "lb-metallb")[0];
      expect(release.inputs).toMatchObject({
        chart: "metallb",
        version: "0.16.1",
        namespace: "metallb-system",
        createNamespace: false,
        values: { frrk8s: { enabled: false } },
      });
      const ns = mocks.byType(CR("core/v1:Namespace"), "lb-metallb-ns")[0];
      expect((ns.inputs.metadata as any).labels["pod-security.kubernetes.io/enforce"]).toBe(
        "privileged",
      );
      expect(release.options.dependsOn).toContain(ns.urn);
    });

    it("writes one IPAddressPool per configured pool and an L2Advertisement per pool on its zones' nodes, after the release", () => {
      const pool = mocks.byType(CR("metallb.io/v1beta1:IPAddressPool"))[0];
      expect(pool.inputs).toMatchObject({
        metadata: { name: "services", namespace: "metallb-system" },
        spec: { addresses: ["10.30.1.240/28"], autoAssign: true },
      });
      const ads = mocks.byType(CR("metallb.io/v1beta1:L2Advertisement"));
      expect(ads).toHaveLength(1);
      const l2 = ads[0];
      // The pool lies in room-a's segment (10.30.1.0/24): only room-a's nodes may announce it.
      expect(l2.inputs.spec).toEqual({
        ipAddressPools: ["services"],
        nodeSelectors: [
          {
            matchExpressions: [
              { key: "topology.kubernetes.io/zone", operator: "In", values: ["room-a"] },
            ],
          },
        ],
      });
      const metallb = urnOf(mocks, RELEASE, "lb-metallb");
      expect(pool.options.dependsOn).toContain(metallb);
      expect(l2.options.dependsOn).toContain(metallb);
      expect(mocks.byType(CR("metallb.io/v1beta2:BGPPeer"))).toEqual([]);
      // The chart is ready before its webhook serves: the pools also wait for a Job that polls it.
      const wait = mocks.byType("kubernetes:batch/v1:Job", "lb-metallb-webhook-ready")[0];
      expect(wait.options.dependsOn).toContain(metallb);
      expect(pool.options.dependsOn).toContain(wait.urn);
      const container = (wait.inputs.spec as any).template.spec.containers[0];
      expect(container.command).toEqual(["sh", "-c", webhookWaitScript(METALLB_WEBHOOK_URL)]);
      expect(METALLB_WEBHOOK_URL).toBe("https://metallb-webhook-service.metallb-system.svc:443/");
    });

    it("installs Envoy Gateway v1.9.0 from its OCI registry, replicated in prod", () => {
      const eg = mocks.byType(RELEASE, "lb-envoy-gateway")[0];
      expect(eg.inputs).toMatchObject({
        chart: "oci://docker.io/envoyproxy/gateway-helm",
        version: "v1.9.0",
        namespace: "envoy-gateway-system",
        values: { crds: { enabled: true }, deployment: { replicas: 2 } },
      });
      expect(eg.inputs.repositoryOpts).toBeUndefined();
      const ns = mocks.byType(CR("core/v1:Namespace"), "lb-envoy-gateway-ns")[0];
      expect((ns.inputs.metadata as any).labels["pod-security.kubernetes.io/enforce"]).toBe(
        "baseline",
      );
      const proxy = mocks.byType(CR("gateway.envoyproxy.io/v1alpha1:EnvoyProxy"))[0];
      expect((proxy.inputs.spec as any).provider.kubernetes).toMatchObject({
        envoyDeployment: { replicas: 2 },
        envoyPDB: { minAvailable: 1 },
      });
      expect(
        (proxy.inputs.spec as any).provider.kubernetes.envoyDeployment.pod
          .topologySpreadConstraints[0],
      ).toMatchObject({
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
      });
    });

    it("creates the GatewayClass for Envoy's controller and a shared Gateway on HTTP, after the pools", () => {
      const cls = mocks.byType(CR("gateway.networking.k8s.io/v1:GatewayClass"))[0];
      expect(cls.inputs).toMatchObject({
        metadata: { name: "officeless" },
        spec: {
          controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
          parametersRef: {
            kind: "EnvoyProxy",
            name: "officeless",
            namespace: "envoy-gateway-system",
          },
        },
      });
      expect(cls.options.dependsOn).toContain(urnOf(mocks, RELEASE, "lb-envoy-gateway"));
      const gw = mocks.byType(CR("gateway.networking.k8s.io/v1:Gateway"))[0];
      expect(gw.inputs).toMatchObject({
        metadata: { name: "officeless", namespace: "envoy-gateway-system" },
        spec: { gatewayClassName: "officeless" },
      });
      expect((gw.inputs.spec as any).listeners).toEqual([
        {
          name: "http",
          protocol: "HTTP",
          port: 80,
          allowedRoutes: { namespaces: { from: "All" } },
        },
      ]);
      expect(gw.options.dependsOn).toEqual(
        expect.arrayContaining([
          cls.urn,
          mocks.byType(CR("metallb.io/v1beta1:IPAddressPool"))[0].urn,
        ]),
      );
      expect(outputs).toEqual({
        ingressClassName: "officeless",
        controllerNamespace: "envoy-gateway-system",
      });
    });
  },
);

describe("MetalLB in BGP mode", () => {
  it("peers with the configured routers through FRR-K8s and advertises the pools", async () => {
    const { mocks } = await build(prodConfig("rke2", bgp));
    expect(mocks.byType(RELEASE, "lb-metallb")[0].inputs.values).toMatchObject({
      frrk8s: { enabled: true },
    });
    expect(mocks.byType(CR("metallb.io/v1beta2:BGPPeer"))[0].inputs.spec).toEqual({
      myASN: 64512,
      peerASN: 64513,
      peerAddress: "10.30.1.1",
    });
    expect(
      (mocks.byType(CR("metallb.io/v1beta1:BGPAdvertisement"))[0].inputs.spec as any)
        .ipAddressPools,
    ).toEqual(["routed"]);
    expect(mocks.byType(CR("metallb.io/v1beta1:L2Advertisement"))).toEqual([]);
  });
});

describe("L2 advertisements per pool", () => {
  it("limits each pool's announcers to the zones whose node networks hold it", () => {
    const nodeNetworks = [
      { zone: "room-a", cidr: "10.30.1.0/24" },
      { zone: "room-b", cidr: "10.30.2.0/24" },
      { zone: "room-b", cidr: "10.30.4.0/24" },
    ];
    const manifests = addressPoolManifests(
      {
        mode: "l2",
        addressPools: [
          { name: "a", addresses: ["10.30.1.240/28"] },
          { name: "b", addresses: ["10.30.2.200-10.30.2.210", "10.30.4.16/28"] },
        ],
      } as any,
      nodeNetworks,
    );
    const ads = manifests.filter((m) => m.kind === "L2Advertisement");
    expect(
      ads.map((m) => [
        m.name,
        (m.spec as any).ipAddressPools,
        (m.spec as any).nodeSelectors[0].matchExpressions[0].values,
      ]),
    ).toEqual([
      ["a", ["a"], ["room-a"]],
      ["b", ["b"], ["room-b"]],
    ]);
  });
});

describe("the Gateway's HTTPS listener", () => {
  it("serves the configured host name with the cert-manager Secret", async () => {
    const { mocks } = await build(
      prodConfig("rke2", (raw) => {
        raw.onprem.loadBalancer.gatewayHostname = "*.apps.dc1.example.com";
      }),
    );
    const listeners = (
      mocks.byType(CR("gateway.networking.k8s.io/v1:Gateway"))[0].inputs.spec as any
    ).listeners;
    expect(listeners[1]).toMatchObject({
      name: "https",
      protocol: "HTTPS",
      port: 443,
      hostname: "*.apps.dc1.example.com",
      tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: GATEWAY_TLS_SECRET }] },
    });
  });

  it("refuses a host name that is not a DNS name, at config validation", () => {
    expect(() =>
      prodConfig("rke2", (raw) => {
        raw.onprem.loadBalancer.gatewayHostname = "https://apps.example.com";
      }),
    ).toThrow(/officeless:onprem\.loadBalancer\.gatewayHostname/);
  });
});

describe("OpenShift", () => {
  let mocks: RecordingMocks;
  let outputs: { ingressClassName: string; controllerNamespace: string };
  beforeAll(async () => {
    ({ mocks, outputs } = await build(prodConfig("openshift", openshiftStorage)));
  });

  it("installs no chart: Red Hat's MetalLB Operator through OLM, then its MetalLB instance", () => {
    expect(mocks.byType(RELEASE)).toEqual([]);
    const sub = mocks.byType(CR("operators.coreos.com/v1alpha1:Subscription"))[0];
    expect(sub.inputs).toMatchObject({
      metadata: {
        name: "metallb-operator",
        namespace: "metallb-system",
        annotations: { "pulumi.com/waitFor": "jsonpath={.status.state}=AtLatestKnown" },
      },
      spec: {
        name: "metallb-operator",
        source: "redhat-operators",
        sourceNamespace: "openshift-marketplace",
      },
    });
    const metallb = mocks.byType(CR("metallb.io/v1beta1:MetalLB"))[0];
    expect(metallb.options.dependsOn).toContain(sub.urn);
    const pool = mocks.byType(CR("metallb.io/v1beta1:IPAddressPool"))[0];
    expect(pool.options.dependsOn).toContain(metallb.urn);
  });

  it("uses OpenShift's own Gateway API controller, whose CRDs the Ingress Operator owns", () => {
    expect(mocks.byType(CR("gateway.envoyproxy.io/v1alpha1:EnvoyProxy"))).toEqual([]);
    expect(mocks.byType(CR("gateway.networking.k8s.io/v1:GatewayClass"))[0].inputs).toMatchObject({
      metadata: { name: "openshift-default" },
      spec: { controllerName: "openshift.io/gateway-controller/v1" },
    });
    expect(
      mocks.byType(CR("gateway.networking.k8s.io/v1:Gateway"))[0].inputs.metadata,
    ).toMatchObject({ namespace: "openshift-ingress" });
    expect(outputs).toEqual({
      ingressClassName: "openshift-default",
      controllerNamespace: "openshift-ingress",
    });
  });
});

describe("dev", () => {
  it("runs one controller and one proxy, spread best effort", async () => {
    const { mocks } = await build(devConfig());
    expect(mocks.byType(RELEASE, "lb-envoy-gateway")[0].inputs.values).toMatchObject({
      deployment: { replicas: 1 },
    });
    const proxy = mocks.byType(CR("gateway.envoyproxy.io/v1alpha1:EnvoyProxy"))[0];
    expect((proxy.inputs.spec as any).provider.kubernetes.envoyPDB).toBeUndefined();
  });
});
