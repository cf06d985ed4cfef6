/**
 * On-prem configs as a stack file gives them (plain JSON, fresh copies), and their parsed forms:
 * a prod site with an existing RKE2 cluster over 3 rooms, and a dev site where the platform
 * installs K3s on three hosts over SSH.
 */
import { PlatformConfig } from "../../components/types";
import { parseConfig } from "../../programs/config";

export type Raw = Record<string, any>;

/** A kubeconfig with a client certificate, the shape `kubectl config view --minify --flatten --raw` prints. */
export const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters:",
  "  - name: dc1",
  "    cluster:",
  "      server: https://10.30.0.5:6443",
  "      certificate-authority-data: LS0tLS1CRUdJTi1DQQ==",
  "contexts:",
  "  - name: dc1",
  "    context: {cluster: dc1, user: admin}",
  "current-context: dc1",
  "users:",
  "  - name: admin",
  "    user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}",
  "",
].join("\n");

export const SECRET_OPTIONS = { secretKeys: new Set(["onprem"]) };

/** Prod: existing RKE2 over rooms a, b, c; Rook-Ceph; MetalLB L2 in the node segments; external backups. */
export function prodOnpremRaw(): Raw {
  return {
    cloud: "onprem",
    environment: "prod",
    region: "dc1",
    zones: ["room-a", "room-b", "room-c"],
    network: { cidr: "10.30.0.0/16" },
    kubernetes: {
      version: "1.36",
      nodePools: [{ name: "general", instanceTypes: ["r650"], minSize: 3, maxSize: 3 }],
    },
    cache: { highAvailability: true },
    onprem: {
      distribution: "rke2",
      cluster: { mode: "existing", kubeconfig: KUBECONFIG },
      nodeNetworks: [
        { zone: "room-a", cidr: "10.30.1.0/24" },
        { zone: "room-b", cidr: "10.30.2.0/24" },
        { zone: "room-c", cidr: "10.30.3.0/24" },
      ],
      loadBalancer: { addressPools: [{ name: "services", addresses: ["10.30.1.240/28"] }] },
      backup: {
        external: {
          endpoint: "s3.dc2.example.com",
          bucket: "officeless-prod-backup",
          accessKeyId: "AKIAEXAMPLE",
          secretAccessKey: "example-secret-key",
        },
      },
    },
  };
}

/** Dev: K3s on three hosts of one zone, SSH as root, Ceph on their spare disks. */
export function devK3sRaw(): Raw {
  return {
    cloud: "onprem",
    environment: "dev",
    region: "lab",
    zones: ["rack-1"],
    network: { cidr: "10.40.0.0/16" },
    kubernetes: {
      version: "1.36",
      nodePools: [{ name: "general", instanceTypes: ["vm-4c-16g"], minSize: 3, maxSize: 3 }],
    },
    cache: { replicas: 0 },
    onprem: {
      distribution: "k3s",
      cluster: {
        mode: "k3s",
        k3s: {
          servers: [
            { name: "k3s-1", address: "10.40.1.11", zone: "rack-1" },
            { name: "k3s-2", address: "10.40.1.12", zone: "rack-1" },
            { name: "k3s-3", address: "10.40.1.13", zone: "rack-1" },
          ],
          agents: [{ name: "k3s-4", address: "10.40.1.14", zone: "rack-1" }],
        },
      },
      ssh: {
        user: "ubuntu",
        privateKey:
          "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
      },
      nodeNetworks: [{ zone: "rack-1", cidr: "10.40.1.0/24" }],
      loadBalancer: {
        addressPools: [{ name: "services", addresses: ["10.40.1.200-10.40.1.220"] }],
      },
    },
  };
}

/** OpenShift: ODF's block class, no files, an external S3 store (upstream Rook is refused there). */
export function asOpenShift(r: Raw): void {
  r.onprem.distribution = "openshift";
  r.onprem.storage = {
    block: { provider: "existing", storageClassName: "ocs-storagecluster-ceph-rbd" },
    file: { provider: "none" },
    object: {
      provider: "external",
      external: { endpoint: "s3.dc1.example.com", accessKeyId: "k", secretAccessKey: "s" },
    },
  };
  r.storage = { file: { enabled: false } };
}

export function edit(change: (raw: Raw) => void, base: () => Raw = prodOnpremRaw): Raw {
  const raw = base();
  change(raw);
  return raw;
}

export function parsed(raw: Raw): PlatformConfig {
  return parseConfig(raw, SECRET_OPTIONS);
}

/** The common args every component takes, with the site's section. */
export function onpremArgs(config: PlatformConfig) {
  const { cloud, region, environment, tags, onprem } = config;
  return { cloud, region, environment, tags, onprem };
}
