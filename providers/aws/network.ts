/**
 * AWS network layer: a VPC over the given zones with public, private and (optionally) isolated
 * database subnets, NAT per zone (or one), a locked-down default security group, an S3 gateway
 * endpoint, and VPC flow logs to a KMS-encrypted CloudWatch log group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "../../components/cidr";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import { Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { awsZoneIdIssues } from "./catalog";
import { awsAccount, kmsKey, PolicyStatement } from "./common";

type Tier = "public" | "private" | "database";

/** Tags the AWS Load Balancer Controller discovers subnets by (internet-facing vs internal LBs). */
const TIER_ROLE_TAGS: Record<Tier, Record<string, string>> = {
  public: { "kubernetes.io/role/elb": "1" },
  private: { "kubernetes.io/role/internal-elb": "1" },
  database: {},
};

/** The ARN of a CloudWatch log group, known before the group exists (key policies need it first). */
export function logGroupArn(
  partition: pulumi.Input<string>,
  region: string,
  accountId: pulumi.Input<string>,
  name: string,
): pulumi.Output<string> {
  return pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
}

/**
 * Key policy statements that let CloudWatch Logs in `region` use a key for exactly the given log
 * groups. Logs cannot use a customer key through IAM grants: the key policy itself must allow it.
 */
export function logsKeyStatements(
  partition: pulumi.Input<string>,
  region: string,
  logGroupArns: pulumi.Input<string>[],
): PolicyStatement[] {
  return [
    {
      Sid: "AllowCloudWatchLogs",
      Effect: "Allow",
      Principal: { Service: pulumi.interpolate`logs.${region}.${dnsSuffix(partition)}` },
      Action: [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArns } },
    },
  ];
}

/** The statement every key policy starts with: the account's IAM policies govern the key. */
export function accountRootStatement(
  partition: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): PolicyStatement {
  return {
    Sid: "EnableIamPolicies",
    Effect: "Allow",
    Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** Service principal DNS suffix of a partition (China regions differ). */
export function dnsSuffix(partition: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi
    .output(partition)
    .apply((p) => (p === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"));
}

/** Prefix of VPC endpoint service names in a partition. */
function servicePrefix(partition: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi
    .output(partition)
    .apply((p) => (p === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws"));
}

export function awsNetwork(scope: Scope, args: NetworkArgs): NetworkOutputs {
  const opts = { parent: scope.parent };
  const zones = args.zones;
  const perZoneNat = args.network.natGateways === "perZone";
  const plan = planSubnets(args.network.cidr, zones.length, {
    publicPrefix: args.network.publicSubnetPrefix,
    privatePrefix: args.network.privateSubnetPrefix,
    databasePrefix: args.network.databaseSubnetPrefix,
  });
  const account = awsAccount(scope);
  const named = (name: string, extra: Record<string, string> = {}) => ({
    ...scope.tags,
    ...extra,
    Name: name,
  });

  const vpc = new aws.ec2.Vpc(
    `${scope.name}-vpc`,
    {
      cidrBlock: args.network.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: named(scope.name),
    },
    opts,
  );

  // Adopting the default security group with no rules strips AWS's allow-all defaults, so nothing
  // that lands in it by accident can talk to anything.
  new aws.ec2.DefaultSecurityGroup(
    `${scope.name}-default-sg`,
    { vpcId: vpc.id, tags: named(`${scope.name}-default`) },
    opts,
  );

  // Every subnet waits for the zone check (see eksZones).
  const checkedZones = eksZones(scope, args.region, zones);

  const subnets = (tier: Tier): aws.ec2.Subnet[] =>
    plan[tier].map(
      (cidr, i) =>
        new aws.ec2.Subnet(
          `${scope.name}-${tier}-${i}`,
          {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: checkedZones.apply((z) => z[i]),
            // Nothing gets a public IP by itself; only load balancers and NAT gateways are public.
            mapPublicIpOnLaunch: false,
            tags: named(`${scope.name}-${tier}-${zones[i]}`, { tier, ...TIER_ROLE_TAGS[tier] }),
          },
          opts,
        ),
    );
  const publicSubnets = subnets("public");
  const privateSubnets = subnets("private");
  const databaseSubnets = subnets("database");

  const igw = new aws.ec2.InternetGateway(
    `${scope.name}-igw`,
    { vpcId: vpc.id, tags: named(`${scope.name}-igw`) },
    opts,
  );

  const natCount = perZoneNat ? zones.length : 1;
  const eips: aws.ec2.Eip[] = [];
  const nats: aws.ec2.NatGateway[] = [];
  for (let i = 0; i < natCount; i++) {
    const eip = new aws.ec2.Eip(
      `${scope.name}-nat-eip-${i}`,
      { domain: "vpc", tags: named(`${scope.name}-nat-${zones[i]}`) },
      { ...opts, dependsOn: [igw] },
    );
    eips.push(eip);
    nats.push(
      new aws.ec2.NatGateway(
        `${scope.name}-nat-${i}`,
        {
          allocationId: eip.allocationId,
          subnetId: publicSubnets[i].id,
          connectivityType: "public",
          tags: named(`${scope.name}-nat-${zones[i]}`),
        },
        { ...opts, dependsOn: [igw] },
      ),
    );
  }

  const publicRouteTable = new aws.ec2.RouteTable(
    `${scope.name}-public-rt`,
    { vpcId: vpc.id, tags: named(`${scope.name}-public`, { tier: "public" }) },
    opts,
  );
  new aws.ec2.Route(
    `${scope.name}-public-internet`,
    { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
    opts,
  );
  publicSubnets.forEach(
    (subnet, i) =>
      new aws.ec2.RouteTableAssociation(
        `${scope.name}-public-rta-${i}`,
        { subnetId: subnet.id, routeTableId: publicRouteTable.id },
        opts,
      ),
  );

  // One private route table per zone even with a single NAT: each zone's egress can then move to
  // its own NAT without re-association, and the VPN layer propagates routes into each of them.
  const privateRouteTables = privateSubnets.map((subnet, i) => {
    const table = new aws.ec2.RouteTable(
      `${scope.name}-private-rt-${i}`,
      { vpcId: vpc.id, tags: named(`${scope.name}-private-${zones[i]}`, { tier: "private" }) },
      opts,
    );
    new aws.ec2.Route(
      `${scope.name}-private-nat-${i}`,
      {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[perZoneNat ? i : 0].id,
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(
      `${scope.name}-private-rta-${i}`,
      { subnetId: subnet.id, routeTableId: table.id },
      opts,
    );
    return table;
  });

  // The database tier has local routes only: no internet in either direction.
  if (databaseSubnets.length > 0) {
    const databaseRouteTable = new aws.ec2.RouteTable(
      `${scope.name}-database-rt`,
      { vpcId: vpc.id, tags: named(`${scope.name}-database`, { tier: "database" }) },
      opts,
    );
    databaseSubnets.forEach(
      (subnet, i) =>
        new aws.ec2.RouteTableAssociation(
          `${scope.name}-database-rta-${i}`,
          { subnetId: subnet.id, routeTableId: databaseRouteTable.id },
          opts,
        ),
    );
  }

  // S3 traffic from nodes (images layers, backups, observability buckets) bypasses the NAT: no
  // per-GB NAT charge, and it never leaves the AWS network.
  new aws.ec2.VpcEndpoint(
    `${scope.name}-s3-endpoint`,
    {
      vpcId: vpc.id,
      serviceName: pulumi.interpolate`${servicePrefix(account.partition)}.${args.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: privateRouteTables.map((t) => t.id),
      tags: named(`${scope.name}-s3`),
    },
    opts,
  );

  flowLogs(scope, args, vpc, account);

  return {
    networkId: vpc.id,
    cidr: vpc.cidrBlock,
    zones: pulumi.output([...zones]),
    publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
    privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    databaseSubnetIds: pulumi.all(databaseSubnets.map((s) => s.id)),
    privateRouteTableIds: pulumi.all(privateRouteTables.map((t) => t.id)),
    natPublicIps: pulumi.all(eips.map((e) => e.publicIp)),
  };
}

/**
 * The configured zones once checked against the account: names map to physical zones per account,
 * so they are resolved to zone IDs here, before the first subnet. A name the account lacks, or one
 * that maps to a zone ID EKS refuses for its control plane, stops the deployment at preview, not at
 * CreateCluster after the whole network layer exists.
 */
export function eksZones(
  scope: Scope,
  region: string,
  zones: readonly string[],
): pulumi.Output<readonly string[]> {
  return aws
    .getAvailabilityZonesOutput({ state: "available" }, { parent: scope.parent })
    .apply((account) => {
      const error = zoneCheckError(region, zones, account);
      if (error) throw error;
      return zones;
    });
}

/** Why the account cannot host these zones (see awsZoneIdIssues), or undefined when it can. */
export function zoneCheckError(
  region: string,
  zones: readonly string[],
  account: { names: readonly string[]; zoneIds: readonly string[] },
): pulumi.RunError | undefined {
  const issues = awsZoneIdIssues(region, zones, account);
  if (issues.length === 0) return undefined;
  const what = `Zones this account cannot use for EKS in ${region}`;
  return new pulumi.RunError(new ValidationError(issues, "officeless:", what).message);
}

/** Flow logs of all traffic to a log group encrypted with its own key, written by a role scoped to it. */
function flowLogs(
  scope: Scope,
  args: NetworkArgs,
  vpc: aws.ec2.Vpc,
  { accountId, partition }: ReturnType<typeof awsAccount>,
): void {
  const opts = { parent: scope.parent };
  const logGroupName = `/aws/vpc-flow-logs/${scope.name}`;
  const groupArn = logGroupArn(partition, args.region, accountId, logGroupName);

  const key = kmsKey(
    scope,
    "flow-logs",
    `Encrypts the VPC flow logs of ${scope.name}`,
    pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        accountRootStatement(partition, accountId),
        ...logsKeyStatements(partition, args.region, [groupArn]),
      ],
    }),
  );

  const logGroup = new aws.cloudwatch.LogGroup(
    `${scope.name}-flow-logs`,
    {
      name: logGroupName,
      retentionInDays: args.network.flowLogRetentionDays,
      kmsKeyId: key.arn,
      tags: scope.tags,
    },
    { ...opts, protect: scope.protect },
  );

  const role = new aws.iam.Role(
    `${scope.name}-flow-logs-role`,
    {
      description: `Delivers the VPC flow logs of ${scope.name} to ${logGroupName}`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy guard: only flow logs of this account may use the role.
            Condition: {
              StringEquals: { "aws:SourceAccount": accountId },
              ArnLike: {
                "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${args.region}:${accountId}:vpc-flow-log/*`,
              },
            },
          },
        ],
      }),
      tags: scope.tags,
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${scope.name}-flow-logs-policy`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteFlowLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [groupArn, pulumi.interpolate`${groupArn}:*`],
          },
          {
            // A list call: it cannot be narrowed to one group.
            Sid: "DescribeLogGroups",
            Effect: "Allow",
            Action: "logs:DescribeLogGroups",
            Resource: pulumi.interpolate`arn:${partition}:logs:${args.region}:${accountId}:log-group:*`,
          },
        ],
      }),
    },
    opts,
  );

  new aws.ec2.FlowLog(
    `${scope.name}-flow-log`,
    {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { ...scope.tags, Name: `${scope.name}-flow-log` },
    },
    opts,
  );
}
