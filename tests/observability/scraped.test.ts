/**
 * Class-level check of issue 12's "the platform's own components to Mimir": every in-cluster
 * component the platform installs, in every example stack's offline plan, is either scraped by
 * the collectors (the scrape annotation in its rendered values or pod template, or a
 * ServiceMonitor it asks for) or listed in NOT_SCRAPED with the reason. A chart, workload or
 * managed add-on added without either fails here. Layers before the observability layer may not
 * ask for ServiceMonitors (the CRD is not there yet): only annotations.
 */
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig, PlannedResource, PlannedStack } from "../../automation/offline/plan";
import { CACHE_EXPORTER_NAME, CACHE_EXPORTER_NAMESPACE } from "../../components/cacheExporter";
import {
  ANNOTATION_SCRAPED_SERVICE_MONITORS,
  collectorValues,
  SCRAPE_ANNOTATION,
} from "../../components/observabilityCollectors";
import { CloudId, LayerName } from "../../components/types";
import { backendFor } from "../../providers/registry";
import { examplePlans } from "../plan/worstCase";
import { collectorArgs } from "./collectorArgs";

const ROOT = path.resolve(__dirname, "..", "..");
const STACKS = fs
  .readdirSync(ROOT)
  .map((f) => /^Pulumi\.((?:dev|staging|prod)-[a-z]+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => Boolean(s))
  .sort();

const ANY = "*";
/**
 * What is not scraped, by `<cloud>/<component>` (`*` for every cloud), and why. Components are
 * chart names, workload names and managed add-on names as the plan shows them. Keep it honest:
 * each entry is a blind spot, and docs/observability.md lists them.
 */
export const NOT_SCRAPED: Readonly<Record<string, string>> = {
  // Every cloud.
  [`${ANY}/prometheus-operator-crds`]: "CRDs only, no workload",
  [`${ANY}/metrics-server`]:
    "serves /metrics only on its secure port (self-signed certificate, delegated authorization), and the annotation path offers no TLS settings (feature-annotation-autodiscovery 4.4.0 values: a bearer token only). Its health shows as the HPAs' (KubeHpa* rules) and the metrics API's availability",
  [`${ANY}/tenant-gateway`]:
    "nginx (central mode's write path) has no Prometheus endpoint; its traffic is Mimir's, Loki's and Tempo's distributor metrics",
  // AWS: EKS managed add-ons (kubernetes layer), outside storage and ingress.
  "aws/vpc-cni":
    "EKS managed add-on; not in this pass (CNI, not storage or ingress): its metrics helper needs the add-on's configurationValues",
  "aws/kube-proxy": "EKS managed add-on; binds its metrics to 127.0.0.1:10249 on each node",
  "aws/eks-pod-identity-agent":
    "EKS managed add-on on the host network; exposes no Prometheus endpoint the collectors are granted",
  "aws/coredns":
    "EKS managed add-on; not in this pass (DNS): annotating it needs the add-on's configurationValues",
  // GCP: built into GKE (the cluster's addonsConfig): Google runs them, Cloud Monitoring has them.
  "gcp/gce-pd-csi-driver":
    "GKE-managed CSI driver in kube-system; Google sets its pods' spec (no annotations of ours); its operations are in Cloud Monitoring and Cloud Logging",
  "gcp/filestore-csi-driver":
    "GKE-managed CSI driver; Google sets its pods' spec; Filestore's metrics are in Cloud Monitoring",
  "gcp/gke-backup-agent": "GKE-managed Backup for GKE agent; its jobs are in Cloud Monitoring",
  "gcp/gke-gateway-controller":
    "runs in GKE's control plane, not in the cluster; load balancer metrics are in Cloud Monitoring",
  // Azure: AKS-managed (the cluster's storageProfile and ingressProfile).
  "azure/disk-csi-driver":
    "AKS-managed CSI driver; Microsoft sets its pods' spec (no annotations of ours); Azure Monitor has the disks' metrics",
  "azure/file-csi-driver": "AKS-managed CSI driver; Microsoft sets its pods' spec",
  "azure/snapshot-controller": "AKS-managed; Microsoft sets its pods' spec",
  "azure/app-routing-nginx":
    "AKS application routing add-on: its NGINX pods are reconciled by AKS (app-routing-system), annotations of ours are reverted; Azure Monitor managed Prometheus is AKS's way to scrape it",
  // Alibaba: ACK-managed add-ons (cluster creation, and the ALB controller).
  "alibaba/terway-eniip": "ACK-managed CNI add-on (not storage or ingress); ACK sets its spec",
  "alibaba/csi-plugin":
    "ACK-managed CSI node plugin; ACK sets its spec (no annotations of ours); disk metrics are in CloudMonitor",
  "alibaba/managed-csiprovisioner":
    "runs in ACK Pro's control plane, not in the cluster; its events are in ACK's console",
  "alibaba/alb-ingress-controller":
    "runs in ACK Pro's control plane (managed component), not in the cluster; ALB metrics are in CloudMonitor",
  // OCI: OKE cluster add-ons.
  "oci/CertManager":
    "OKE-managed add-on; OKE sets its pods' spec (its configurations take no pod annotations)",
  "oci/NativeIngressController":
    "OKE-managed add-on; OKE sets its pods' spec; the load balancers' metrics are in OCI Monitoring",
  "oci/KubernetesMetricsServer": "OKE-managed metrics-server (see metrics-server)",
  // Huawei: CCE add-ons.
  "huawei/autoscaler":
    "CCE-managed add-on; CCE sets its spec; its scaling events are in CCE's console",
  "huawei/everest":
    "CCE's system CSI add-on, installed with every cluster and managed by CCE; EVS and SFS metrics are in Cloud Eye",
  // Volcengine: VKE add-ons.
  "volcengine/cluster-autoscaler": "VKE-managed add-on; VKE sets its spec",
  "volcengine/core-dns": "VKE-managed add-on (DNS, not storage or ingress); VKE sets its spec",
  "volcengine/csi-ebs":
    "VKE-managed CSI add-on; VKE sets its pods' spec (its config takes no annotations); disk metrics are in CloudMonitor",
  "volcengine/csi-nas":
    "VKE-managed CSI add-on; VKE sets its pods' spec; NAS metrics are in CloudMonitor",
  "volcengine/metrics-server": "VKE-managed metrics-server (see metrics-server)",
  // On-prem.
  "onprem/metallb":
    "0.16 serves metrics only over HTTPS on 9120 with its own certificate and a SubjectAccessReview per scrape; the annotation path offers no TLS settings and the collectors hold no Role in metallb-system (a PodMonitor from the observability layer is the follow-up)",
  "onprem/rook-ceph":
    "the operator has no Prometheus endpoint of its own; the Ceph cluster's metrics come from the mgr (rook-ceph-cluster, scraped)",
};

interface Component {
  readonly cloud: CloudId;
  readonly layer: LayerName;
  readonly name: string;
  /** Where its scrape config shows: the annotation in its values/spec, or a ServiceMonitor it asks for. */
  readonly annotated: boolean;
  readonly serviceMonitor: boolean;
}

/** Walks a values tree for the scrape annotation and for enabled ServiceMonitors/PodMonitors. */
function scrapeConfig(values: unknown): { annotated: boolean; serviceMonitor: boolean } {
  let annotated = false;
  let serviceMonitor = false;
  const walk = (v: unknown): void => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(walk);
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (k === SCRAPE_ANNOTATION && child === "true") annotated = true;
      if (/^(serviceMonitor|servicemonitor|podMonitor|podmonitor)$/.test(k) && child) {
        const c = child as { enabled?: unknown; create?: unknown };
        if (c.enabled === true || c.create === true) serviceMonitor = true;
      }
      walk(child);
    }
  };
  walk(values);
  return { annotated, serviceMonitor };
}

const WORKLOADS = new Set([
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
]);

/** Managed add-ons and cluster-embedded drivers: named, never annotated by us. */
function managed(r: PlannedResource): string[] {
  const i = r.inputs as Record<string, any>;
  switch (r.type) {
    case "aws:eks/addon:Addon":
    case "oci:ContainerEngine/addon:Addon":
      return [i.addonName];
    case "alicloud:cs/kubernetesAddon:KubernetesAddon":
    case "volcengine:vke/addon:Addon":
      return [i.name];
    case "huaweicloud:Cce/addon:Addon":
      return [i.templateName];
    case "huaweicloud:Cce/cluster:Cluster":
      return ["everest"];
    case "alicloud:cs/managedKubernetes:ManagedKubernetes":
      return ((i.addons ?? []) as { name: string }[]).map((a) => a.name);
    case "gcp:container/cluster:Cluster": {
      const a = i.addonsConfig ?? {};
      return [
        ...(a.gcePersistentDiskCsiDriverConfig?.enabled ? ["gce-pd-csi-driver"] : []),
        ...(a.gcpFilestoreCsiDriverConfig?.enabled ? ["filestore-csi-driver"] : []),
        ...(a.gkeBackupAgentConfig?.enabled ? ["gke-backup-agent"] : []),
        ...(i.gatewayApiConfig?.channel ? ["gke-gateway-controller"] : []),
      ];
    }
    case "azure-native:containerservice:ManagedCluster": {
      const s = i.storageProfile ?? {};
      return [
        ...(s.diskCSIDriver?.enabled ? ["disk-csi-driver"] : []),
        ...(s.fileCSIDriver?.enabled ? ["file-csi-driver"] : []),
        ...(s.snapshotController?.enabled ? ["snapshot-controller"] : []),
        ...(i.ingressProfile?.webAppRouting?.enabled ? ["app-routing-nginx"] : []),
      ];
    }
    default:
      return [];
  }
}

function componentsOf(stack: PlannedStack): Component[] {
  const out: Component[] = [];
  const add = (name: string, values: unknown) =>
    out.push({ cloud: stack.cloud, layer: stack.layer, name, ...scrapeConfig(values) });
  for (const r of stack.resources) {
    if (!r.custom) continue;
    if (r.type === "kubernetes:helm.sh/v3:Release") {
      add(String(r.inputs.chart).split("/").pop()!, r.inputs.values);
    } else if (WORKLOADS.has(r.type)) {
      const spec = r.inputs.spec as { template?: { metadata?: unknown } };
      add((r.inputs.metadata as { name: string }).name, spec.template?.metadata);
    } else {
      for (const name of managed(r)) add(name, undefined);
    }
  }
  return out;
}

const reasonFor = (c: Component): string | undefined =>
  NOT_SCRAPED[`${c.cloud}/${c.name}`] ?? NOT_SCRAPED[`${ANY}/${c.name}`];

const plans = new Map<string, PlannedStack[]>();
beforeAll(async () => {
  // `plan([base])` of each, shared with the other files that read the same plans.
  for (const [base, stacks] of await examplePlans(STACKS)) plans.set(base, stacks);
}, 240_000);
const all = (): Component[] => [...plans.values()].flat().flatMap(componentsOf);

describe("the platform's own components are scraped or say why not", () => {
  it("plans every example stack, and finds components the check can fail on", () => {
    expect(STACKS.length).toBeGreaterThanOrEqual(16);
    expect(new Set(all().map((c) => c.cloud)).size).toBe(8);
  });

  it.each(STACKS)("%s: every component is scraped or listed in NOT_SCRAPED", (base) => {
    const blind = plans
      .get(base)!
      .flatMap(componentsOf)
      .filter((c) => !c.annotated && !c.serviceMonitor && reasonFor(c) === undefined)
      .map((c) => `${c.cloud}/${c.layer}: ${c.name}`);
    expect(blind).toEqual([]);
  });

  it.each(STACKS)("%s: layers before observability scrape by annotation only", (base) => {
    const early = plans
      .get(base)!
      .flatMap(componentsOf)
      .filter((c) => c.layer !== "observability" && c.serviceMonitor)
      .map((c) => `${c.layer}: ${c.name}`);
    expect(early).toEqual([]);
  });

  it("lists nothing that is scraped, and nothing no example stack installs", () => {
    const components = all();
    const stale = Object.keys(NOT_SCRAPED).filter((key) => {
      const [cloud, name] = key.split("/");
      const matching = components.filter(
        (c) => c.name === name && (cloud === ANY || c.cloud === cloud),
      );
      return matching.length === 0 || matching.some((c) => c.annotated || c.serviceMonitor);
    });
    expect(stale).toEqual([]);
  });

  it("skips the ServiceMonitor the EBS chart renders by itself later, which the annotation scrapes already", () => {
    const values = collectorValues(collectorArgs()) as any;
    expect(values.prometheusOperatorObjects.serviceMonitors.labelExpressions).toEqual([
      { key: "app", operator: "NotIn", values: ["ebs-csi-controller"] },
    ]);
    const ebs = plans
      .get("prod-aws")!
      .flatMap((s) => s.resources)
      .find((r) => r.inputs.chart === "aws-ebs-csi-driver")!;
    expect((ebs.inputs.values as any).controller).toMatchObject({
      enableMetrics: true,
      podAnnotations: { [SCRAPE_ANNOTATION]: "true" },
    });
    expect(ANNOTATION_SCRAPED_SERVICE_MONITORS).toEqual(["ebs-csi-controller"]);
  });

  it("the check sees the scrape annotation and a ServiceMonitor when they are there", () => {
    expect(scrapeConfig({ a: { podAnnotations: { [SCRAPE_ANNOTATION]: "true" } } })).toEqual({
      annotated: true,
      serviceMonitor: false,
    });
    expect(scrapeConfig({ metrics: { serviceMonitor: { enabled: true } } }).serviceMonitor).toBe(
      true,
    );
    expect(scrapeConfig({ metrics: { serviceMonitor: { enabled: false } } })).toEqual({
      annotated: false,
      serviceMonitor: false,
    });
  });
});

/** How each cloud's exporter must check the cache's certificate (components/cacheExporter.ts). */
const EXPORTER_TLS: Readonly<
  Record<CloudId, "system" | "skip-verify" | "none" | "ca" | "sidecar">
> = {
  aws: "system",
  azure: "system",
  oci: "system",
  gcp: "ca",
  alibaba: "skip-verify",
  huawei: "skip-verify",
  volcengine: "none",
  onprem: "sidecar",
};

describe("the cache's exporter in every example stack with a cache and the collectors", () => {
  const withCache = () =>
    STACKS.filter((base) => plans.get(base)!.some((s) => s.layer === "cache")).filter((base) =>
      plans.get(base)!.some((s) => s.layer === "observability"),
    );

  it("covers every cloud's cache backend but GCP's default (Valkey, skipped)", () => {
    const clouds = new Set(withCache().map((b) => plans.get(b)![0].cloud));
    for (const cloud of ["aws", "azure", "alibaba", "oci", "huawei", "volcengine", "onprem"])
      expect(clouds).toContain(cloud);
  });

  it.each(STACKS)(
    "%s: runs where it can authenticate, with the secret only in a Secret",
    (base) => {
      const stacks = plans.get(base)!;
      const cacheStack = stacks.find((s) => s.layer === "cache");
      const observed = stacks.some((s) => s.layer === "observability");
      if (!cacheStack) return;
      const cloud = cacheStack.cloud;
      const deployment = cacheStack.resources.find(
        (r) =>
          r.type === "kubernetes:apps/v1:Deployment" &&
          (r.inputs.metadata as { name: string }).name === CACHE_EXPORTER_NAME,
      );
      const { config } = loadStackConfig(base, { projectDir: ROOT });
      const skipped = backendFor(cloud).cacheExporterSkipped?.(config.cache);
      if (!observed || skipped !== undefined || EXPORTER_TLS[cloud] === "sidecar") {
        // Off with the collectors, skipped where it cannot authenticate (GCP Valkey), and a
        // sidecar on-prem (tests/onprem/cache.test.ts).
        expect(deployment).toBeUndefined();
        if (observed && cloud === "gcp") expect(skipped).toMatch(/IAM/);
        return;
      }
      expect(deployment).toBeDefined();
      const spec = (deployment!.inputs.spec as any).template;
      expect(spec.metadata.annotations[SCRAPE_ANNOTATION]).toBe("true");
      expect((deployment!.inputs.metadata as any).namespace).toBe(CACHE_EXPORTER_NAMESPACE);
      const env = Object.fromEntries(
        (
          spec.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[]
        ).map((e) => [e.name, e.value ?? e.valueFrom]),
      );
      expect(env.REDIS_PASSWORD).toEqual({
        secretKeyRef: { name: `${CACHE_EXPORTER_NAME}-auth`, key: "password" },
      });
      const tls = EXPORTER_TLS[cloud];
      expect(String(env.REDIS_ADDR)).toMatch(tls === "none" ? /^redis:\/\// : /^rediss:\/\//);
      expect(env.REDIS_EXPORTER_SKIP_TLS_VERIFICATION).toBe(
        tls === "skip-verify" ? "true" : undefined,
      );
      const securityContext = spec.spec.containers[0].securityContext;
      expect(securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(spec.spec.securityContext.runAsNonRoot).toBe(true);
      const secret = cacheStack.resources.find(
        (r) =>
          r.type === "kubernetes:core/v1:Secret" &&
          (r.inputs.metadata as { name: string }).name === `${CACHE_EXPORTER_NAME}-auth`,
      );
      expect(secret!.inputs.stringData).toBe("[secret]");
    },
  );
});
