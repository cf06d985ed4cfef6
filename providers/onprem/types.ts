/**
 * The validated `officeless:onprem` section: the facts a customer's data centre has and a cloud
 * API would otherwise answer (which Kubernetes, where its nodes are, which addresses are free for
 * load balancers, which storage exists). Pure types and constants: no SDK here. The zod schema
 * and the defaults are in programs/configSchema.ts, the cross-field rules in ./catalog.ts.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Kubernetes distributions the on-prem backend knows; what differs between them is in ./catalog.ts. */
export const ONPREM_DISTRIBUTIONS = ["k3s", "rke2", "openshift", "k0s", "vanilla"] as const;
export type OnpremDistribution = (typeof ONPREM_DISTRIBUTIONS)[number];

/** `existing`: a cluster the customer runs (a kubeconfig); `k3s`: the backend installs HA K3s over SSH. */
export const ONPREM_CLUSTER_MODES = ["existing", "k3s"] as const;
export type OnpremClusterMode = (typeof ONPREM_CLUSTER_MODES)[number];

/** How the platform reaches hosts it configures (K3s nodes, the VPN gateway). */
export interface OnpremSshConfig {
  readonly user: string;
  readonly port: number;
  /** OpenSSH or PEM private key. Secret. */
  readonly privateKey: pulumi.Output<string>;
}

/** A machine the platform installs K3s on. */
export interface OnpremHost {
  /** Node name (a DNS label); K3s registers the node under it. */
  readonly name: string;
  /** IPv4 address in its zone's node network, reachable over SSH from the runner. */
  readonly address: string;
  /** One of `officeless:zones`: the node's `topology.kubernetes.io/zone` label. */
  readonly zone: string;
  /** The host's public SSH key (`ssh-ed25519 AAAA...`); SSH refuses another. Required in prod. */
  readonly hostKey?: string;
}

export interface OnpremK3sConfig {
  /** K3s release, e.g. `v1.36.1+k3s1`; unset pins the tested release of `kubernetes.version`. */
  readonly version: string;
  /** Control-plane nodes with embedded etcd: 1 (dev) or an odd number of at least 3 (HA). */
  readonly servers: readonly OnpremHost[];
  /** Worker nodes. */
  readonly agents: readonly OnpremHost[];
  /**
   * The API address clients and agents use: a VIP or load balancer in front of the servers.
   * Unset uses the first server (then that server is a single point of entry for agents joining).
   */
  readonly apiAddress?: string;
  /** Pod network. @default 10.42.0.0/16 (K3s's) */
  readonly clusterCidr: string;
  /** Service network. @default 10.43.0.0/16 (K3s's) */
  readonly serviceCidr: string;
}

export interface OnpremClusterConfig {
  readonly mode: OnpremClusterMode;
  /** `existing`: the cluster's kubeconfig (a static credential or token, no exec plugin). Secret. */
  readonly kubeconfig?: pulumi.Output<string>;
  /** `k3s`: the hosts and the release. */
  readonly k3s?: OnpremK3sConfig;
}

/** The L2 segment (VLAN) of one failure domain. */
export interface OnpremNodeNetwork {
  /** One of `officeless:zones`. */
  readonly zone: string;
  /** IPv4 CIDR of the segment, inside `officeless:network.cidr`. */
  readonly cidr: string;
}

export interface OnpremAddressPool {
  /** Pool name (a DNS label); the MetalLB IPAddressPool's name derives from it. */
  readonly name: string;
  /** CIDRs (`10.0.0.64/27`) or inclusive ranges (`10.0.0.100-10.0.0.150`). */
  readonly addresses: readonly string[];
}

export interface OnpremBgpPeer {
  /** The router's address. */
  readonly address: string;
  readonly asn: number;
}

export interface OnpremLoadBalancerConfig {
  /** `l2`: ARP/NDP announcements inside the node segments; `bgp`: routes to the site's routers. */
  readonly mode: "l2" | "bgp";
  readonly addressPools: readonly OnpremAddressPool[];
  /** BGP mode: the cluster's ASN and the routers it peers with. */
  readonly bgp?: { readonly localAsn: number; readonly peers: readonly OnpremBgpPeer[] };
  /**
   * The host name (or `*.` wildcard) the shared Gateway serves HTTPS for, with a certificate from
   * the platform CA. Unset: the Gateway listens on HTTP only.
   */
  readonly gatewayHostname?: string;
}

/** An S3-compatible endpoint outside the cluster (an appliance, a second site, a cloud bucket). */
export interface OnpremS3Endpoint {
  /** Host (and port) without scheme, e.g. `s3.dc1.example.com` or `10.20.5.10:9000`. */
  readonly endpoint: string;
  /** Region string the store expects (`us-east-1` for most S3-compatible stores). */
  readonly region: string;
  /** Path-style addressing (`endpoint/bucket`), what most S3-compatible stores need. */
  readonly forcePathStyle: boolean;
  /** Bucket names are `<bucketPrefix>-<role>`. @default officeless:name */
  readonly bucketPrefix?: string;
  readonly accessKeyId: string;
  /** Secret. */
  readonly secretAccessKey: pulumi.Output<string>;
}

export interface OnpremStorageConfig {
  /** Block volumes: Rook-Ceph RBD, Longhorn, or a StorageClass the cluster already has. */
  readonly block: {
    readonly provider: "rook-ceph" | "longhorn" | "existing";
    readonly storageClassName?: string;
  };
  /** Shared files: CephFS, an existing NFS export (csi-driver-nfs), or none. */
  readonly file: {
    readonly provider: "rook-ceph" | "nfs" | "none";
    readonly nfs?: { readonly server: string; readonly share: string };
  };
  /** Buckets: Ceph RGW through ObjectBucketClaims, or an external S3 endpoint. */
  readonly object: {
    readonly provider: "rook-ceph" | "external";
    readonly external?: OnpremS3Endpoint;
  };
  /** Rook-Ceph: which disks become OSDs. Rook only takes disks without partitions or file systems. */
  readonly ceph: { readonly deviceFilter?: string };
}

/** What adds nodes for the cluster autoscaler; `none` on fixed machines. */
export interface OnpremAutoscalingConfig {
  readonly provider: "none" | "clusterapi" | "rancher";
  /** clusterapi: the Cluster API cluster's name and namespace (auto-discovery). */
  readonly clusterapi?: { readonly clusterName: string; readonly namespace: string };
  /** rancher: the Rancher server, the cluster's name and an API token (secret). */
  readonly rancher?: {
    readonly url: string;
    readonly clusterName: string;
    readonly clusterNamespace: string;
    readonly token: pulumi.Output<string>;
  };
}

export interface OnpremVpnConfig {
  /** The site's public IPv4 address, which peers connect to (strongSwan `local_addrs` / IKE id). */
  readonly localPublicIp?: string;
  /** A Linux host (outside the cluster) to install strongSwan on over SSH; unset only renders the config. */
  readonly gatewayHost?: { readonly address: string; readonly hostKey?: string };
}

export interface OnpremBackupConfig {
  /**
   * Where Velero writes: `external` (an S3 endpoint off this cluster's Ceph: survives losing it)
   * or `rook-ceph` (an RGW bucket on the same cluster: dev only).
   */
  readonly target: "external" | "rook-ceph";
  /** `external`: the endpoint, credentials and bucket. */
  readonly external?: OnpremS3Endpoint & { readonly bucket: string };
  /** Copy CSI snapshot data into the bucket (Velero's data mover), so backups survive losing the volumes' storage. */
  readonly snapshotMoveData: boolean;
}

/** The validated `officeless:onprem` section, every default resolved. */
export interface OnpremConfig {
  readonly distribution: OnpremDistribution;
  readonly cluster: OnpremClusterConfig;
  /** SSH access for `cluster.mode: k3s` and `vpn.gatewayHost`. */
  readonly ssh?: OnpremSshConfig;
  /** One L2 segment per zone at least. */
  readonly nodeNetworks: readonly OnpremNodeNetwork[];
  readonly loadBalancer: OnpremLoadBalancerConfig;
  readonly storage: OnpremStorageConfig;
  readonly autoscaling: OnpremAutoscalingConfig;
  readonly vpn: OnpremVpnConfig;
  readonly backup: OnpremBackupConfig;
}
