/**
 * The `officeless:onprem` section: the example-like configs parse with their defaults resolved, and
 * every bad combination the issue names (autoscaling that cannot add nodes, address pools outside
 * the declared networks, a missing kubeconfig, a backup on the Ceph it backs up, ...) fails at
 * validation with its full key, the value and what is valid; secrets stay secret and out of messages.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../components/validation";
import { DEFAULTS, parseConfig } from "../../programs/config";
import { DISTRIBUTIONS } from "../../providers/onprem/catalog";
import { K3S_RELEASES } from "../../providers/onprem/versions";
import { isSecret, mockPulumi } from "../harness";
import {
  KUBECONFIG,
  Raw,
  SECRET_OPTIONS,
  devK3sRaw,
  edit,
  parsed,
  prodOnpremRaw,
  asOpenShift,
} from "./fixtures";

beforeAll(() => mockPulumi());

function problems(raw: Raw, options: Parameters<typeof parseConfig>[1] = SECRET_OPTIONS): string {
  try {
    parseConfig(raw, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("onprem config: what parses", () => {
  it("prod, existing RKE2: Ceph for block, file and object, external backup target, daily Velero cron", () => {
    const config = parsed(prodOnpremRaw());
    const onprem = config.onprem!;
    expect(config.cloud).toBe("onprem");
    expect(onprem.distribution).toBe("rke2");
    expect(onprem.storage.block.provider).toBe("rook-ceph");
    expect(onprem.storage.file.provider).toBe("rook-ceph");
    expect(onprem.storage.object.provider).toBe("rook-ceph");
    expect(onprem.loadBalancer.mode).toBe("l2");
    expect(onprem.autoscaling.provider).toBe("none");
    expect(onprem.backup.target).toBe("external");
    expect(onprem.backup.external!.region).toBe("us-east-1");
    expect(onprem.backup.external!.forcePathStyle).toBe(true);
    expect(onprem.backup.snapshotMoveData).toBe(true);
    expect(config.backup.schedule).toBe("0 3 * * *");
    expect(config.backup.crossRegionCopy.enabled).toBe(false);
    expect(config.storage.object.replication.enabled).toBe(false);
  });

  it("wraps the kubeconfig, SSH key and S3 secret keys as secrets", async () => {
    const prod = parsed(prodOnpremRaw()).onprem!;
    expect(await isSecret(prod.cluster.kubeconfig!)).toBe(true);
    expect(await isSecret(prod.backup.external!.secretAccessKey)).toBe(true);
    const dev = parsed(
      edit((r) => {
        r.backup = { enabled: false };
        r.onprem.storage = {
          object: {
            external: { endpoint: "10.40.5.10:9000", accessKeyId: "k", secretAccessKey: "s" },
          },
        };
      }, devK3sRaw),
    ).onprem!;
    expect(await isSecret(dev.ssh!.privateKey)).toBe(true);
    expect(await isSecret(dev.storage.object.external!.secretAccessKey)).toBe(true);
    expect(dev.storage.object.provider).toBe("external");
  });

  it("dev K3s: pins the K3s release of kubernetes.version, K3s's own ranges, SSH port 22, backups on RGW", () => {
    const config = parsed(devK3sRaw());
    const k3s = config.onprem!.cluster.k3s!;
    expect(k3s.version).toBe(K3S_RELEASES["1.36"]);
    expect(k3s.clusterCidr).toBe(DEFAULTS.onprem.k3s.clusterCidr);
    expect(k3s.serviceCidr).toBe("10.43.0.0/16");
    expect(config.onprem!.ssh!.port).toBe(22);
    expect(config.onprem!.backup.target).toBe("rook-ceph");
  });

  it("accepts any site and failure-domain names (no cloud region list) and {} for other clouds", () => {
    expect(parsed(edit((r) => (r.region = "frankfurt-2"))).region).toBe("frankfurt-2");
    // Pulumi.yaml declares officeless:onprem with default {}: other clouds see an empty map.
    expect(() =>
      parseConfig({
        cloud: "aws",
        environment: "dev",
        region: "us-east-1",
        zones: ["us-east-1a"],
        network: { cidr: "10.0.0.0/16" },
        kubernetes: {
          nodePools: [{ name: "general", instanceTypes: ["m6i.large"], minSize: 1, maxSize: 2 }],
        },
        onprem: {},
      }),
    ).not.toThrow();
  });

  it("ships facts for every distribution: what K3s, RKE2 and OpenShift bundle differs", () => {
    expect(Object.keys(DISTRIBUTIONS).sort()).toEqual([
      "k0s",
      "k3s",
      "openshift",
      "rke2",
      "vanilla",
    ]);
    expect(DISTRIBUTIONS.k3s.bundledServiceLoadBalancer).toBe("servicelb");
    expect(DISTRIBUTIONS.k3s.snapshotController).toBe(false);
    expect(DISTRIBUTIONS.rke2.snapshotController).toBe(true);
    expect(DISTRIBUTIONS.openshift.ownsGatewayApiCrds).toBe(true);
    expect(DISTRIBUTIONS.openshift.allowsFixedUids).toBe(false);
    expect(DISTRIBUTIONS.vanilla.metricsServer).toBe(false);
  });
});

describe("onprem config: bad combinations fail with the key named", () => {
  it("requires the section on cloud onprem and refuses it elsewhere", () => {
    expect(problems(edit((r) => delete r.onprem))).toContain(
      "officeless:onprem: is required when cloud is onprem",
    );
    const aws = edit((r) => {
      r.cloud = "aws";
      r.region = "eu-west-1";
      r.zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    });
    expect(problems(aws)).toContain(
      "officeless:onprem: applies only to cloud onprem (cloud is aws)",
    );
  });

  it("a missing kubeconfig with cluster.mode existing", () => {
    const message = problems(edit((r) => delete r.onprem.cluster.kubeconfig));
    expect(message).toContain(
      "officeless:onprem.cluster.kubeconfig: is required with cluster.mode existing",
    );
    expect(message).toContain(
      "pulumi config set --secret --path 'officeless:onprem.cluster.kubeconfig'",
    );
  });

  it("a kubeconfig without an https server, or with an exec plugin, without printing it", () => {
    const noServer = problems(
      edit((r) => (r.onprem.cluster.kubeconfig = "apiVersion: v1\nclusters: []\n")),
    );
    expect(noServer).toContain(
      "officeless:onprem.cluster.kubeconfig: must be a kubeconfig whose first cluster has an https:// server",
    );
    expect(noServer).not.toContain("apiVersion");
    const exec = problems(
      edit(
        (r) =>
          (r.onprem.cluster.kubeconfig = KUBECONFIG.replace(
            "user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}",
            "user: {exec: {command: kubelogin}}",
          )),
      ),
    );
    expect(exec).toContain("must not use an exec credential plugin");
    const file = problems(
      edit(
        (r) =>
          (r.onprem.cluster.kubeconfig = KUBECONFIG.replace(
            "certificate-authority-data: LS0tLS1CRUdJTi1DQQ==",
            "certificate-authority: /home/ops/ca.crt",
          )),
      ),
    );
    expect(file).toContain("must be self-contained: it refers to a file (certificate-authority)");
    const insecure = problems(
      edit(
        (r) =>
          (r.onprem.cluster.kubeconfig = KUBECONFIG.replace(
            "certificate-authority-data: LS0tLS1CRUdJTi1DQQ==",
            "insecure-skip-tls-verify: true",
          )),
      ),
    );
    expect(insecure).toContain("must verify the API server's certificate");
    expect(exec).not.toContain("kubelogin");
  });

  it("secrets set without --secret are refused, naming each path", () => {
    const message = problems(prodOnpremRaw(), { secretKeys: new Set() });
    expect(message).toContain(
      "officeless:onprem.cluster.kubeconfig: must be stored as a secret: pulumi config set --secret --path 'officeless:onprem.cluster.kubeconfig'",
    );
    expect(message).toContain(
      "officeless:onprem.backup.external.secretAccessKey: must be stored as a secret",
    );
    expect(message).not.toContain("example-secret-key");
    expect(message).not.toContain("client-key-data");
  });

  it("autoscaling on fixed machines: a pool with maxSize > minSize and provider none", () => {
    const message = problems(edit((r) => (r.kubernetes.nodePools[0].maxSize = 6)));
    expect(message).toContain(
      "officeless:kubernetes.nodePools[0].maxSize = 6: asks for autoscaling (minSize 3), but nothing can add nodes with onprem.autoscaling.provider none; set maxSize to minSize, or a provider that can on rke2: rancher, clusterapi",
    );
  });

  it("autoscaling providers the distribution or mode cannot use", () => {
    const openshift = problems(
      edit((r) => {
        asOpenShift(r);
        r.onprem.autoscaling = {
          provider: "clusterapi",
          clusterapi: { clusterName: "c", namespace: "n" },
        };
      }),
    );
    expect(openshift).toContain(
      'officeless:onprem.autoscaling.provider = "clusterapi": cannot add nodes on openshift: it scales with its own ClusterAutoscaler and MachineAutoscalers',
    );
    const vanillaRancher = problems(
      edit((r) => {
        r.onprem.distribution = "vanilla";
        r.onprem.autoscaling = {
          provider: "rancher",
          rancher: { url: "https://rancher.example.com", clusterName: "c", token: "t" },
        };
      }),
    );
    expect(vanillaRancher).toContain(
      'officeless:onprem.autoscaling.provider = "rancher": cannot add nodes on vanilla; valid: none, clusterapi',
    );
    const k3sHosts = problems(
      edit((r) => {
        r.onprem.autoscaling = {
          provider: "rancher",
          rancher: { url: "https://rancher.example.com", clusterName: "c", token: "t" },
        };
      }, devK3sRaw),
    );
    expect(k3sHosts).toContain(
      "cannot add nodes to a K3s cluster this platform installs on fixed hosts",
    );
    expect(problems(edit((r) => (r.onprem.autoscaling = { provider: "clusterapi" })))).toContain(
      "officeless:onprem.autoscaling.clusterapi: is required with provider clusterapi",
    );
  });

  it("address pools outside the declared networks, outside the L2 segments, or over a host", () => {
    const outside = problems(
      edit((r) => (r.onprem.loadBalancer.addressPools[0].addresses = ["192.168.5.0/28"])),
    );
    expect(outside).toContain(
      'officeless:onprem.loadBalancer.addressPools[0].addresses[0] = "192.168.5.0/28": is outside the declared network officeless:network.cidr 10.30.0.0/16',
    );
    const notL2 = problems(
      edit((r) => (r.onprem.loadBalancer.addressPools[0].addresses = ["10.30.9.0/28"])),
    );
    expect(notL2).toContain(
      "is outside every node network (10.30.1.0/24, 10.30.2.0/24, 10.30.3.0/24): in L2 mode",
    );
    // BGP announces routed ranges: inside the site network but outside the segments is fine.
    expect(() =>
      parsed(
        edit((r) => {
          r.onprem.loadBalancer = {
            mode: "bgp",
            addressPools: [{ name: "routed", addresses: ["10.30.9.0/28"] }],
            bgp: { localAsn: 64512, peers: [{ address: "10.30.1.1", asn: 64513 }] },
          };
        }),
      ),
    ).not.toThrow();
    const overHost = problems(
      edit(
        (r) => (r.onprem.loadBalancer.addressPools[0].addresses = ["10.40.1.10-10.40.1.12"]),
        devK3sRaw,
      ),
    );
    expect(overHost).toContain(
      "contains the address of host k3s-1; MetalLB would hand it to a Service",
    );
    // L2: one pool over two rooms' segments has no set of nodes that may announce all of it.
    const spanning = problems(
      edit(
        (r) =>
          (r.onprem.loadBalancer.addressPools[0].addresses = ["10.30.1.240/28", "10.30.2.240/28"]),
      ),
    );
    expect(spanning).toContain(
      'officeless:onprem.loadBalancer.addressPools[0].addresses = "10.30.1.240/28, 10.30.2.240/28": spans the node networks of different zones',
    );
    const malformed = problems(
      edit((r) => (r.onprem.loadBalancer.addressPools[0].addresses = ["10.30.1.250-10.30.1.240"])),
    );
    expect(malformed).toContain('must be an IPv4 CIDR ("10.20.1.240/28") or an inclusive range');
    const overlap = problems(
      edit((r) =>
        r.onprem.loadBalancer.addressPools.push({
          name: "more",
          addresses: ["10.30.1.250-10.30.1.252"],
        }),
      ),
    );
    expect(overlap).toContain(
      "overlaps onprem.loadBalancer.addressPools[0].addresses[0]; pools must be disjoint",
    );
    expect(problems(edit((r) => (r.onprem.loadBalancer.mode = "bgp")))).toContain(
      "officeless:onprem.loadBalancer.bgp: is required with mode bgp",
    );
  });

  it("node networks outside the site network, overlapping, or missing for a zone", () => {
    const message = problems(
      edit((r) => {
        r.onprem.nodeNetworks = [
          { zone: "room-a", cidr: "10.31.1.0/24" },
          { zone: "room-b", cidr: "10.30.2.0/24" },
          { zone: "room-x", cidr: "10.30.2.128/25" },
        ];
        r.onprem.loadBalancer.addressPools[0].addresses = ["10.30.2.240/28"];
      }),
    );
    expect(message).toContain(
      'officeless:onprem.nodeNetworks[0].cidr = "10.31.1.0/24": is outside the declared network',
    );
    expect(message).toContain(
      'officeless:onprem.nodeNetworks[2].zone = "room-x": is not one of officeless:zones',
    );
    expect(message).toContain("overlaps onprem.nodeNetworks[1] (10.30.2.0/24)");
    expect(message).toContain("needs a node network for every zone; missing: room-c");
  });

  it("cluster.mode k3s needs distribution k3s, hosts, SSH and an etcd majority", () => {
    expect(problems(edit((r) => (r.onprem.distribution = "rke2"), devK3sRaw))).toContain(
      'officeless:onprem.cluster.mode = "k3s": installs K3s, but distribution is rke2',
    );
    expect(problems(edit((r) => delete r.onprem.ssh, devK3sRaw))).toContain(
      "officeless:onprem.ssh: is required with cluster.mode k3s",
    );
    expect(problems(edit((r) => delete r.onprem.cluster.k3s, devK3sRaw))).toContain(
      "officeless:onprem.cluster.k3s: is required with cluster.mode k3s",
    );
    expect(problems(edit((r) => r.onprem.cluster.k3s.servers.pop(), devK3sRaw))).toContain(
      "officeless:onprem.cluster.k3s.servers = 2: embedded etcd needs a majority",
    );
    const host = problems(
      edit((r) => {
        r.onprem.cluster.k3s.agents.push({ name: "k3s-1", address: "10.40.2.9", zone: "rack-1" });
      }, devK3sRaw),
    );
    expect(host).toContain(
      'officeless:onprem.cluster.k3s.agents[1].name = "k3s-1": is already the name of onprem.cluster.k3s.servers[0]',
    );
    expect(host).toContain(
      'officeless:onprem.cluster.k3s.agents[1].address = "10.40.2.9": is outside the node network of zone rack-1 (10.40.1.0/24)',
    );
  });

  it("prod K3s: 3 servers over 3 zones", () => {
    const prodK3s = (): Raw => {
      const raw = prodOnpremRaw();
      raw.onprem.distribution = "k3s";
      raw.onprem.cluster = {
        mode: "k3s",
        k3s: {
          servers: [
            { name: "s1", address: "10.30.1.11", zone: "room-a" },
            { name: "s2", address: "10.30.1.12", zone: "room-a" },
            { name: "s3", address: "10.30.3.11", zone: "room-c" },
          ],
        },
      };
      raw.onprem.ssh = { privateKey: "key" };
      return raw;
    };
    expect(problems(prodK3s())).toContain("prod spreads the servers over 3 zones");
    const one = prodK3s();
    one.onprem.cluster.k3s.servers = [one.onprem.cluster.k3s.servers[0]];
    expect(problems(one)).toContain(
      "officeless:onprem.cluster.k3s.servers = 1: prod needs 3 servers",
    );
  });

  it("a K3s release of another minor, or a pod range over the site network", () => {
    expect(
      problems(edit((r) => (r.onprem.cluster.k3s.version = "v1.35.8+k3s1"), devK3sRaw)),
    ).toContain(
      'officeless:onprem.cluster.k3s.version = "v1.35.8+k3s1": must be a release of kubernetes.version 1.36',
    );
    expect(problems(edit((r) => (r.onprem.cluster.k3s.version = "1.36"), devK3sRaw))).toContain(
      'must be a K3s release like "v1.36.1+k3s1"',
    );
    expect(
      problems(edit((r) => (r.onprem.cluster.k3s.clusterCidr = "10.40.128.0/17"), devK3sRaw)),
    ).toContain(
      'officeless:onprem.cluster.k3s.clusterCidr = "10.40.128.0/17": overlaps the site network officeless:network.cidr 10.40.0.0/16',
    );
  });

  it("storage choices that do not add up", () => {
    expect(
      problems(edit((r) => (r.onprem.storage = { block: { provider: "existing" } }))),
    ).toContain(
      "officeless:onprem.storage.block.storageClassName: is required with block.provider existing",
    );
    // Longhorn serves no files and no buckets: file and object must be chosen.
    const longhorn = problems(
      edit((r) => (r.onprem.storage = { block: { provider: "longhorn" } })),
    );
    expect(longhorn).toContain(
      'officeless:onprem.storage.file.provider = "none": storage.file.enabled is true but nothing serves files',
    );
    expect(problems(edit((r) => (r.onprem.storage = { file: { provider: "nfs" } })))).toContain(
      "officeless:onprem.storage.file.nfs: is required with file.provider nfs",
    );
    expect(
      problems(edit((r) => (r.onprem.storage = { object: { provider: "external" } }))),
    ).toContain(
      "officeless:onprem.storage.object.external: is required with object.provider external",
    );
    expect(problems(edit((r) => (r.onprem.distribution = "openshift")))).toContain(
      'officeless:onprem.storage.block.provider = "rook-ceph": is not installed on openshift: use OpenShift Data Foundation',
    );
  });

  it("backups on the Ceph they back up", () => {
    expect(problems(edit((r) => (r.onprem.backup.target = "rook-ceph")))).toContain(
      'officeless:onprem.backup.target = "rook-ceph": puts backups on this cluster\'s own Ceph although an external target is configured',
    );
    expect(problems(edit((r) => delete r.onprem.backup.external))).toContain(
      "officeless:onprem.backup.external: is required in prod",
    );
    const prodOnCeph = problems(edit((r) => (r.onprem.backup = { target: "rook-ceph" })));
    expect(prodOnCeph).toContain("keeps prod backups on the Ceph cluster they back up");
    expect(
      problems(
        edit((r) => (r.onprem.backup.external.endpoint = "rook-ceph-rgw-objects.rook-ceph.svc")),
      ),
    ).toContain(
      'officeless:onprem.backup.external.endpoint = "rook-ceph-rgw-objects.rook-ceph.svc": points into this cluster',
    );
    expect(
      problems(edit((r) => (r.onprem.backup.external.endpoint = "10.30.1.241:443"))),
    ).toContain("points into this cluster (its RGW Service or a load-balancer address)");
    expect(problems(edit((r) => (r.backup = { schedule: "cron(0 3 * * ? *)" })))).toContain(
      'officeless:backup.schedule = "cron(0 3 * * ? *)": must be a 5-field cron expression (Velero Schedule)',
    );
  });

  it("VPN: the site's public address is needed, and the gateway lives outside the cluster", () => {
    const vpn = {
      enabled: true,
      peers: [{ name: "aws", publicIp: "198.51.100.7", cidrs: ["172.16.0.0/16"] }],
    };
    expect(problems(edit((r) => (r.vpn = vpn)))).toContain(
      "officeless:onprem.vpn.localPublicIp: is required with vpn.enabled",
    );
    expect(
      problems(
        edit((r) => {
          r.vpn = vpn;
          r.onprem.vpn = { localPublicIp: "10.1.1.1" };
        }),
      ),
    ).toContain('officeless:onprem.vpn.localPublicIp = "10.1.1.1": must be the site\'s public');
    const overPods = problems(
      edit((r) => {
        r.vpn = {
          enabled: true,
          peers: [{ name: "aws", publicIp: "198.51.100.7", cidrs: ["10.42.0.0/16"] }],
        };
        r.onprem.vpn = { localPublicIp: "203.0.113.10" };
      }, devK3sRaw),
    );
    expect(overPods).toContain(
      'officeless:vpn.peers[0].cidrs[0] = "10.42.0.0/16": overlaps the K3s clusterCidr 10.42.0.0/16',
    );
    const onNode = problems(
      edit((r) => {
        r.vpn = vpn;
        r.onprem.vpn = { localPublicIp: "203.0.113.10", gatewayHost: { address: "10.40.1.12" } };
      }, devK3sRaw),
    );
    expect(onNode).toContain(
      'officeless:onprem.vpn.gatewayHost.address = "10.40.1.12": is the K3s node k3s-2',
    );
    expect(
      problems(
        edit((r) => {
          r.vpn = vpn;
          r.onprem.vpn = { localPublicIp: "203.0.113.10", gatewayHost: { address: "10.30.1.2" } };
        }),
      ),
    ).toContain("officeless:onprem.ssh: is required with vpn.gatewayHost");
  });

  it("cluster admins are the cluster's own RBAC on-prem", () => {
    expect(problems(edit((r) => (r.kubernetes.adminPrincipals = ["group:ops"])))).toContain(
      'officeless:kubernetes.adminPrincipals = ["group:ops"]: is not used on-prem',
    );
  });

  it("site and zone names must be label values", () => {
    const message = problems(
      edit((r) => {
        r.region = "DC 1";
        r.zones = ["Room_A", "room-b", "room-c"];
      }),
    );
    expect(message).toContain('officeless:region = "DC 1": is the site\'s name on-prem');
    expect(message).toContain('officeless:zones[0] = "Room_A": is a failure domain on-prem');
  });

  it("unknown keys are named with a suggestion, but their values stay hidden (they may be mistyped secrets)", () => {
    const message = problems(edit((r) => (r.onprem.cluster.kubeConfg = "secret-text")));
    expect(message).toContain(
      'officeless:onprem.cluster.kubeConfg: is not a known key; did you mean "kubeconfig"?',
    );
    expect(message).not.toContain("secret-text");
  });
});

describe("onprem config: secret placeholders of the offline plan", () => {
  it("accepts the placeholder where a kubeconfig goes", async () => {
    const raw = edit((r) => (r.onprem.cluster.kubeconfig = "offline-plan-secret-placeholder"));
    const config = parsed(raw);
    expect(pulumi.Output.isInstance(config.onprem!.cluster.kubeconfig)).toBe(true);
  });
});
