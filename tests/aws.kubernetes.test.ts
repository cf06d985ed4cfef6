import * as pulumi from "@pulumi/pulumi";
import { KubernetesCluster } from "../components/kubernetesCluster";
import { Network, NetworkOutputs } from "../components/network";
import { KubernetesConfig, MANAGED_BY, PlatformConfig } from "../components/types";
import { KUBERNETES_VERSIONS } from "../components/versions";
import {
  adminEntryName,
  amiTypeFor,
  creatorListedIssue,
  isGraviton,
  nodeGroupNamePrefix,
} from "../providers/aws/kubernetes";
import { awsConfig, commonArgs } from "./fixtures";
import {
  isSecret,
  mockPulumi,
  one,
  RecordedResource,
  RecordingMocks,
  settle,
  valueOf,
  resourcesBehind,
} from "./harness";

const T = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  accessPolicy: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const ARN = (service: string, name: string) => `arn:aws:${service}:eu-west-1:123456789012:${name}`;

interface Built {
  mocks: RecordingMocks;
  cluster: KubernetesCluster;
  config: PlatformConfig;
  /** The component's name: the EKS cluster name and the prefix of every child. */
  n: string;
}

/** Network outputs as plain values, as a downstream stack would read them. */
function networkOutputs(): NetworkOutputs {
  return {
    networkId: pulumi.output("vpc-123"),
    cidr: pulumi.output("10.20.0.0/16"),
    zones: pulumi.output(["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
    publicSubnetIds: pulumi.output(["pub-a", "pub-b", "pub-c"]),
    privateSubnetIds: pulumi.output(["priv-a", "priv-b", "priv-c"]),
    databaseSubnetIds: pulumi.output(["db-a", "db-b", "db-c"]),
    privateRouteTableIds: pulumi.output(["rt-a", "rt-b", "rt-c"]),
    natPublicIps: pulumi.output(["203.0.113.1", "203.0.113.2", "203.0.113.3"]),
  };
}

async function build(
  environment: "dev" | "prod" = "prod",
  kubernetes: Partial<KubernetesConfig> = {},
  network?: NetworkOutputs,
): Promise<Built> {
  const mocks = await mockPulumi({ region: "eu-west-1" });
  const base = awsConfig(environment);
  const config = { ...base, kubernetes: { ...base.kubernetes, ...kubernetes } };
  const n = `${config.name}-kubernetes`;
  const cluster = new KubernetesCluster(n, {
    ...commonArgs(config),
    zones: config.zones,
    kubernetes: config.kubernetes,
    network: network ?? networkOutputs(),
  });
  await valueOf(cluster.outputs.kubeconfig);
  await settle();
  return { mocks, cluster, config, n };
}

const vpcConfig = (mocks: RecordingMocks) =>
  one(mocks, T.cluster).inputs.vpcConfig as Record<string, unknown>;
const statementsOf = (r: RecordedResource) =>
  JSON.parse(r.inputs.policy as string).Statement as any[];

describe("AWS kubernetes (EKS)", () => {
  it("keeps the API endpoint private by default, in the private subnets behind its own security group", async () => {
    const { mocks, n } = await build();
    expect(vpcConfig(mocks)).toEqual({
      subnetIds: ["priv-a", "priv-b", "priv-c"],
      securityGroupIds: [`${n}-control-plane-sg-id`],
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
  });

  it("opens a public endpoint only to an allow-list", async () => {
    const { mocks } = await build("prod", {
      endpoint: { publicAccessCidrs: ["203.0.113.0/24"], privateAccessCidrs: [] },
    });
    expect(vpcConfig(mocks)).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
  });

  it("admits the VPC and the private access networks to the API on 443 only", async () => {
    const { mocks, n } = await build("prod", {
      endpoint: { publicAccessCidrs: [], privateAccessCidrs: ["192.168.0.0/16", "172.16.0.0/24"] },
    });
    const sg = one(mocks, T.securityGroup, `${n}-control-plane-sg`);
    expect(sg.inputs.vpcId).toBe("vpc-123");
    expect(sg.inputs.ingress ?? []).toEqual([]);
    const rules = mocks.byType(T.ingress);
    expect(rules.map((r) => r.inputs.cidrIpv4).sort()).toEqual([
      "10.20.0.0/16",
      "172.16.0.0/24",
      "192.168.0.0/16",
    ]);
    for (const r of rules) {
      expect(r.inputs).toMatchObject({
        securityGroupId: `${n}-control-plane-sg-id`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
      });
    }
  });

  it("encrypts secrets with a rotating customer key and ships all control-plane logs to a managed group", async () => {
    const { mocks, n } = await build();
    const key = one(mocks, T.key);
    const cluster = one(mocks, T.cluster);
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(cluster.inputs).toMatchObject({
      name: n,
      version: "1.36",
      encryptionConfig: { provider: { keyArn: ARN("kms", key.name) }, resources: ["secrets"] },
      bootstrapSelfManagedAddons: false,
      deletionProtection: true,
      roleArn: ARN("iam", `${n}-cluster-role`),
    });
    expect([...(cluster.inputs.enabledClusterLogTypes as string[])].sort()).toEqual(
      ["api", "audit", "authenticator", "controllerManager", "scheduler"].sort(),
    );
    const logGroup = one(mocks, T.logGroup);
    expect(logGroup.inputs).toMatchObject({
      name: `/aws/eks/${n}/cluster`,
      retentionInDays: 90,
      kmsKeyId: ARN("kms", key.name),
    });
    expect(cluster.options.dependsOn).toContain(logGroup.urn);
  });

  it("lets the Auto Scaling service-linked role use the key without naming it as a principal (fresh accounts)", async () => {
    const { mocks, n } = await build();
    const statements = statementsOf(one(mocks, T.key));
    const slr =
      "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    // KMS rejects a Principal that does not exist yet; a new account has no such role before its first ASG.
    const principals = JSON.stringify(statements.map((s) => s.Principal));
    expect(principals).not.toContain("aws-service-role");
    // No kms:ViaService: Auto Scaling calls KMS itself (DescribeKey, CreateGrant), not only through EC2.
    const onlyTheRole = {
      StringEquals: { "kms:CallerAccount": "123456789012" },
      ArnEquals: { "aws:PrincipalArn": slr },
    };
    const use = statements.find((s) => s.Sid === "AllowAutoScalingUseOfKey");
    expect(use).toMatchObject({ Principal: { AWS: "*" } });
    expect(use.Condition).toEqual(onlyTheRole);
    expect(use.Action).toEqual(
      expect.arrayContaining([
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ]),
    );
    const grant = statements.find((s) => s.Sid === "AllowAutoScalingGrantsForVolumes");
    expect(grant).toMatchObject({ Principal: { AWS: "*" }, Action: "kms:CreateGrant" });
    expect(grant.Condition).toEqual({
      ...onlyTheRole,
      Bool: { "kms:GrantIsForAWSResource": true },
    });
    // Every statement open to `*` is narrowed to this account.
    for (const s of statements.filter((st) => st.Principal?.AWS === "*"))
      expect(s.Condition.StringEquals["kms:CallerAccount"]).toBe("123456789012");
    expect(
      statements.some(
        (s) => s.Principal?.AWS === "arn:aws:iam::123456789012:root" && s.Action === "kms:*",
      ),
    ).toBe(true);
    const logs = statements.find((s) => s.Principal?.Service === "logs.eu-west-1.amazonaws.com");
    expect(logs.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).toEqual([
      `arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/${n}/cluster`,
    ]);
  });

  it("requires IMDSv2 with hop limit 1 and encrypts gp3 root volumes with the key", async () => {
    const { mocks, config } = await build();
    const key = one(mocks, T.key);
    const templates = mocks.byType(T.launchTemplate);
    expect(templates).toHaveLength(config.kubernetes.nodePools.length);
    for (const lt of templates) {
      expect(lt.inputs.metadataOptions).toEqual({
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      const ebs = (lt.inputs.blockDeviceMappings as any[])[0].ebs;
      expect(ebs).toMatchObject({
        encrypted: "true",
        kmsKeyId: ARN("kms", key.name),
        volumeType: "gp3",
        volumeSize: 100,
      });
      expect((lt.inputs.tagSpecifications as any[]).map((t) => t.resourceType).sort()).toEqual([
        "instance",
        "volume",
      ]);
      for (const spec of lt.inputs.tagSpecifications as any[])
        expect(spec.tags).toMatchObject({ "managed-by": MANAGED_BY });
    }
  });

  it("creates one node group per pool per zone, each in that zone's private subnet", async () => {
    const { mocks, n, config } = await build();
    const groups = mocks.byType(T.nodeGroup);
    expect(groups).toHaveLength(config.kubernetes.nodePools.length * config.zones.length);
    const subnets = ["priv-a", "priv-b", "priv-c"];
    for (const pool of config.kubernetes.nodePools) {
      const lt = one(mocks, T.launchTemplate, `${n}-${pool.name}-lt`);
      config.zones.forEach((_zone, z) => {
        const g = one(mocks, T.nodeGroup, `${n}-${pool.name}-${z}`);
        expect(g.inputs).toMatchObject({
          clusterName: n,
          nodeGroupNamePrefix: `${pool.name}-${z}-`,
          version: config.kubernetes.version,
          subnetIds: [subnets[z]],
          scalingConfig: {
            minSize: pool.minSize,
            maxSize: pool.maxSize,
            desiredSize: pool.desiredSize,
          },
          updateConfig: { maxUnavailable: 1 },
          instanceTypes: pool.instanceTypes,
          amiType: "AL2023_x86_64_STANDARD",
          labels: pool.labels,
          launchTemplate: { id: `${lt.name}-id`, version: "1" },
          nodeRoleArn: ARN("iam", `${n}-node-role`),
        });
        expect(g.options.ignoreChanges).toContain("scalingConfig.desiredSize");
        expect(g.inputs.tags).toMatchObject({
          "k8s.io/cluster-autoscaler/enabled": "true",
          [`k8s.io/cluster-autoscaler/${n}`]: "owned",
          environment: "prod",
          layer: "kubernetes",
        });
      });
    }
  });

  it("replaces a changed pool create-first: prefixed names, never a fixed one, never delete-first", async () => {
    // instanceTypes, capacityType and amiType are ForceNew (node_group.go): a fixed name would make
    // the replacement wait for (or collide with) the old group, leaving the zone without nodes.
    const before = await build();
    const pools = before.config.kubernetes.nodePools.map((p) => ({
      ...p,
      instanceTypes: ["m7g.large"],
      spot: !p.spot,
    }));
    const after = await build("prod", { nodePools: pools });
    for (const { mocks } of [before, after]) {
      for (const g of mocks.byType(T.nodeGroup)) {
        expect(g.inputs.nodeGroupName).toBeUndefined();
        expect(String(g.inputs.nodeGroupNamePrefix)).toMatch(/^[a-z][a-z0-9-]*-\d-$/);
        // EKS appends 26 characters to the prefix; the name is at most 63.
        expect(String(g.inputs.nodeGroupNamePrefix).length).toBeLessThanOrEqual(63 - 26);
        expect(g.options.deleteBeforeReplace).toBe(false);
      }
    }
    // The change does reach the ForceNew inputs (so the groups are replaced, create-first).
    const g0 = (b: Built) => one(b.mocks, T.nodeGroup, `${b.n}-general-0`).inputs;
    expect(g0(after).amiType).toBe("AL2023_ARM_64_STANDARD");
    expect(g0(after).capacityType).not.toBe(g0(before).capacityType);
    // Same logical names: Pulumi replaces each group instead of deleting it and adding another.
    expect(after.mocks.byType(T.nodeGroup).map((g) => g.name)).toEqual(
      before.mocks.byType(T.nodeGroup).map((g) => g.name),
    );
  });

  it("keeps a pool's prefix within EKS's limit at the longest pool name the config accepts", () => {
    expect(nodeGroupNamePrefix("p".repeat(20), 5).length).toBeLessThanOrEqual(37);
  });

  it("moves the node groups and every add-on with a Kubernetes upgrade, and refuses paid extended support", async () => {
    const [from, to] = [
      KUBERNETES_VERSIONS[0],
      KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1],
    ];
    expect(from).not.toBe(to);
    const versions = async (version: string) => {
      const { mocks } = await build("prod", { version });
      const cluster = one(mocks, T.cluster);
      expect(cluster.inputs.version).toBe(version);
      expect(cluster.inputs.upgradePolicy).toEqual({ supportType: "STANDARD" });
      for (const g of mocks.byType(T.nodeGroup)) expect(g.inputs.version).toBe(version);
      const addons = mocks.byType(T.addon);
      expect(addons).toHaveLength(4);
      for (const a of addons) expect(a.inputs.resolveConflictsOnUpdate).toBe("OVERWRITE");
      return Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
    };
    const before = await versions(from);
    const after = await versions(to);
    // The mocked describe-addon-versions answers per Kubernetes minor, as EKS does.
    for (const [name, version] of Object.entries(before)) {
      expect(version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(after[name]).not.toBe(version);
    }
  });

  it("runs the spot pool on SPOT capacity with a NoSchedule taint, the general pool on demand", async () => {
    const { mocks, n } = await build();
    const spot = one(mocks, T.nodeGroup, `${n}-spot-1`);
    expect(spot.inputs.capacityType).toBe("SPOT");
    expect(spot.inputs.taints).toEqual([{ key: "spot", value: "true", effect: "NO_SCHEDULE" }]);
    const general = one(mocks, T.nodeGroup, `${n}-general-1`);
    expect(general.inputs.capacityType).toBe("ON_DEMAND");
    expect(general.inputs.taints ?? []).toEqual([]);
  });

  it("grants cluster admin to the listed principals through access entries, not the bootstrap flag", async () => {
    const { mocks, n, config } = await build();
    const principal = config.kubernetes.adminPrincipals[0];
    expect(one(mocks, T.cluster).inputs.accessConfig).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    const name = `${n}-${adminEntryName(principal)}`;
    const entry = one(mocks, T.accessEntry, name);
    expect(entry.inputs).toMatchObject({
      clusterName: n,
      principalArn: principal,
      type: "STANDARD",
    });
    const assoc = one(mocks, T.accessPolicy, `${name}-policy`);
    expect(assoc.inputs).toMatchObject({
      clusterName: n,
      principalArn: principal,
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
    expect(assoc.options.dependsOn).toContain(entry.urn);
  });

  it("gives every listed role or user its own access entry and admin policy, named by its ARN", async () => {
    const admins = [
      "arn:aws:iam::123456789012:role/platform-admin",
      "arn:aws-cn:iam::123456789012:user/ci",
    ];
    const { mocks, n } = await build("prod", { adminPrincipals: admins });
    admins.forEach((principalArn, i) => {
      const name = `${n}-${adminEntryName(principalArn)}`;
      const entry = one(mocks, T.accessEntry, name);
      expect(entry.inputs).toMatchObject({ principalArn, type: "STANDARD" });
      const assoc = one(mocks, T.accessPolicy, `${name}-policy`);
      expect(assoc.inputs).toMatchObject({
        principalArn,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      });
      // Stacks created when entries were named by position keep theirs (no replacement).
      expect(entry.options.aliases).toEqual([`${n}-admin-${i}`]);
      expect(assoc.options.aliases).toEqual([`${n}-admin-${i}-policy`]);
    });
    // The two listed admins and the creator's own entry.
    expect(mocks.byType(T.accessEntry)).toHaveLength(3);
  });

  it("leaves the other admins' entries alone when the first admin is removed", async () => {
    const a = "arn:aws:iam::123456789012:role/platform-admin";
    const b = "arn:aws:iam::123456789012:role/sre";
    const c = "arn:aws:iam::123456789012:user/ci";
    const entries = async (adminPrincipals: string[]) =>
      new Map(
        (await build("prod", { adminPrincipals })).mocks
          .byType(T.accessEntry)
          .filter((e) => !e.name.endsWith("-deployer-admin"))
          .map((e) => [e.name, e.inputs.principalArn]),
      );
    const before = await entries([a, b, c]);
    const after = await entries([b, c]);
    expect(before.size).toBe(3);
    // Every remaining entry has the same logical name and principal as before.
    for (const [name, principal] of after) expect(before.get(name)).toBe(principal);
    expect([...after.values()]).toEqual([b, c]);
    expect(adminEntryName(a)).toMatch(/^admin-[0-9a-f]{8}$/);
  });

  it("refuses admins that are not IAM role or user ARNs, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "eu-west-1" });
    const config = awsConfig("prod");
    const make = (adminPrincipals: string[]) => () =>
      new KubernetesCluster("k", {
        ...commonArgs(config),
        zones: config.zones,
        kubernetes: { ...config.kubernetes, adminPrincipals },
        network: networkOutputs(),
      });
    expect(make(["group:admins@example.com"])).toThrow(
      /args\.kubernetes\.adminPrincipals\[0\] = "group:admins@example\.com": must be an IAM role or user ARN, arn:<partition>:iam::<account id>:role\/<name>/,
    );
    expect(
      make(["arn:aws:iam::123456789012:role/a", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]),
    ).toThrow(/adminPrincipals\[1\] = "0f1e2d3c/);
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("refuses the GKE-only DNS endpoint option, naming the key, before creating anything", async () => {
    const mocks = await mockPulumi({ region: "eu-west-1" });
    const config = awsConfig("prod");
    const endpoint = { ...config.kubernetes.endpoint, dnsAccess: true };
    expect(
      () =>
        new KubernetesCluster("k", {
          ...commonArgs(config),
          zones: config.zones,
          kubernetes: { ...config.kubernetes, endpoint },
          network: networkOutputs(),
        }),
    ).toThrow(/args\.kubernetes\.endpoint\.dnsAccess = true: is GKE-only/);
    await settle();
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("never bootstraps the creator: with no principals listed the deploying role gets an explicit entry", async () => {
    const { mocks, n } = await build("prod", { adminPrincipals: [] });
    const cluster = one(mocks, T.cluster);
    expect(cluster.inputs.accessConfig).toMatchObject({
      bootstrapClusterCreatorAdminPermissions: false,
    });
    // The caller is an assumed role (sts ARN); the entry needs the role's IAM ARN.
    const principalArn = "arn:aws:iam::123456789012:role/officeless-plan";
    const entry = one(mocks, T.accessEntry, `${n}-deployer-admin`);
    expect(entry.inputs).toMatchObject({ clusterName: n, principalArn, type: "STANDARD" });
    const assoc = one(mocks, T.accessPolicy, `${n}-deployer-admin-policy`);
    expect(assoc.inputs).toMatchObject({
      principalArn,
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
    expect(assoc.options.dependsOn).toContain(entry.urn);
    // A later `up` by another identity (CI) must not swap the admin: principalArn is ForceNew.
    expect(entry.options.ignoreChanges).toEqual(["principalArn"]);
    expect(assoc.options.ignoreChanges).toEqual(["principalArn"]);
  });

  it("keeps the creator's entry beside the listed admins, whose entries follow the config", async () => {
    const { mocks, n, config } = await build("prod");
    const listed = `${n}-${adminEntryName(config.kubernetes.adminPrincipals[0])}`;
    expect(
      mocks
        .byType(T.accessEntry)
        .map((e) => e.name)
        .sort(),
    ).toEqual([`${n}-deployer-admin`, listed].sort());
    expect(one(mocks, T.accessEntry, listed).options.ignoreChanges).toEqual([]);
    const creator = one(mocks, T.accessEntry, `${n}-deployer-admin`);
    expect(creator.inputs.principalArn).toBe("arn:aws:iam::123456789012:role/officeless-plan");
    expect(creator.options.ignoreChanges).toEqual(["principalArn"]);
    // Listed entries wait for the creator's, whose principal they are checked against.
    expect(one(mocks, T.accessEntry, listed).options.dependsOn).toContain(creator.urn);
  });

  it("refuses a list that names the creator, which already has its entry, naming the key", () => {
    const creator = "arn:aws:iam::123456789012:role/officeless-plan";
    const other = "arn:aws:iam::123456789012:role/platform-admin";
    expect(creatorListedIssue(creator, [other], "x-deployer-admin")).toBeUndefined();
    const issue = creatorListedIssue(creator, [other, creator], "x-deployer-admin")!;
    expect(issue).toBeInstanceOf(pulumi.RunError);
    expect(issue.message).toContain(
      `officeless:kubernetes.adminPrincipals[1] = "${creator}": is the identity that created the cluster`,
    );
    expect(issue.message).toContain("x-deployer-admin");
  });

  it("keeps bootstrapClusterCreatorAdminPermissions out of diffs and constant whatever adminPrincipals says", async () => {
    // ForceNew: a value that followed config would replace the cluster (terraform-provider-aws#43404).
    const values: unknown[] = [];
    for (const adminPrincipals of [[], ["arn:aws:iam::123456789012:role/platform-admin"]]) {
      const { mocks } = await build("prod", { adminPrincipals });
      const cluster = one(mocks, T.cluster);
      expect(cluster.options.ignoreChanges).toContain(
        "accessConfig.bootstrapClusterCreatorAdminPermissions",
      );
      values.push((cluster.inputs.accessConfig as any).bootstrapClusterCreatorAdminPermissions);
    }
    expect(values).toEqual([false, false]);
  });

  it("hands out the kubeconfig only once the admin grants and every node group exist", async () => {
    const { cluster, mocks } = await build("prod", { adminPrincipals: [] });
    const urns = await resourcesBehind(cluster.outputs.kubeconfig);
    expect(
      urns.some(
        (u) => u.includes("AccessPolicyAssociation") && u.endsWith("deployer-admin-policy"),
      ),
    ).toBe(true);
    const groups = mocks.byType(T.nodeGroup).map((r) => r.urn);
    expect(groups.length).toBeGreaterThan(2);
    for (const urn of groups) expect(urns).toContain(urn);
  });

  it("installs the core add-ons, networking before the nodes and CoreDNS after them", async () => {
    const { mocks, n } = await build();
    const addons = mocks.byType(T.addon);
    expect(addons.map((a) => a.inputs.addonName).sort()).toEqual([
      "coredns",
      "eks-pod-identity-agent",
      "kube-proxy",
      "vpc-cni",
    ]);
    const groups = mocks.byType(T.nodeGroup);
    const cni = one(mocks, T.addon, `${n}-addon-vpc-cni`);
    const podIdentity = one(mocks, T.addon, `${n}-addon-eks-pod-identity-agent`);
    for (const g of groups)
      expect(g.options.dependsOn).toEqual(expect.arrayContaining([cni.urn, podIdentity.urn]));
    const coredns = one(mocks, T.addon, `${n}-addon-coredns`);
    expect(coredns.options.dependsOn).toEqual(expect.arrayContaining(groups.map((g) => g.urn)));
  });

  it("gives the cluster and nodes the managed policies they need", async () => {
    const { mocks, n } = await build();
    const policiesOf = (role: string) =>
      mocks
        .byType(T.attachment)
        .filter((a) => a.inputs.role === `${role}-id`)
        .map((a) => (a.inputs.policyArn as string).replace("arn:aws:iam::aws:policy/", ""))
        .sort();
    expect(policiesOf(`${n}-cluster-role`)).toEqual(["AmazonEKSClusterPolicy"]);
    expect(policiesOf(`${n}-node-role`)).toEqual(
      [
        "AmazonEC2ContainerRegistryReadOnly",
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonSSMManagedInstanceCore",
      ].sort(),
    );
    const trust = (name: string) =>
      JSON.parse(one(mocks, T.role, name).inputs.assumeRolePolicy as string).Statement[0].Principal
        .Service;
    expect(trust(`${n}-cluster-role`)).toBe("eks.amazonaws.com");
    expect(trust(`${n}-node-role`)).toBe("ec2.amazonaws.com");
  });

  it("exports a secret kubeconfig that gets tokens from the AWS CLI, and the wiring outputs", async () => {
    const { cluster, n, mocks } = await build();
    const out = cluster.outputs;
    expect(await isSecret(out.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await valueOf(out.kubeconfig));
    expect(kubeconfig.clusters[0].cluster.server).toBe(await valueOf(out.endpoint));
    expect(kubeconfig.clusters[0].cluster["certificate-authority-data"]).toBe(
      await valueOf(out.certificateAuthority),
    );
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: expect.arrayContaining([
        "eks",
        "get-token",
        "--cluster-name",
        n,
        "--region",
        "eu-west-1",
      ]),
    });
    expect(await valueOf(out.clusterName)).toBe(n);
    expect(await valueOf(out.version)).toBe("1.36");
    expect(await valueOf(out.nodeSecurityGroupId)).toMatch(/^sg-.*cluster$/);
    expect(await valueOf(out.clusterSecurityGroupId)).toBe(`${n}-control-plane-sg-id`);
    expect(await valueOf(out.oidcIssuerUrl)).toMatch(
      /^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//,
    );
    expect(await valueOf(out.encryptionKeyId)).toBe(ARN("kms", one(mocks, T.key).name));
    expect(await valueOf(out.nodeIdentity)).toBe(ARN("iam", `${n}-node-role`));
    expect(await valueOf(out.nodePoolNames)).toEqual(["general", "spot"]);
  });

  it("protects the key and control-plane logs and turns on deletion protection in prod only", async () => {
    const prod = await build("prod");
    expect(one(prod.mocks, T.key).options.protect).toBe(true);
    expect(one(prod.mocks, T.logGroup).options.protect).toBe(true);
    const dev = await build("dev");
    expect(one(dev.mocks, T.key).options.protect).toBe(false);
    expect(one(dev.mocks, T.logGroup).options.protect).toBe(false);
    expect(one(dev.mocks, T.cluster).inputs.deletionProtection).toBe(false);
  });

  it("tags every taggable resource", async () => {
    const { mocks } = await build();
    const untaggable = new Set([T.attachment, T.rolePolicy, T.accessPolicy, "aws:kms/alias:Alias"]);
    const taggable = mocks.resources.filter(
      (r) => r.custom && r.type.startsWith("aws:") && !untaggable.has(r.type),
    );
    expect(taggable.length).toBeGreaterThan(15);
    for (const r of taggable) {
      expect({ name: r.name, tags: r.inputs.tags }).toEqual({
        name: r.name,
        tags: expect.objectContaining({
          environment: "prod",
          layer: "kubernetes",
          "managed-by": MANAGED_BY,
        }),
      });
    }
  });

  it("wires into a real Network's outputs", async () => {
    const mocks = await mockPulumi({ region: "eu-west-1" });
    const config = awsConfig("prod");
    const network = new Network(`${config.name}-network`, {
      ...commonArgs(config),
      zones: config.zones,
      network: config.network,
    });
    const cluster = new KubernetesCluster(`${config.name}-kubernetes`, {
      ...commonArgs(config),
      zones: config.zones,
      kubernetes: config.kubernetes,
      network: network.outputs,
    });
    await valueOf(cluster.outputs.kubeconfig);
    await settle();
    expect(vpcConfig(mocks).subnetIds).toEqual(
      [0, 1, 2].map((i) => `${config.name}-network-private-${i}-id`),
    );
    expect(one(mocks, T.nodeGroup, `${config.name}-kubernetes-general-2`).inputs.subnetIds).toEqual(
      [`${config.name}-network-private-2-id`],
    );
    expect(one(mocks, T.securityGroup).inputs.vpcId).toBe(`${config.name}-network-vpc-id`);
  });
});

describe("AWS node pool architecture", () => {
  it("recognises Graviton families", () => {
    for (const t of [
      "m7g.large",
      "c6gn.xlarge",
      "r8gd.2xlarge",
      "t4g.medium",
      "x2gd.xlarge",
      "im4gn.large",
      "a1.large",
    ]) {
      expect(isGraviton(t)).toBe(true);
    }
    for (const t of [
      "m6i.large",
      "m5.xlarge",
      "g5.xlarge",
      "c7a.large",
      "t3.medium",
      "inf2.xlarge",
    ]) {
      expect(isGraviton(t)).toBe(false);
    }
  });

  it("picks the arm64 AMI for Graviton pools and rejects mixed architectures", () => {
    const pool = awsConfig().kubernetes.nodePools[0];
    expect(amiTypeFor({ ...pool, instanceTypes: ["m7g.large", "c7g.large"] }, 0)).toBe(
      "AL2023_ARM_64_STANDARD",
    );
    expect(amiTypeFor(pool, 0)).toBe("AL2023_x86_64_STANDARD");
    expect(() => amiTypeFor({ ...pool, instanceTypes: ["m7g.large", "m6i.large"] }, 2)).toThrow(
      /kubernetes\.nodePools\[2\]\.instanceTypes/,
    );
  });
});
