/**
 * On-prem facts that config validation needs without loading any SDK: what each Kubernetes
 * distribution already brings, and the rules a data centre would otherwise enforce at deploy time
 * (a K3s cluster needs hosts and SSH, load-balancer addresses must be in the node segments, nothing
 * adds nodes to fixed machines, a backup must not live on the storage it backs up).
 * Region and zone names are the user's own: the site and its failure domains.
 * Pure data and rules: no `@pulumi/*` resource here.
 */
import { cidrContains, cidrsOverlap, isIpv4, parseCidr } from "../../components/cidr";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { Issue, ipv4Number, isPublicIpv4 } from "../../components/validation";
import type { CloudCatalog, CloudConfigSections } from "../backend";
import type { OnpremConfig, OnpremDistribution, OnpremS3Endpoint } from "./types";
import { K3S_RELEASES, k3sMinor } from "./versions";

/** What a distribution ships, so the platform installs only what is missing. */
export interface DistributionFacts {
  /** Its own Service LoadBalancer implementation, which must be off before MetalLB runs. */
  readonly bundledServiceLoadBalancer?: "servicelb";
  /** The ingress or Gateway controller it installs by default. */
  readonly bundledIngress?: "traefik" | "rke2-ingress-nginx" | "openshift-router";
  /** metrics-server (the resource metrics API) is already there. */
  readonly metricsServer: boolean;
  /** The CSI external-snapshotter CRDs and controller are already there. */
  readonly snapshotController: boolean;
  /** The Gateway API CRDs belong to the platform (OpenShift's Ingress Operator): do not install them. */
  readonly ownsGatewayApiCrds: boolean;
  /** Pods may run with the fixed UIDs charts set (OpenShift's restricted-v2 SCC assigns its own). */
  readonly allowsFixedUids: boolean;
  /** Cluster-autoscaler providers that can add nodes to such a cluster. */
  readonly autoscalerProviders: readonly ("clusterapi" | "rancher")[];
  /** Upstream Rook-Ceph charts are the way to Ceph here (OpenShift uses ODF, Red Hat's Rook). */
  readonly upstreamRook: boolean;
}

/**
 * Sources: docs.k3s.io/networking/networking-services and /installation/packaged-components (K3s
 * bundles Traefik, ServiceLB, local-path and metrics-server), docs.rke2.io (rke2-ingress-nginx,
 * Traefik for new clusters from v1.36, rke2-metrics-server, rke2-snapshot-controller), OpenShift
 * docs (Routes, the Ingress Operator owning the Gateway API CRDs from 4.19, the CSI snapshot
 * controller operator, restricted-v2 SCC, Machine API autoscaling), docs.k0sproject.io (metrics-server
 * is a default component); shared/research/onprem.md section 9.
 */
export const DISTRIBUTIONS: Readonly<Record<OnpremDistribution, DistributionFacts>> = {
  k3s: {
    bundledServiceLoadBalancer: "servicelb",
    bundledIngress: "traefik",
    metricsServer: true,
    snapshotController: false,
    ownsGatewayApiCrds: false,
    allowsFixedUids: true,
    autoscalerProviders: ["rancher", "clusterapi"],
    upstreamRook: true,
  },
  rke2: {
    bundledIngress: "rke2-ingress-nginx",
    metricsServer: true,
    snapshotController: true,
    ownsGatewayApiCrds: false,
    allowsFixedUids: true,
    autoscalerProviders: ["rancher", "clusterapi"],
    upstreamRook: true,
  },
  openshift: {
    bundledIngress: "openshift-router",
    metricsServer: true,
    snapshotController: true,
    ownsGatewayApiCrds: true,
    allowsFixedUids: false,
    // OpenShift scales with its own ClusterAutoscaler and MachineAutoscalers (Machine API).
    autoscalerProviders: [],
    upstreamRook: false,
  },
  k0s: {
    metricsServer: true,
    snapshotController: false,
    ownsGatewayApiCrds: false,
    allowsFixedUids: true,
    autoscalerProviders: ["clusterapi"],
    upstreamRook: true,
  },
  vanilla: {
    metricsServer: false,
    snapshotController: false,
    ownsGatewayApiCrds: false,
    allowsFixedUids: true,
    autoscalerProviders: ["clusterapi"],
    upstreamRook: true,
  },
};

/**
 * The Gateway API controller the platform runs: Envoy Gateway everywhere (one routing model for
 * every target), except OpenShift, whose Ingress Operator owns the Gateway API CRDs and brings its
 * own implementation. The onprem-addons layers install it; K3s's bundled Traefik is turned off
 * because of it (k3s.ts).
 */
export function gatewayControllerOf(
  distribution: OnpremDistribution,
): "envoy-gateway" | "openshift" {
  return distribution === "openshift" ? "openshift" : "envoy-gateway";
}

/** Zone and site names become label values and name parts. */
const LABEL_VALUE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** A DNS name (for an API address or NFS server given by name). */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

// @pulumi/command skips host-key checks when no key is given.
const HOST_KEY_RULE =
  "is required in prod, so SSH verifies the host it configures instead of trusting any: ssh-keyscan -t ed25519 <address> | cut -d' ' -f2-";

export const ONPREM_CATALOG: CloudCatalog = {
  regions: {},
  userDefinedRegions: true,
  configIssues: (config) => onpremConfigIssues(config),
  // The cache runs in the cluster: its certificate needs cert-manager (addons) and its volumes the
  // block class (storage), so its stack comes after both and reads their outputs.
  // The observability layer's private load balancers (central write path, Grafana) take MetalLB
  // addresses, and MetalLB runs in the addons layer (loadBalancing), which must come first.
  layerDependencies: { cache: ["addons", "storage"], observability: ["addons"] },
  // A LoadBalancer Service takes an address of the site's MetalLB pools, which are networks of the
  // site (or routed to it by BGP): private as they are, no annotation needed.
  privateLoadBalancerAnnotations: {},
};

/** An address-pool entry as an inclusive numeric range: a CIDR or `first-last`. */
export function poolRange(entry: string): { first: number; last: number } | undefined {
  const cidr = parseCidr(entry);
  if (cidr) return { first: cidr.start, last: cidr.start + cidr.size - 1 };
  const m = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(entry);
  if (!m) return undefined;
  const first = ipv4Number(m[1]);
  const last = ipv4Number(m[2]);
  return first !== undefined && last !== undefined && first <= last ? { first, last } : undefined;
}

function rangeInCidr(range: { first: number; last: number }, cidr: string): boolean {
  const c = parseCidr(cidr);
  return !!c && range.first >= c.start && range.last <= c.start + c.size - 1;
}

/**
 * The zones whose node networks hold every address of an L2 pool, sorted: the nodes that may
 * announce it (a node answers ARP on its own segment only). Empty when no one zone set holds all.
 */
export function poolZones(
  nodeNetworks: OnpremConfig["nodeNetworks"],
  pool: { readonly addresses: readonly string[] },
): string[] {
  const zonesOf = (entry: string) => {
    const range = poolRange(entry);
    return new Set(
      nodeNetworks.filter((n) => range && rangeInCidr(range, n.cidr)).map((n) => n.zone),
    );
  };
  const [first, ...rest] = pool.addresses.map(zonesOf);
  return [...(first ?? [])].filter((z) => rest.every((zones) => zones.has(z))).sort();
}

function addressInCidr(address: string, cidr: string): boolean {
  return isIpv4(address) && cidrContains(cidr, `${address}/32`);
}

/** Every rule of the `officeless:onprem` section against the rest of the config. */
export function onpremConfigIssues(config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  if (config.region !== undefined && !LABEL_VALUE.test(config.region)) {
    issues.push({
      path: "region",
      value: config.region,
      message:
        'is the site\'s name on-prem (e.g. "dc1"): lowercase letters, digits and hyphens, at most 63 characters',
    });
  }
  config.zones?.forEach((zone, i) => {
    if (!LABEL_VALUE.test(zone)) {
      issues.push({
        path: `zones[${i}]`,
        value: zone,
        message:
          "is a failure domain on-prem (a room, rack or hypervisor cluster) and becomes the nodes' topology.kubernetes.io/zone label: lowercase letters, digits and hyphens, at most 63 characters",
      });
    }
  });
  const onprem = config.onprem;
  if (!onprem) return issues; // required-ness is config.ts's rule
  if (config.kubernetes && config.kubernetes.adminPrincipals.length > 0) {
    issues.push({
      path: "kubernetes.adminPrincipals",
      value: config.kubernetes.adminPrincipals,
      message:
        "is not used on-prem: cluster admins are the cluster's own RBAC or identity provider (the kubeconfig's user deploys); remove it",
    });
  }
  const zones = config.zones ?? [];
  issues.push(
    ...onpremNetworkIssues(onprem, zones, config.network?.cidr),
    ...clusterIssues(onprem, config),
    ...loadBalancerIssues(onprem, config.network?.cidr),
    ...storageIssues(onprem, config),
    ...autoscalingIssues(onprem, config),
    ...vpnIssues(onprem, config),
    ...backupIssues(onprem, config),
  );
  return issues;
}

export function onpremNetworkIssues(
  onprem: OnpremConfig,
  zones: readonly string[],
  siteCidr?: string,
): Issue[] {
  const issues: Issue[] = [];
  onprem.nodeNetworks.forEach((net, i) => {
    const at = `onprem.nodeNetworks[${i}]`;
    if (zones.length > 0 && !zones.includes(net.zone)) {
      issues.push({
        path: `${at}.zone`,
        value: net.zone,
        message: `is not one of officeless:zones (${zones.join(", ")})`,
      });
    }
    if (!parseCidr(net.cidr)) {
      issues.push({
        path: `${at}.cidr`,
        value: net.cidr,
        message: "must be an IPv4 CIDR with zero host bits, e.g. 10.20.1.0/24",
      });
      return;
    }
    if (siteCidr && parseCidr(siteCidr) && !cidrContains(siteCidr, net.cidr)) {
      issues.push({
        path: `${at}.cidr`,
        value: net.cidr,
        message: `is outside the declared network officeless:network.cidr ${siteCidr}`,
      });
    }
    const clash = onprem.nodeNetworks.findIndex(
      (other, j) => j < i && parseCidr(other.cidr) && cidrsOverlap(other.cidr, net.cidr),
    );
    if (clash >= 0) {
      issues.push({
        path: `${at}.cidr`,
        value: net.cidr,
        message: `overlaps onprem.nodeNetworks[${clash}] (${onprem.nodeNetworks[clash].cidr}); segments must be disjoint`,
      });
    }
  });
  const missing = zones.filter((zone) => !onprem.nodeNetworks.some((n) => n.zone === zone));
  if (missing.length > 0) {
    issues.push({
      path: "onprem.nodeNetworks",
      value: onprem.nodeNetworks.map((n) => n.zone),
      message: `needs a node network for every zone; missing: ${missing.join(", ")}`,
    });
  }
  return issues;
}

/** The node network a zone's hosts must sit in. */
function zoneNetworks(onprem: OnpremConfig, zone: string): string[] {
  return onprem.nodeNetworks.filter((n) => n.zone === zone).map((n) => n.cidr);
}

function clusterIssues(onprem: OnpremConfig, config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const { cluster } = onprem;
  const prod = config.environment === "prod";
  if (cluster.mode === "existing") {
    if (cluster.kubeconfig === undefined) {
      issues.push({
        path: "onprem.cluster.kubeconfig",
        message:
          "is required with cluster.mode existing: pulumi config set --secret --path 'officeless:onprem.cluster.kubeconfig' \"$(kubectl config view --minify --flatten --raw)\"",
      });
    }
    if (cluster.k3s) {
      issues.push({
        path: "onprem.cluster.k3s",
        message: "applies only to cluster.mode k3s; remove it or set cluster.mode: k3s",
      });
    }
    return issues;
  }
  // mode k3s: the backend installs the cluster itself.
  if (onprem.distribution !== "k3s") {
    issues.push({
      path: "onprem.cluster.mode",
      value: cluster.mode,
      message: `installs K3s, but distribution is ${onprem.distribution}; set distribution: k3s, or cluster.mode: existing with the cluster's kubeconfig`,
    });
  }
  if (cluster.kubeconfig !== undefined) {
    issues.push({
      path: "onprem.cluster.kubeconfig",
      message: "is produced by cluster.mode k3s (a secret output); remove it",
    });
  }
  if (!onprem.ssh) {
    issues.push({
      path: "onprem.ssh",
      message:
        "is required with cluster.mode k3s: {user, port, privateKey} (pulumi config set --secret --path 'officeless:onprem.ssh.privateKey' < key)",
    });
  }
  const k3s = cluster.k3s;
  if (!k3s) {
    issues.push({
      path: "onprem.cluster.k3s",
      message:
        "is required with cluster.mode k3s: {servers: [{name, address, zone}], agents: [...]}",
    });
    return issues;
  }
  const minor = config.kubernetes?.version;
  if (k3s.version === "") {
    issues.push({
      path: "onprem.cluster.k3s.version",
      message: `no K3s release is pinned for kubernetes.version ${minor}; pinned: ${Object.entries(
        K3S_RELEASES,
      )
        .map(([m, r]) => `${m} -> ${r}`)
        .join(", ")}`,
    });
  } else if (minor && k3sMinor(k3s.version) !== minor) {
    issues.push({
      path: "onprem.cluster.k3s.version",
      value: k3s.version,
      message: `must be a release of kubernetes.version ${minor} (e.g. ${K3S_RELEASES[minor] ?? `v${minor}.x+k3s1`})`,
    });
  } else if (!(KUBERNETES_VERSIONS as readonly string[]).includes(k3sMinor(k3s.version) ?? "")) {
    issues.push({
      path: "onprem.cluster.k3s.version",
      value: k3s.version,
      message: `is outside the supported minors ${KUBERNETES_VERSIONS.join(", ")}`,
    });
  }
  const servers = k3s.servers.length;
  // Embedded etcd needs a majority: 1 server (no HA) or an odd number of at least 3.
  if (servers === 2 || (servers > 3 && servers % 2 === 0)) {
    issues.push({
      path: "onprem.cluster.k3s.servers",
      value: servers,
      message:
        "embedded etcd needs a majority to survive a loss: use 1 server (no HA) or an odd number, at least 3",
    });
  } else if (prod && servers < 3) {
    issues.push({
      path: "onprem.cluster.k3s.servers",
      value: servers,
      message: "prod needs 3 servers (embedded etcd over 3 zones survives losing one)",
    });
  }
  if (prod && servers >= 3) {
    const spread = new Set(k3s.servers.map((s) => s.zone)).size;
    if (spread < 3) {
      issues.push({
        path: "onprem.cluster.k3s.servers",
        value: k3s.servers.map((s) => s.zone),
        message: "prod spreads the servers over 3 zones, so losing a zone keeps the etcd majority",
      });
    }
  }
  const hosts = [
    ...k3s.servers.map((h, i) => ({ h, at: `onprem.cluster.k3s.servers[${i}]` })),
    ...k3s.agents.map((h, i) => ({ h, at: `onprem.cluster.k3s.agents[${i}]` })),
  ];
  const seenNames = new Map<string, string>();
  const seenAddresses = new Map<string, string>();
  for (const { h, at } of hosts) {
    if (seenNames.has(h.name)) {
      issues.push({
        path: `${at}.name`,
        value: h.name,
        message: `is already the name of ${seenNames.get(h.name)}; node names must be unique`,
      });
    } else seenNames.set(h.name, at);
    if (!isIpv4(h.address)) {
      issues.push({
        path: `${at}.address`,
        value: h.address,
        message: "must be the host's IPv4 address in its zone's node network",
      });
    } else {
      if (seenAddresses.has(h.address)) {
        issues.push({
          path: `${at}.address`,
          value: h.address,
          message: `is already the address of ${seenAddresses.get(h.address)}`,
        });
      } else seenAddresses.set(h.address, at);
      const nets = zoneNetworks(onprem, h.zone);
      if (nets.length > 0 && !nets.some((cidr) => addressInCidr(h.address, cidr))) {
        issues.push({
          path: `${at}.address`,
          value: h.address,
          message: `is outside the node network of zone ${h.zone} (${nets.join(", ")})`,
        });
      }
    }
    if (prod && h.hostKey === undefined) {
      issues.push({
        path: `${at}.hostKey`,
        message: HOST_KEY_RULE,
      });
    }
    if (config.zones && !config.zones.includes(h.zone)) {
      issues.push({
        path: `${at}.zone`,
        value: h.zone,
        message: `is not one of officeless:zones (${config.zones.join(", ")})`,
      });
    }
  }
  if (k3s.apiAddress !== undefined && !isIpv4(k3s.apiAddress) && !HOST_NAME.test(k3s.apiAddress)) {
    issues.push({
      path: "onprem.cluster.k3s.apiAddress",
      value: k3s.apiAddress,
      message:
        "must be an IPv4 address or DNS name (a VIP or load balancer in front of the servers)",
    });
  }
  const ranges: [string, string][] = [
    ["onprem.cluster.k3s.clusterCidr", k3s.clusterCidr],
    ["onprem.cluster.k3s.serviceCidr", k3s.serviceCidr],
  ];
  ranges.forEach(([path, cidr], i) => {
    if (!parseCidr(cidr)) {
      issues.push({ path, value: cidr, message: "must be an IPv4 CIDR with zero host bits" });
      return;
    }
    const site = config.network?.cidr;
    if (site && parseCidr(site) && cidrsOverlap(site, cidr)) {
      issues.push({
        path,
        value: cidr,
        message: `overlaps the site network officeless:network.cidr ${site}; pod and service ranges must be disjoint from it`,
      });
    }
    if (i === 1 && parseCidr(ranges[0][1]) && cidrsOverlap(ranges[0][1], cidr)) {
      issues.push({ path, value: cidr, message: `overlaps clusterCidr ${ranges[0][1]}` });
    }
  });
  return issues;
}

function loadBalancerIssues(onprem: OnpremConfig, siteCidr?: string): Issue[] {
  const issues: Issue[] = [];
  const lb = onprem.loadBalancer;
  const segments = onprem.nodeNetworks.map((n) => n.cidr).filter((c) => parseCidr(c));
  const site = siteCidr && parseCidr(siteCidr) ? siteCidr : undefined;
  const taken = new Map<number, string>();
  for (const h of [...(onprem.cluster.k3s?.servers ?? []), ...(onprem.cluster.k3s?.agents ?? [])]) {
    const n = ipv4Number(h.address);
    if (n !== undefined) taken.set(n, `host ${h.name}`);
  }
  const api = onprem.cluster.k3s?.apiAddress;
  if (api && ipv4Number(api) !== undefined) taken.set(ipv4Number(api)!, "the API address");
  const gateway = onprem.vpn.gatewayHost?.address;
  if (gateway && ipv4Number(gateway) !== undefined)
    taken.set(ipv4Number(gateway)!, "the VPN gateway host");
  const seen: { first: number; last: number; at: string }[] = [];
  const names = new Set<string>();
  lb.addressPools.forEach((pool, i) => {
    const at = `onprem.loadBalancer.addressPools[${i}]`;
    if (names.has(pool.name))
      issues.push({ path: `${at}.name`, value: pool.name, message: "pool names must be unique" });
    names.add(pool.name);
    pool.addresses.forEach((entry, j) => {
      const path = `${at}.addresses[${j}]`;
      const range = poolRange(entry);
      if (!range) {
        issues.push({
          path,
          value: entry,
          message:
            'must be an IPv4 CIDR ("10.20.1.240/28") or an inclusive range ("10.20.1.240-10.20.1.250")',
        });
        return;
      }
      if (site && !rangeInCidr(range, site)) {
        issues.push({
          path,
          value: entry,
          message: `is outside the declared network officeless:network.cidr ${site}`,
        });
      } else if (lb.mode === "l2" && !segments.some((cidr) => rangeInCidr(range, cidr))) {
        issues.push({
          path,
          value: entry,
          message: `is outside every node network (${segments.join(", ")}): in L2 mode a node answers ARP for the address, so it must be in a node segment; use mode bgp for routed ranges`,
        });
      }
      for (const [address, owner] of taken) {
        if (address >= range.first && address <= range.last) {
          issues.push({
            path,
            value: entry,
            message: `contains the address of ${owner}; MetalLB would hand it to a Service`,
          });
        }
      }
      const clash = seen.find((s) => s.first <= range.last && range.first <= s.last);
      if (clash) {
        issues.push({
          path,
          value: entry,
          message: `overlaps ${clash.at}; pools must be disjoint`,
        });
      }
      seen.push({ ...range, at: path });
    });
    const inSegments = pool.addresses.every((e) => {
      const r = poolRange(e);
      return r && segments.some((cidr) => rangeInCidr(r, cidr));
    });
    if (lb.mode === "l2" && inSegments && poolZones(onprem.nodeNetworks, pool).length === 0) {
      issues.push({
        path: `${at}.addresses`,
        value: pool.addresses.join(", "),
        message:
          "spans the node networks of different zones: an L2 pool is announced only by the nodes of the zones whose segment holds it, so split it into one pool per segment",
      });
    }
  });
  if (lb.mode === "bgp" && !lb.bgp) {
    issues.push({
      path: "onprem.loadBalancer.bgp",
      message: "is required with mode bgp: {localAsn, peers: [{address, asn}]}",
    });
  }
  if (lb.mode === "l2" && lb.bgp) {
    issues.push({
      path: "onprem.loadBalancer.bgp",
      message: "applies only to mode bgp; remove it or set loadBalancer.mode: bgp",
    });
  }
  lb.bgp?.peers.forEach((peer, i) => {
    if (!isIpv4(peer.address)) {
      issues.push({
        path: `onprem.loadBalancer.bgp.peers[${i}].address`,
        value: peer.address,
        message: "must be the router's IPv4 address",
      });
    }
  });
  return issues;
}

function storageIssues(onprem: OnpremConfig, config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const { storage, distribution } = onprem;
  const facts = DISTRIBUTIONS[distribution];
  const usesCeph = (
    [
      ["onprem.storage.block.provider", storage.block.provider],
      ["onprem.storage.file.provider", storage.file.provider],
      ["onprem.storage.object.provider", storage.object.provider],
    ] as const
  ).filter(([, provider]) => provider === "rook-ceph");
  if (!facts.upstreamRook) {
    for (const [path, provider] of usesCeph) {
      issues.push({
        path,
        value: provider,
        message: `is not installed on ${distribution}: use OpenShift Data Foundation (Red Hat's Rook-Ceph operator) and name its classes (block: existing with storageClassName), or an external S3 endpoint for objects`,
      });
    }
  }
  if (usesCeph.length > 0 && config.environment === "prod") {
    const hosts = onprem.cluster.k3s
      ? onprem.cluster.k3s.servers.length + onprem.cluster.k3s.agents.length
      : undefined;
    if (hosts !== undefined && hosts < 3) {
      issues.push({
        path: usesCeph[0][0],
        value: "rook-ceph",
        message: `Ceph needs 3 nodes with raw disks (3 monitors, 3 replicas); the K3s cluster has ${hosts}`,
      });
    }
  }
  if (storage.block.provider === "existing" && !storage.block.storageClassName) {
    issues.push({
      path: "onprem.storage.block.storageClassName",
      message: "is required with block.provider existing: the cluster's StorageClass for volumes",
    });
  }
  if (storage.block.provider !== "existing" && storage.block.storageClassName) {
    issues.push({
      path: "onprem.storage.block.storageClassName",
      value: storage.block.storageClassName,
      message: `applies only to block.provider existing (${storage.block.provider} creates its own class)`,
    });
  }
  if (storage.file.provider === "nfs" && !storage.file.nfs) {
    issues.push({
      path: "onprem.storage.file.nfs",
      message: "is required with file.provider nfs: {server, share} of the existing export",
    });
  }
  if (storage.file.nfs) {
    const server = storage.file.nfs.server;
    if (!isIpv4(server) && !HOST_NAME.test(server)) {
      issues.push({
        path: "onprem.storage.file.nfs.server",
        value: server,
        message: "must be the NFS server's IPv4 address or DNS name",
      });
    }
    if (storage.file.provider !== "nfs") {
      issues.push({
        path: "onprem.storage.file.nfs",
        message: `applies only to file.provider nfs (it is ${storage.file.provider})`,
      });
    }
  }
  if (config.storage?.file.enabled && storage.file.provider === "none") {
    issues.push({
      path: "onprem.storage.file.provider",
      value: "none",
      message:
        "storage.file.enabled is true but nothing serves files: choose rook-ceph (CephFS) or nfs with {server, share}, or set officeless:storage.file.enabled: false",
    });
  }
  if (storage.object.provider === "external" && !storage.object.external) {
    issues.push({
      path: "onprem.storage.object.external",
      message:
        "is required with object.provider external: {endpoint, region, accessKeyId, secretAccessKey}",
    });
  }
  if (storage.object.provider === "rook-ceph" && storage.object.external) {
    issues.push({
      path: "onprem.storage.object.external",
      message:
        "applies only to object.provider external; remove it or set object.provider: external",
    });
  }
  if (storage.ceph.deviceFilter && usesCeph.length === 0) {
    issues.push({
      path: "onprem.storage.ceph.deviceFilter",
      value: storage.ceph.deviceFilter,
      message: "applies only when a storage provider is rook-ceph",
    });
  }
  return issues;
}

function autoscalingIssues(onprem: OnpremConfig, config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const { autoscaling, distribution, cluster } = onprem;
  const facts = DISTRIBUTIONS[distribution];
  if (autoscaling.provider === "none") {
    // Fixed machines: a pool asking for more nodes than it has would never get them.
    config.kubernetes?.nodePools.forEach((pool, i) => {
      if (pool.maxSize > pool.minSize) {
        issues.push({
          path: `kubernetes.nodePools[${i}].maxSize`,
          value: pool.maxSize,
          message: `asks for autoscaling (minSize ${pool.minSize}), but nothing can add nodes with onprem.autoscaling.provider none${
            facts.autoscalerProviders.length > 0
              ? `; set maxSize to minSize, or a provider that can on ${distribution}: ${facts.autoscalerProviders.join(", ")}`
              : `; set maxSize to minSize (${distribution} scales with its own ClusterAutoscaler and MachineAutoscalers)`
          }`,
        });
      }
    });
    return issues;
  }
  if (!(facts.autoscalerProviders as readonly string[]).includes(autoscaling.provider)) {
    issues.push({
      path: "onprem.autoscaling.provider",
      value: autoscaling.provider,
      message:
        facts.autoscalerProviders.length === 0
          ? `cannot add nodes on ${distribution}: it scales with its own ClusterAutoscaler and MachineAutoscalers (Machine API); set none`
          : `cannot add nodes on ${distribution}; valid: none, ${facts.autoscalerProviders.join(", ")}`,
    });
  } else if (cluster.mode === "k3s") {
    issues.push({
      path: "onprem.autoscaling.provider",
      value: autoscaling.provider,
      message:
        "cannot add nodes to a K3s cluster this platform installs on fixed hosts (no Cluster API or Rancher machine pools); set none and list the hosts",
    });
  }
  if (autoscaling.provider === "clusterapi" && !autoscaling.clusterapi) {
    issues.push({
      path: "onprem.autoscaling.clusterapi",
      message:
        "is required with provider clusterapi: {clusterName, namespace} of the Cluster API cluster",
    });
  }
  if (autoscaling.provider === "rancher" && !autoscaling.rancher) {
    issues.push({
      path: "onprem.autoscaling.rancher",
      message: "is required with provider rancher: {url, clusterName, clusterNamespace, token}",
    });
  }
  return issues;
}

function vpnIssues(onprem: OnpremConfig, config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const { localPublicIp, gatewayHost } = onprem.vpn;
  const k3s = onprem.cluster.k3s;
  config.vpn?.peers.forEach((peer, i) => {
    // Nodes route these ranges to pods and Services: a peer behind one would be unreachable.
    peer.cidrs.forEach((cidr, j) => {
      for (const [key, range] of [
        ["clusterCidr", k3s?.clusterCidr],
        ["serviceCidr", k3s?.serviceCidr],
      ] as const) {
        if (range && parseCidr(range) && parseCidr(cidr) && cidrsOverlap(range, cidr)) {
          issues.push({
            path: `vpn.peers[${i}].cidrs[${j}]`,
            value: cidr,
            message: `overlaps the K3s ${key} ${range} (onprem.cluster.k3s.${key}); choose disjoint ranges`,
          });
        }
      }
    });
    for (const key of ["bgpAsn", "bgpPeerAddress"] as const) {
      if (peer[key] !== undefined) {
        issues.push({
          path: `vpn.peers[${i}].${key}`,
          value: peer[key],
          message:
            "is not used on-prem: the strongSwan gateway routes the peer's cidrs statically (policy-based traffic selectors, no BGP daemon); remove it",
        });
      }
    }
  });
  if (config.vpn?.enabled && localPublicIp === undefined) {
    issues.push({
      path: "onprem.vpn.localPublicIp",
      message: "is required with vpn.enabled: the site's public IPv4 address the peers connect to",
    });
  }
  if (localPublicIp !== undefined && !isPublicIpv4(localPublicIp)) {
    issues.push({
      path: "onprem.vpn.localPublicIp",
      value: localPublicIp,
      message: "must be the site's public (internet-routable) IPv4 address",
    });
  }
  if (gatewayHost) {
    if (!isIpv4(gatewayHost.address)) {
      issues.push({
        path: "onprem.vpn.gatewayHost.address",
        value: gatewayHost.address,
        message: "must be the gateway host's IPv4 address, reachable over SSH",
      });
    }
    if (!onprem.ssh) {
      issues.push({
        path: "onprem.ssh",
        message: "is required with vpn.gatewayHost: the platform installs strongSwan over SSH",
      });
    }
    if (config.environment === "prod" && gatewayHost.hostKey === undefined) {
      issues.push({ path: "onprem.vpn.gatewayHost.hostKey", message: HOST_KEY_RULE });
    }
    const node = [
      ...(onprem.cluster.k3s?.servers ?? []),
      ...(onprem.cluster.k3s?.agents ?? []),
    ].find((h) => h.address === gatewayHost.address);
    if (node) {
      issues.push({
        path: "onprem.vpn.gatewayHost.address",
        value: gatewayHost.address,
        message: `is the K3s node ${node.name}; the gateway runs outside the cluster, so a node restart does not drop the tunnels`,
      });
    }
  }
  return issues;
}

/** Whether an S3 endpoint points into this cluster (its RGW Service or a load-balancer address). */
function onThisCluster(endpoint: OnpremS3Endpoint, onprem: OnpremConfig): boolean {
  const host = endpoint.endpoint.replace(/:\d+$/, "").toLowerCase();
  if (/\.svc(\.|$)|\.cluster\.local$|^rook-ceph-rgw-/.test(host)) return true;
  const n = ipv4Number(host);
  return (
    n !== undefined &&
    onprem.loadBalancer.addressPools.some((p) =>
      p.addresses.some((entry) => {
        const r = poolRange(entry);
        return r !== undefined && n >= r.first && n <= r.last;
      }),
    )
  );
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function backupIssues(onprem: OnpremConfig, config: CloudConfigSections): Issue[] {
  const issues: Issue[] = [];
  const backup = config.backup;
  if (!backup?.enabled) return issues;
  const fields = backup.schedule.trim().split(/\s+/);
  if (
    !/^@(daily|weekly|hourly|midnight)$/.test(backup.schedule.trim()) &&
    (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f)))
  ) {
    issues.push({
      path: "backup.schedule",
      value: backup.schedule,
      message: 'must be a 5-field cron expression (Velero Schedule), e.g. "0 3 * * *"',
    });
  }
  const { target, external } = onprem.backup;
  if (target === "external" && !external) {
    issues.push({
      path: "onprem.backup.external",
      message:
        config.environment === "prod"
          ? "is required in prod: {endpoint, bucket, accessKeyId, secretAccessKey} of an S3 store off this cluster's Ceph (a second site, an appliance, a cloud bucket), so backups survive losing it"
          : "is required with backup.target external: {endpoint, bucket, accessKeyId, secretAccessKey}",
    });
  }
  if (target === "rook-ceph") {
    if (external) {
      issues.push({
        path: "onprem.backup.target",
        value: target,
        message:
          "puts backups on this cluster's own Ceph although an external target is configured (onprem.backup.external); set target: external, or remove external",
      });
    } else if (config.environment === "prod") {
      issues.push({
        path: "onprem.backup.target",
        value: target,
        message:
          "keeps prod backups on the Ceph cluster they back up, so losing it loses both; set target: external with onprem.backup.external",
      });
    }
    if (onprem.storage.object.provider !== "rook-ceph") {
      issues.push({
        path: "onprem.backup.target",
        value: target,
        message: "needs Ceph RGW (onprem.storage.object.provider rook-ceph); set target: external",
      });
    }
  }
  if (external && onThisCluster(external, onprem)) {
    issues.push({
      path: "onprem.backup.external.endpoint",
      value: external.endpoint,
      message:
        "points into this cluster (its RGW Service or a load-balancer address); an external target must live off this cluster's Ceph",
    });
  }
  return issues;
}
