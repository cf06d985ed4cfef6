/**
 * AWS kubernetes layer: an EKS cluster with a private endpoint, secrets envelope-encrypted with a
 * customer key, all control-plane logs kept in a managed, encrypted log group, access entries
 * instead of aws-auth, and managed node groups (one per pool per zone) on IMDSv2-only launch
 * templates with encrypted root volumes.
 */
import * as aws from "@pulumi/aws";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { execKubeconfig } from "../../components/kubeconfig";
import type { KubernetesClusterArgs, KubernetesOutputs } from "../../components/kubernetesCluster";
import { NodePoolConfig, NodeTaint, Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import { awsConfigIssues } from "./catalog";
import { awsAccount, kmsKey, PolicyStatement } from "./common";
import { accountRootStatement, logGroupArn, logsKeyStatements } from "./network";

/** Every control-plane log type EKS offers. */
export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
];

const TAINT_EFFECTS: Record<NodeTaint["effect"], string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

/** Graviton (arm64) families: a generation digit followed by `g` (m7g, c6gn, r8gd, x2gd, im4gn), or a1. */
export function isGraviton(instanceType: string): boolean {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g/.test(family);
}

/** The AL2023 AMI type for a pool; all its instance types must share one architecture. */
export function amiTypeFor(pool: NodePoolConfig, index: number): string {
  const arm = pool.instanceTypes.map(isGraviton);
  if (arm.some((a) => a !== arm[0])) {
    const issue: Issue = {
      path: `kubernetes.nodePools[${index}].instanceTypes`,
      value: pool.instanceTypes,
      message:
        "mixes Graviton (arm64) and x86_64 types; a node group has one AMI, so use one architecture per pool",
    };
    throw new ValidationError([issue], "args.", "Invalid KubernetesCluster arguments");
  }
  return arm[0] ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/** A kubeconfig (JSON, which is YAML) that gets short-lived tokens from the AWS CLI. */
export function eksKubeconfig(
  name: string,
  region: string,
  endpoint: string,
  caData: string,
): string {
  return execKubeconfig({
    name,
    server: endpoint,
    certificateAuthorityData: caData,
    exec: {
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", name, "--region", region, "--output", "json"],
    },
  });
}

interface ServiceRoleArgs {
  /** Service principal that assumes the role, e.g. `eks.amazonaws.com`. */
  readonly service: string;
  readonly description: string;
  /** AWS managed policy names to attach. */
  readonly policies: string[];
  readonly partition: pulumi.Output<string>;
}

/** A role a service assumes, with AWS managed policies attached; returns the attachments for ordering. */
function serviceRole(
  scope: Scope,
  role: string,
  { service, description, policies, partition }: ServiceRoleArgs,
) {
  const iamRole = new aws.iam.Role(
    `${scope.name}-${role}-role`,
    {
      description,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      }),
      tags: scope.tags,
    },
    { parent: scope.parent },
  );
  const attachments = policies.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${scope.name}-${role}-${policy}`,
        {
          role: iamRole.id,
          policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
        },
        { parent: scope.parent },
      ),
  );
  return { role: iamRole, attachments };
}

export function awsKubernetes(scope: Scope, args: KubernetesClusterArgs): KubernetesOutputs {
  // What EKS would refuse (admin ARNs, log retention), before any child exists.
  const issues = awsConfigIssues({ kubernetes: args.kubernetes });
  if (issues.length > 0)
    throw new ValidationError(issues, "args.", "Invalid KubernetesCluster arguments");
  const opts = { parent: scope.parent };
  const k8s = args.kubernetes;
  const clusterName = scope.name;
  const amiTypes = k8s.nodePools.map(amiTypeFor);
  const { accountId, partition } = awsAccount(scope);
  const logGroupName = `/aws/eks/${clusterName}/cluster`;
  const controlPlaneLogArn = logGroupArn(partition, args.region, accountId, logGroupName);

  // One key for secrets, node volumes and control-plane logs. Its policy must admit the Auto Scaling
  // service-linked role, which launches managed nodes and so creates their encrypted volumes, and
  // CloudWatch Logs, which cannot use a customer key through IAM alone.
  const key = kmsKey(
    scope,
    "encryption",
    `Encrypts Kubernetes secrets, node volumes and control-plane logs of ${clusterName}`,
    pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        accountRootStatement(partition, accountId),
        ...autoScalingKeyStatements(partition, accountId),
        ...logsKeyStatements(partition, args.region, [controlPlaneLogArn]),
      ],
    }),
  );

  const cluster = serviceRole(scope, "cluster", {
    service: "eks.amazonaws.com",
    description: `EKS control plane of ${clusterName}`,
    policies: ["AmazonEKSClusterPolicy"],
    partition,
  });
  // EKS encrypts secrets with the cluster role's own permissions on the key.
  const clusterKeyPolicy = new aws.iam.RolePolicy(
    `${scope.name}-cluster-encryption`,
    {
      role: cluster.role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
            Resource: key.arn,
          },
        ],
      }),
    },
    opts,
  );

  // Created first so EKS writes into a group we own (retention, encryption) instead of making its own.
  const logGroup = new aws.cloudwatch.LogGroup(
    `${scope.name}-control-plane-logs`,
    {
      name: logGroupName,
      retentionInDays: k8s.logRetentionDays,
      kmsKeyId: key.arn,
      tags: scope.tags,
    },
    { ...opts, protect: scope.protect },
  );

  // Reaches the private endpoint: the VPC itself and the outside networks listed (VPN peers, CI).
  const controlPlaneSg = new aws.ec2.SecurityGroup(
    `${scope.name}-control-plane-sg`,
    {
      vpcId: args.network.networkId,
      description: `EKS API access for ${clusterName}`,
      tags: { ...scope.tags, Name: `${clusterName}-control-plane` },
    },
    opts,
  );
  const apiSources: { name: string; cidr: pulumi.Input<string> }[] = [
    { name: "vpc", cidr: args.network.cidr },
    ...k8s.endpoint.privateAccessCidrs.map((cidr, i) => ({ name: `private-${i}`, cidr })),
  ];
  for (const source of apiSources) {
    new aws.vpc.SecurityGroupIngressRule(
      `${scope.name}-api-${source.name}`,
      {
        securityGroupId: controlPlaneSg.id,
        description: `Kubernetes API from ${source.name}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: source.cidr,
        tags: scope.tags,
      },
      opts,
    );
  }

  const publicEndpoint = k8s.endpoint.publicAccessCidrs.length > 0;
  const eks = new aws.eks.Cluster(
    `${scope.name}-cluster`,
    {
      name: clusterName,
      version: k8s.version,
      roleArn: cluster.role.arn,
      vpcConfig: {
        subnetIds: args.network.privateSubnetIds,
        securityGroupIds: [controlPlaneSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        ...(publicEndpoint ? { publicAccessCidrs: [...k8s.endpoint.publicAccessCidrs] } : {}),
      },
      accessConfig: {
        authenticationMode: "API",
        // Always false: it is ForceNew (terraform-provider-aws#43404), so following adminPrincipals
        // would replace the cluster when the first admin is listed. Admins get access entries below.
        bootstrapClusterCreatorAdminPermissions: false,
      },
      encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
      enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
      // Core add-ons are managed below as EKS add-ons, not the unmanaged bootstrap copies.
      bootstrapSelfManagedAddons: false,
      deletionProtection: scope.protect,
      // No paid extended support: at the end of standard support EKS upgrades the cluster
      // instead of billing the extended-support rate (EXTENDED is the API's default).
      upgradePolicy: { supportType: "STANDARD" },
      tags: scope.tags,
    },
    {
      ...opts,
      dependsOn: [logGroup, clusterKeyPolicy, ...cluster.attachments],
      // Clusters created while it followed adminPrincipals keep their value instead of being replaced.
      ignoreChanges: ["accessConfig.bootstrapClusterCreatorAdminPermissions"],
    },
  );

  // The identity that creates the cluster keeps an admin entry of its own, whatever the list says
  // (as EKS's bootstrap flag would give it, without the flag's ForceNew): the storage, addons and
  // observability layers reach the API as the deploying identity, and listing the first admin must
  // not take that away. principalArn is ForceNew and ignored after creation, so whoever runs `up`
  // next (a laptop, then CI) does not swap it. A cluster created with the bootstrap flag on already
  // has this entry: import it (`pulumi import aws:eks/accessEntry:AccessEntry <urn name> <cluster>:<arn>`).
  const adminPolicyArn = pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
  const grant = (
    name: string,
    principalArn: pulumi.Input<string>,
    extra: { ignoreChanges?: string[]; formerly?: string } = {},
  ) => {
    const keep = extra.ignoreChanges ? { ignoreChanges: extra.ignoreChanges } : {};
    const alias = (suffix: string) =>
      extra.formerly ? { aliases: [{ name: `${scope.name}-${extra.formerly}${suffix}` }] } : {};
    const entry = new aws.eks.AccessEntry(
      `${scope.name}-${name}`,
      { clusterName: eks.name, principalArn, type: "STANDARD", tags: scope.tags },
      { ...opts, ...keep, ...alias("") },
    );
    const association = new aws.eks.AccessPolicyAssociation(
      `${scope.name}-${name}-policy`,
      {
        clusterName: eks.name,
        principalArn,
        policyArn: adminPolicyArn,
        accessScope: { type: "cluster" },
      },
      { ...opts, ...keep, ...alias("-policy"), dependsOn: [entry] },
    );
    return { entry, association };
  };
  const creator = grant("deployer-admin", deployingPrincipalArn(scope), {
    ignoreChanges: ["principalArn"],
  });
  // Listed admins: named by a hash of the ARN, not the position, so removing one leaves the others
  // alone; `admin-<i>` aliases adopt entries of stacks created when names were positions (leave the
  // list unchanged in the first `up` after upgrading). Each waits for the creator's entry, and a
  // listed creator stops the deployment at preview: EKS allows one entry per principal.
  const listed = k8s.adminPrincipals.map((arn, i) =>
    grant(
      adminEntryName(arn),
      creator.entry.principalArn.apply((creatorArn) => {
        const issue = creatorListedIssue(
          creatorArn,
          k8s.adminPrincipals,
          `${scope.name}-deployer-admin`,
        );
        if (issue) throw issue;
        return arn;
      }),
      { formerly: `admin-${i}` },
    ),
  );
  const adminAccess = [creator, ...listed].map((g) => g.association);

  // Each add-on at EKS's default version for the configured Kubernetes version: an unset version
  // is chosen once at creation and never moves, so a cluster upgrade would leave kube-proxy, CoreDNS
  // and the CNI on the old minor (terraform-aws-eks feeds aws_eks_addon_version the same way).
  // The cluster comes first (clusterName), so an upgrade updates the control plane, then these.
  const addon = (name: string, dependsOn: pulumi.Resource[] = []) =>
    new aws.eks.Addon(
      `${scope.name}-addon-${name}`,
      {
        clusterName: eks.name,
        addonName: name,
        addonVersion: aws.eks.getAddonVersionOutput(
          { addonName: name, kubernetesVersion: k8s.version },
          opts,
        ).version,
        // We own the add-ons' config: an update may overwrite fields edited in the cluster.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: scope.tags,
      },
      { ...opts, dependsOn },
    );
  // Networking and Pod Identity must exist before nodes, or nodes never become Ready.
  const preNodeAddons = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].map((name) =>
    addon(name),
  );

  const nodes = serviceRole(scope, "node", {
    service: "ec2.amazonaws.com",
    description: `EKS nodes of ${clusterName}`,
    // SSM gives break-glass shell access without SSH keys or open ports.
    policies: [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonEKS_CNI_Policy",
      "AmazonSSMManagedInstanceCore",
    ],
    partition,
  });

  const nodeGroups: aws.eks.NodeGroup[] = [];
  k8s.nodePools.forEach((pool, p) => {
    const template = launchTemplate(scope, pool, key);
    args.zones.forEach((zone, z) => {
      const groupName = `${scope.name}-${pool.name}-${z}`;
      nodeGroups.push(
        new aws.eks.NodeGroup(
          groupName,
          {
            clusterName: eks.name,
            // A prefix, not a fixed name: instance types, spot and the AMI type are ForceNew, and a
            // fixed name would make a pool change delete every zone's group before its replacement
            // exists. EKS names are per cluster, so the pool and zone index suffice.
            nodeGroupNamePrefix: nodeGroupNamePrefix(pool.name, z),
            // Follows the control plane (upgraded first: clusterName depends on it); unset, the
            // nodes would keep the kubelet and AMI of the version they were created at.
            version: eks.version,
            nodeRoleArn: nodes.role.arn,
            // One zone per group: the cluster autoscaler can then balance zones and scale the right one.
            subnetIds: [args.network.privateSubnetIds.apply((ids) => ids[z])],
            scalingConfig: {
              minSize: pool.minSize,
              maxSize: pool.maxSize,
              desiredSize: pool.desiredSize,
            },
            updateConfig: { maxUnavailable: 1 },
            nodeRepairConfig: { enabled: true },
            capacityType: pool.spot ? "SPOT" : "ON_DEMAND",
            instanceTypes: [...pool.instanceTypes],
            amiType: amiTypes[p],
            labels: { ...pool.labels },
            taints: pool.taints.map((t) => ({
              key: t.key,
              value: t.value,
              effect: TAINT_EFFECTS[t.effect],
            })),
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
            tags: {
              ...scope.tags,
              Name: `${groupName}-${zone}`,
              "k8s.io/cluster-autoscaler/enabled": "true",
              [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
            },
          },
          {
            ...opts,
            dependsOn: [...nodes.attachments, ...preNodeAddons],
            // The autoscaler owns the size after creation.
            ignoreChanges: ["scalingConfig.desiredSize"],
            // Replacement creates the new group (a new prefixed name) before the old one is
            // drained and deleted, so the zone keeps nodes throughout.
            deleteBeforeReplace: false,
          },
        ),
      );
    });
  });

  // CoreDNS is a Deployment: without nodes the add-on stays degraded and its creation times out.
  addon("coredns", nodeGroups);

  // Waits for the admin grants (without the bootstrap flag nobody can use the API before them) and
  // the node groups: in one stack the Helm releases reach the cluster through this kubeconfig, and
  // their pods need nodes before the releases' timeouts run out.
  const kubeconfig = pulumi
    .all([
      eks.name,
      eks.endpoint,
      eks.certificateAuthority,
      pulumi.all(adminAccess.map((a) => a.id)),
      pulumi.all(nodeGroups.map((g) => g.id)),
    ])
    .apply(([name, endpoint, ca]) => eksKubeconfig(name, args.region, endpoint, ca.data ?? ""));

  return {
    clusterName: eks.name,
    clusterId: eks.arn,
    endpoint: eks.endpoint,
    certificateAuthority: eks.certificateAuthority.apply((ca) => ca.data ?? ""),
    kubeconfig: pulumi.secret(kubeconfig),
    version: eks.version,
    nodeSecurityGroupId: eks.vpcConfig.apply((v) => v.clusterSecurityGroupId),
    clusterSecurityGroupId: controlPlaneSg.id,
    nodeIdentity: nodes.role.arn,
    oidcIssuerUrl: eks.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? ""),
    encryptionKeyId: key.arn,
    nodePoolNames: pulumi.output(k8s.nodePools.map((p) => p.name)),
  };
}

/**
 * Node group name prefix: EKS appends a 26-digit unique suffix, and names are at most 63
 * characters (terraform-provider-aws internal/service/eks/node_group.go: the prefix is
 * StringLenBetween(0, 63-id.UniqueIDSuffixLength)). A pool name (20) and a zone index fit.
 */
export function nodeGroupNamePrefix(pool: string, zoneIndex: number): string {
  return `${pool}-${zoneIndex}-`;
}

/**
 * Why the admin list cannot be granted as is: it names the identity that created the cluster,
 * which already has its own entry (EKS refuses a second entry for one principal). Undefined if not.
 */
export function creatorListedIssue(
  creatorArn: string,
  adminPrincipals: readonly string[],
  creatorEntry: string,
): pulumi.RunError | undefined {
  const issues: Issue[] = adminPrincipals.flatMap((arn, i) =>
    arn === creatorArn
      ? [
          {
            path: `kubernetes.adminPrincipals[${i}]`,
            value: arn,
            message:
              `is the identity that created the cluster, which keeps cluster admin through its own access entry (${creatorEntry}); ` +
              "remove it from the list (EKS allows one access entry per principal)",
          },
        ]
      : [],
  );
  if (issues.length === 0) return undefined;
  return new pulumi.RunError(
    new ValidationError(issues, "officeless:", "Invalid cluster admins").message,
  );
}

/** An admin's access-entry name: a short stable hash of the principal ARN, not its position. */
export function adminEntryName(principalArn: string): string {
  return `admin-${createHash("sha256").update(principalArn).digest("hex").slice(0, 8)}`;
}

/**
 * The IAM principal running the deployment, as an access entry needs it: STS reports an assumed
 * role as `arn:aws:sts::<account>:assumed-role/<name>/<session>`, and the session context turns
 * that into the role's own ARN, path included (SSO roles live under /aws-reserved/...).
 */
export function deployingPrincipalArn(scope: Scope): pulumi.Output<string> {
  const opts = { parent: scope.parent };
  const caller = aws.getCallerIdentityOutput({}, opts);
  return aws.iam.getSessionContextOutput({ arn: caller.arn }, opts).issuerArn;
}

/** The Auto Scaling service-linked role, which launches managed node groups' instances. */
export function autoScalingRoleArn(
  partition: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * Key policy statements that let the Auto Scaling service-linked role create managed nodes'
 * encrypted volumes (the permissions AWS documents for it). KMS rejects a policy whose Principal
 * names a role that does not exist, and a fresh account has no AWSServiceRoleForAutoScaling until
 * its first Auto Scaling group (terraform-aws-eks#3013). Creating it with aws.iam.ServiceLinkedRole
 * fails where it already exists, so the role is matched by condition instead: Principal `*`,
 * narrowed by `aws:PrincipalArn` (not checked for existence) and `kms:CallerAccount` to that one
 * role in this account. No `kms:ViaService`: Auto Scaling calls KMS itself (DescribeKey, CreateGrant
 * for the instances' volumes), and no public policy for this role has one (terraform-aws-modules/kms
 * `key_service_roles_for_autoscaling`); `kms:GrantIsForAWSResource` keeps its grants for AWS
 * services. The statements apply as soon as the role appears with the first node group.
 */
export function autoScalingKeyStatements(
  partition: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): PolicyStatement[] {
  const onlyTheRole = {
    StringEquals: { "kms:CallerAccount": accountId },
    ArnEquals: { "aws:PrincipalArn": autoScalingRoleArn(partition, accountId) },
  };
  return [
    {
      Sid: "AllowAutoScalingUseOfKey",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ],
      Resource: "*",
      Condition: onlyTheRole,
    },
    {
      Sid: "AllowAutoScalingGrantsForVolumes",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { ...onlyTheRole, Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}

/** Per pool: IMDSv2 only with hop limit 1 (pods cannot reach node credentials), encrypted gp3 root. */
function launchTemplate(
  scope: Scope,
  pool: NodePoolConfig,
  key: aws.kms.Key,
): aws.ec2.LaunchTemplate {
  const name = `${scope.name}-${pool.name}`;
  const tags = { ...scope.tags, Name: name };
  return new aws.ec2.LaunchTemplate(
    `${name}-lt`,
    {
      description: `EKS node pool ${pool.name} of ${scope.name}`,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: pool.diskSizeGb,
            volumeType: "gp3",
            encrypted: "true",
            kmsKeyId: key.arn,
            deleteOnTermination: "true",
          },
        },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
      ],
      tags,
    },
    { parent: scope.parent },
  );
}
