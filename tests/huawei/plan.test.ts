/**
 * The Huawei Cloud backend over the offline plans of prod-huawei and dev-huawei (every layer, the
 * real programs under the recording mocks): what each resource is created with and its options.
 */
import {
  MOCK_HUAWEI_DOMAIN_ID,
  MOCK_HUAWEI_PROJECT_ID,
} from "../../automation/offline/clouds/huawei";
import type { PlannedResource, PlannedStack } from "../../automation/offline/plan";
import { STORAGE_CLASS_NAMES } from "../../components/storageClass";
import { LAYERS } from "../../components/types";
import { CCE_CONTAINER_CIDR } from "../../providers/huawei/catalog";
import { NO_SECRET_FILE, SIGNAL_KMS_ACTIONS } from "../../providers/huawei/observability";
import { HUAWEICLOUD } from "../../sdks/huaweicloud";
import { planOnce } from "../plan/worstCase";

const HW = {
  vpc: "huaweicloud:Vpc/vpc:Vpc",
  subnet: "huaweicloud:Vpc/subnet:Subnet",
  eip: "huaweicloud:Vpc/eip:Eip",
  nat: "huaweicloud:Nat/gateway:Gateway",
  snat: "huaweicloud:Nat/snatRule:SnatRule",
  flowLog: "huaweicloud:Vpc/flowLog:FlowLog",
  ltsGroup: "huaweicloud:Lts/group:Group",
  sg: "huaweicloud:Vpc/secgroup:Secgroup",
  sgRule: "huaweicloud:Vpc/secgroupRule:SecgroupRule",
  cluster: "huaweicloud:Cce/cluster:Cluster",
  pool: "huaweicloud:Cce/nodePool:NodePool",
  addon: "huaweicloud:Cce/addon:Addon",
  key: "huaweicloud:Dew/key:Key",
  turbo: "huaweicloud:Sfs/turbo:Turbo",
  bucket: "huaweicloud:Obs/bucket:Bucket",
  vault: "huaweicloud:Cbr/vault:Vault",
  policy: "huaweicloud:Cbr/policy:Policy",
  elb: "huaweicloud:DedicatedElb/loadbalancer:Loadbalancer",
  ecs: "huaweicloud:Ecs/instance:Instance",
  route: "huaweicloud:Vpc/route:Route",
  dcs: "huaweicloud:Dcs/instance:Instance",
  user: "huaweicloud:Iam/user:User",
  role: "huaweicloud:Iam/role:Role",
  grant: "huaweicloud:Iam/groupRoleAssignment:GroupRoleAssignment",
  accessKey: "huaweicloud:Iam/accessKey:AccessKey",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  secret: "kubernetes:core/v1:Secret",
  release: "kubernetes:helm.sh/v3:Release",
};

let prod: PlannedResource[];
let dev: PlannedResource[];
let prodStacks: PlannedStack[];
beforeAll(async () => {
  prodStacks = await planOnce(["prod-huawei"]);
  prod = prodStacks.flatMap((s) => s.resources);
  dev = (await planOnce(["dev-huawei"])).flatMap((s) => s.resources);
}, 300_000);

const of = (rs: PlannedResource[], type: string) => rs.filter((r) => r.type === type);
const one = (rs: PlannedResource[], type: string, suffix = "") => {
  const found = of(rs, type).filter((r) => r.name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`${found.length} ${type} ending ${suffix}`);
  return found[0];
};

describe("every layer", () => {
  it("plans all seven layers of prod-huawei", () => {
    expect([...prodStacks.map((s) => s.layer)].sort()).toEqual([...LAYERS].sort());
  });

  it("tags every taggable Huawei resource with environment, layer and managed-by", () => {
    const tagged = prod.filter((r) => r.type.startsWith("huaweicloud:") && "tags" in r.inputs);
    expect(tagged.length).toBeGreaterThan(20);
    for (const r of tagged)
      expect({ name: r.name, tags: r.inputs.tags }).toEqual({
        name: r.name,
        tags: expect.objectContaining({ environment: "prod", "managed-by": "officeless" }),
      });
  });

  it("names the huaweicloud plugin (version, working download URL) on every resource", () => {
    // The mocks do not see resource options' version; the binding test checks them. Here: the
    // plugin URL the bindings pass has the `v` the release tags have.
    expect(HUAWEICLOUD.pluginDownloadURL).toMatch(/\/download\/v\$\{VERSION\}$/);
  });
});

describe("network", () => {
  it("has one subnet per zone per tier and a NAT EIP with an SNAT rule per zone in prod", () => {
    expect(of(prod, HW.subnet).filter((r) => r.name.includes("-network-"))).toHaveLength(9);
    const snat = of(prod, HW.snat);
    expect(snat).toHaveLength(3);
    expect(new Set(snat.map((r) => r.inputs.floatingIpId)).size).toBe(3);
    expect(of(prod, HW.eip).filter((r) => r.name.includes("-nat-"))).toHaveLength(3);
  });

  it("shares one NAT EIP in dev", () => {
    const snat = of(dev, HW.snat);
    expect(snat).toHaveLength(2);
    expect(new Set(snat.map((r) => r.inputs.floatingIpId)).size).toBe(1);
  });

  it("logs all VPC flows into LTS for the configured days", () => {
    expect(one(prod, HW.flowLog).inputs).toMatchObject({ resourceType: "vpc", trafficType: "all" });
    expect(one(prod, HW.ltsGroup).inputs.ttlInDays).toBe(365);
  });

  it("gives every subnet its first host as gateway", () => {
    for (const s of of(prod, HW.subnet).filter((r) => r.inputs.cidr)) {
      const [a, b, c, d] = String(s.inputs.cidr).split("/")[0].split(".").map(Number);
      expect(s.inputs.gatewayIp).toBe(`${a}.${b}.${c}.${d + 1}`);
    }
  });
});

describe("kubernetes", () => {
  it("runs three masters over three zones in prod, RBAC, no EIP on the API, protected", () => {
    const c = one(prod, HW.cluster);
    expect(c.inputs).toMatchObject({
      flavorId: "cce.s2.medium",
      authenticationMode: "rbac",
      containerNetworkType: "vpc-router",
      clusterVersion: "v1.35",
    });
    expect(c.inputs.masters).toEqual([
      { availabilityZone: "ap-southeast-3a" },
      { availabilityZone: "ap-southeast-3b" },
      { availabilityZone: "ap-southeast-3c" },
    ]);
    expect(c.inputs.eip).toBeUndefined();
    expect(c.options.protect).toBe(true);
    expect(c.options.ignoreChanges).toContain("clusterVersion");
  });

  it("removes controller-made disks and load balancers with a dev cluster, keeps them in prod", () => {
    expect(one(dev, HW.cluster).inputs).toMatchObject({ deleteEvs: "true", deleteNet: "true" });
    expect(one(prod, HW.cluster).inputs).toMatchObject({ deleteEvs: "false", deleteNet: "false" });
  });

  it("has one pool per configured pool per zone, in its zone's private subnet, autoscaled", () => {
    const pools = of(prod, HW.pool);
    expect(pools).toHaveLength(6);
    for (const p of pools) {
      const i = Number(p.name.split("-").pop());
      expect(p.inputs.availabilityZone).toBe(`ap-southeast-3${"abc"[i]}`);
      expect(p.inputs.subnetId).toBe(`officeless-prod-network-private-${i}-id`);
      expect(p.inputs.scallEnable).toBe(true);
      expect(p.options.ignoreChanges).toContain("initialNodeCount");
      expect(p.inputs.password).toBe("[secret]");
    }
  });

  it("encrypts root and data volumes with the nodes' DEW key", () => {
    const key = one(prod, HW.key, "-nodes-key");
    for (const p of of(prod, HW.pool)) {
      expect((p.inputs.rootVolume as any).kmsKeyId).toBe(`${key.name}-id`);
      expect((p.inputs.dataVolumes as any[])[0].kmsKeyId).toBe(`${key.name}-id`);
    }
    expect(key.inputs).toMatchObject({ rotationEnabled: true, rotationInterval: 90 });
    expect(key.options.protect).toBe(true);
  });

  it("marks spot pools spot and taints them", () => {
    const spot = of(prod, HW.pool).filter((p) => p.name.includes("-spot-"));
    for (const p of spot) {
      expect(p.inputs.extendParams).toEqual({ marketType: "spot" });
      expect(p.inputs.taints).toEqual([{ key: "capacity", value: "spot", effect: "NoSchedule" }]);
    }
  });

  it("names pools after the inputs CCE cannot change, so a flavor change creates the new pool first", () => {
    const names = of(prod, HW.pool).map((p) => String(p.inputs.name));
    expect(new Set(names).size).toBe(6);
    for (const n of names) expect(n).toMatch(/^(general|spot)-\d-[a-z0-9]{6}$/);
  });
});

describe("storage", () => {
  it("makes the Everest SSD class the encrypted, expandable, late-binding default", () => {
    const block = of(prod, HW.storageClass).find(
      (r) => (r.inputs.metadata as any).name === STORAGE_CLASS_NAMES.block,
    )!;
    expect(block.inputs).toMatchObject({
      provisioner: "everest-csi-provisioner",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
    });
    const params = block.inputs.parameters as Record<string, string>;
    expect(params["everest.io/disk-volume-type"]).toBe("SSD");
    expect(params["everest.io/crypt-key-id"]).toBe("officeless-prod-storage-encryption-key-id");
    expect((block.inputs.metadata as any).annotations).toEqual({
      "storageclass.kubernetes.io/is-default-class": "true",
    });
  });

  it("creates an encrypted SFS Turbo with NFS open to the VPC only, and its subpath class", () => {
    const turbo = one(prod, HW.turbo);
    expect(turbo.inputs.cryptKeyId).toBe("officeless-prod-storage-encryption-key-id");
    expect(turbo.options.protect).toBe(true);
    const sg = one(prod, HW.sg, "-file-sg");
    expect(sg.inputs.deleteDefaultRules).toBe(true);
    const rules = of(prod, HW.sgRule).filter((r) => r.name.includes("-file-sg-"));
    const nfs = rules.filter((r) => r.name.includes("-file-sg-nfs-"));
    expect(nfs.map((r) => `${r.inputs.protocol}/${r.inputs.ports}`).sort()).toEqual(
      ["111", "2049", "2051-2052", "20048"].flatMap((p) => [`tcp/${p}`, `udp/${p}`]).sort(),
    );
    for (const r of nfs)
      expect(r.inputs).toMatchObject({ direction: "ingress", remoteIpPrefix: "10.60.0.0/16" });
    // Unconfirmed what SFS Turbo needs beyond NFS in: egress and the group itself stay open.
    const egress = rules.find((r) => r.inputs.direction === "egress")!;
    expect(egress.inputs.remoteIpPrefix).toBe("0.0.0.0/0");
    const self = rules.find((r) => r.name.endsWith("-file-sg-self"))!;
    expect(self.inputs).toMatchObject({ direction: "ingress", remoteGroupId: `${sg.name}-id` });
    expect(rules).toHaveLength(nfs.length + 2);
    const file = of(prod, HW.storageClass).find(
      (r) => (r.inputs.metadata as any).name === STORAGE_CLASS_NAMES.file,
    )!;
    expect((file.inputs.parameters as any)["everest.io/volume-as"]).toBe("subpath");
    expect((file.inputs.parameters as any)["everest.io/volume-id"]).toBe(`${turbo.name}-id`);
  });

  it("keeps every bucket private, versioned, SSE-KMS with the storage key, with lifecycle rules", () => {
    const buckets = of(prod, HW.bucket);
    expect(buckets).toHaveLength(5);
    for (const b of buckets) {
      expect(b.inputs).toMatchObject({
        acl: "private",
        versioning: true,
        encryption: true,
        sseAlgorithm: "kms",
        kmsKeyId: "officeless-prod-storage-encryption-key-id",
        forceDestroy: false,
        multiAz: true,
      });
      expect(b.inputs.policy).toBeUndefined();
      const rule = (b.inputs.lifecycleRules as any[])[0];
      expect(rule.noncurrentVersionExpirations[0].days).toBeGreaterThan(0);
      expect(rule.abortIncompleteMultipartUploads[0].days).toBeGreaterThan(0);
      expect(String(b.inputs.bucket).length).toBeLessThanOrEqual(63);
      expect(b.options.protect).toBe(true);
    }
    for (const b of of(dev, HW.bucket)) expect(b.inputs.forceDestroy).toBe(true);
  });
});

describe("backup", () => {
  it("backs up tagged disks and the file system daily at 03:00 UTC for the configured days", () => {
    const policy = one(prod, HW.policy);
    expect(policy.inputs).toMatchObject({
      type: "backup",
      timePeriod: 35,
      backupCycle: { days: "MO,TU,WE,TH,FR,SA,SU", executionTimes: ["03:00"] },
    });
    const disks = one(prod, HW.vault, "-disks-vault");
    expect(disks.inputs).toMatchObject({
      type: "disk",
      autoBind: true,
      bindRules: { "officeless-backup": "true" },
      policies: [{ id: `${policy.name}-id` }],
      isMultiAz: true,
    });
    const files = one(prod, HW.vault, "-files-vault");
    expect(files.inputs).toMatchObject({
      type: "turbo",
      resources: [{ includes: ["officeless-prod-storage-sfs-turbo-id"] }],
    });
    expect(disks.options.protect && files.options.protect).toBe(true);
  });
});

describe("load balancing", () => {
  it("is a private dedicated ELB over the zones with fixed flavors, not elastic, protected in prod", () => {
    const elb = one(prod, HW.elb);
    expect(elb.inputs).toMatchObject({
      ipv4SubnetId: "officeless-prod-lb-elb-subnet-ipv4-subnet-id",
      availabilityZones: ["ap-southeast-3a", "ap-southeast-3b", "ap-southeast-3c"],
      // Prod: the next size up of the fixed (type L4/L7) flavors the mock lists.
      l4FlavorId: "L4-medium",
      l7FlavorId: "L7-medium",
      deletionProtectionEnable: true,
    });
    // Elastic scaling would turn the fixed ids into upper limits and need min_l7_flavor_id.
    expect(elb.inputs.autoscalingEnabled).toBeUndefined();
    expect(elb.inputs.minL7FlavorId).toBeUndefined();
    expect(elb.options.protect).toBe(true);
    expect(elb.inputs.ipv4EipId).toBeUndefined();
    expect(elb.inputs.iptype).toBeUndefined();
  });
});

describe("vpn", () => {
  it("runs the IPsec gateway VM with its EIP, forwarding on, deleted before it is replaced", () => {
    const vm = one(prod, HW.ecs);
    expect(vm.inputs).toMatchObject({
      eipId: "officeless-prod-vpn-gateway-eip-id",
      deleteEipOnTermination: false,
      networks: [{ uuid: "officeless-prod-network-public-0-id", sourceDestCheck: false }],
      userData: "[secret]",
    });
    expect(vm.options.deleteBeforeReplace).toBe(true);
  });

  it("admits IKE, NAT-T and ESP from the peer only, and routes the peer's networks to the VM", () => {
    const rules = of(prod, HW.sgRule).filter((r) => r.name.includes("-gateway-sg-office-"));
    expect(
      rules.map((r) => [r.inputs.protocol, r.inputs.ports ?? "", r.inputs.remoteIpPrefix]).sort(),
    ).toEqual([
      ["50", "", "198.51.100.7/32"],
      ["udp", "4500", "198.51.100.7/32"],
      ["udp", "500", "198.51.100.7/32"],
    ]);
    expect(one(prod, HW.route).inputs).toMatchObject({
      destination: "192.168.0.0/16",
      type: "ecs",
      nexthop: "officeless-prod-vpn-gateway-id",
    });
  });

  it("builds no gateway in dev (VPN off)", () => {
    expect(of(dev, HW.ecs)).toEqual([]);
  });
});

describe("cache", () => {
  it("is master/standby Redis 6.0 over two zones with TLS, a secret password, whitelist only", () => {
    const redis = one(prod, HW.dcs);
    expect(redis.inputs).toMatchObject({
      engine: "Redis",
      engineVersion: "6.0",
      capacity: 4,
      flavor: "redis.ha.xu1.large.r2.4",
      availabilityZones: ["ap-southeast-3a", "ap-southeast-3b"],
      sslEnable: true,
      whitelistEnable: true,
      password: "[secret]",
      subnetId: "officeless-prod-network-database-0-id",
    });
    expect((redis.inputs.whitelists as any[])[0].ipAddresses).toEqual([
      "10.60.0.0/16",
      CCE_CONTAINER_CIDR,
    ]);
    expect(redis.options.protect).toBe(true);
  });

  it("is single-node in dev", () => {
    expect(one(dev, HW.dcs).inputs).toMatchObject({
      flavor: "redis.single.xu1.large.1",
      availabilityZones: ["ap-southeast-3a"],
    });
  });
});

describe("addons", () => {
  it("installs the CCE autoscaler add-on with the cluster and project ids, after the node pools", () => {
    const addon = one(prod, HW.addon);
    expect(addon.inputs.templateName).toBe("autoscaler");
    // The build the stack configures (kubernetes.autoscalerAddonVersion), not one the code guessed.
    expect(addon.inputs.version).toBe("1.35.5");
    const custom = JSON.parse((addon.inputs.values as any).customJson);
    expect(custom).toMatchObject({
      cluster_id: "officeless-prod-cluster-id",
      tenant_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      scaleDownEnabled: true,
    });
    expect(JSON.parse((addon.inputs.values as any).basicJson)).toHaveProperty("swr_addr");
    // Waits for the node pools (through the kubeconfig): the add-on's pods need nodes.
    expect(addon.options.dependsOn.some((d) => d.endsWith("prod-huawei-kubernetes"))).toBe(true);
  });
});

describe("observability", () => {
  it("gives each signal an IAM user with programmatic access only", () => {
    const users = of(prod, HW.user);
    expect(users).toHaveLength(3);
    for (const u of users) {
      expect(u.inputs.accessType).toBe("programmatic");
      expect(String(u.inputs.name).length).toBeLessThanOrEqual(32);
      expect(u.inputs.password).toBeUndefined();
    }
  });

  it("scopes each user's OBS policy to its own bucket and its KMS policy to the storage key", () => {
    const roles = of(prod, HW.role);
    for (const signal of ["mimir", "loki", "tempo"]) {
      const obsRole = roles.find((r) => r.name.endsWith(`-${signal}-obs-policy`))!;
      const doc = JSON.parse(String(obsRole.inputs.policy));
      const bucket = { mimir: "metrics", loki: "logs", tempo: "traces" }[signal];
      const resources: string[] = doc.Statement.flatMap((s: any) => s.Resource);
      expect(resources.every((r) => r.includes(`officeless-prod-storage-${bucket}-`))).toBe(true);
      expect(obsRole.inputs.type).toBe("AX");
      const kmsRole = roles.find((r) => r.name.endsWith(`-${signal}-kms-policy`))!;
      const kms = JSON.parse(String(kmsRole.inputs.policy));
      expect(kms.Statement[0]).toEqual({
        Effect: "Allow",
        Action: SIGNAL_KMS_ACTIONS,
        Resource: ["KMS:*:*:KeyId:officeless-prod-storage-encryption-key-id"],
      });
    }
    // OBS (AX, a global service) is granted in the account's domain, KMS (XA) in the region's
    // project: "all projects" need not cover global services.
    const grants = of(prod, HW.grant);
    expect(grants).toHaveLength(6);
    for (const g of grants.filter((r) => r.name.endsWith("-obs-grant"))) {
      expect(g.inputs.domainId).toBe(MOCK_HUAWEI_DOMAIN_ID);
      expect(g.inputs.projectId).toBeUndefined();
    }
    for (const g of grants.filter((r) => r.name.endsWith("-kms-grant"))) {
      expect(g.inputs.projectId).toBe(MOCK_HUAWEI_PROJECT_ID);
      expect(g.inputs.domainId).toBeUndefined();
    }
  });

  it("keeps access key secrets out of files and hands them to the charts as secrets", () => {
    for (const k of of(prod, HW.accessKey)) expect(k.inputs.secretFile).toBe(NO_SECRET_FILE);
    const secrets = of(prod, HW.secret);
    expect(secrets).toHaveLength(3);
    for (const s of secrets) expect(s.inputs.stringData ?? s.inputs.data).toBe("[secret]");
  });

  it("starts each chart only after its IAM grants have had time to apply", () => {
    for (const signal of ["mimir", "loki", "tempo"]) {
      const wait = prod.find((r) => r.name.endsWith(`-${signal}-iam-propagation`))!;
      expect(wait.inputs.create).toBe("sleep 900");
      expect(
        wait.options.dependsOn.filter((d) => d.includes(`-${signal}-`) && d.includes("-grant")),
      ).toHaveLength(2);
      const release = prod.find((r) => r.type === HW.release && r.name.endsWith(`-obs-${signal}`))!;
      expect(release.options.dependsOn).toContain(wait.urn);
    }
  });

  it("points Mimir at OBS's S3 endpoint of the region", () => {
    const mimir = of(prod, HW.release).find((r) => r.name.endsWith("-obs-mimir"))!;
    expect(JSON.stringify(mimir.inputs.values)).toContain("obs.ap-southeast-3.myhuaweicloud.com");
  });
});
