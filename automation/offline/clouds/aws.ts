/** AWS resources and invokes under the offline mocks. */
import { AWS_CATALOG, EKS_UNSUPPORTED_ZONE_IDS } from "../../../providers/aws/catalog";
import { CloudMocks, Invoke, mockPublicIp, shortHash } from "./common";

/** A fixed, recognisable fake account id used by all mocked ARNs. */
export const MOCK_ACCOUNT_ID = "123456789012";
const ACCOUNT_ID = MOCK_ACCOUNT_ID;

/**
 * An account's zones in a region: the catalog's names, with zone IDs of the region's short form
 * (`use1-az1`, ...). The offline plan assumes a prepared account, so no name maps to a zone ID EKS
 * refuses (those get IDs past the region's last).
 */
export function mockZones(region: string): { names: string[]; zoneIds: string[] } {
  const names = [...(AWS_CATALOG.regions[region] ?? [])];
  const [geo, direction = "", n = ""] = region.split("-");
  const compass = direction.replace(/north|south|east|west|central/g, (w) => w[0]);
  const short = `${geo}${compass}${n}`;
  const zoneIds = names.map((_, i) => {
    const id = `${short}-az${i + 1}`;
    return EKS_UNSUPPORTED_ZONE_IDS.includes(id) ? `${short}-az${names.length + i + 1}` : id;
  });
  return { names, zoneIds };
}

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> | undefined {
  const physical = (inputs.name as string) ?? name;
  switch (type) {
    case "aws:eks/cluster:Cluster": {
      const id = shortHash(name);
      return {
        name: physical,
        endpoint: `https://${id}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`mock-ca-${name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` }] }],
        vpcConfig: {
          ...(inputs.vpcConfig ?? {}),
          clusterSecurityGroupId: `sg-${id.toLowerCase()}cluster`,
        },
        version: inputs.version ?? "1.36",
      };
    }
    case "aws:ec2/eip:Eip":
      return {
        publicIp: mockPublicIp(name),
        allocationId: `eipalloc-${shortHash(name).toLowerCase()}`,
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const id = (inputs.replicationGroupId as string) ?? physical;
      return {
        replicationGroupId: id,
        primaryEndpointAddress: `master.${id}.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${id}.cache.amazonaws.com`,
        port: inputs.port ?? 6379,
      };
    }
    case "aws:ec2/vpnConnection:VpnConnection":
      return {
        tunnel1Address: "198.51.100.10",
        tunnel2Address: "198.51.100.11",
        tunnel1PresharedKey: inputs.tunnel1PresharedKey ?? `mock-psk1-${shortHash(name)}`,
        tunnel2PresharedKey: inputs.tunnel2PresharedKey ?? `mock-psk2-${shortHash(name)}`,
        // Inside /30s: AWS takes .1 and the customer gateway .2; unset, AWS picks them.
        ...Object.fromEntries(
          ["tunnel1", "tunnel2"].flatMap((t, i) => {
            const [a, b, c, d] = String(
              inputs[`${t}InsideCidr`] ??
                `169.254.${(parseInt(shortHash(name), 16) % 200) + 10}.${4 * i}/30`,
            )
              .split("/")[0]
              .split(".")
              .map(Number);
            return [
              [`${t}InsideCidr`, `${a}.${b}.${c}.${d}/30`],
              [`${t}VgwInsideAddress`, `${a}.${b}.${c}.${d + 1}`],
              [`${t}CgwInsideAddress`, `${a}.${b}.${c}.${d + 2}`],
            ];
          }),
        ),
      };
    // Autonamed `name`s that other resources reference (a vault by its plan, a subnet group by its cache).
    // A key's id (a UUID), which aliases reference as their target.
    case "aws:kms/key:Key": {
      const h = [0, 1, 2, 3]
        .map((i) => shortHash(`${name}/${i}`))
        .join("")
        .toLowerCase();
      return {
        keyId: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
      };
    }
    case "aws:backup/vault:Vault":
    case "aws:elasticache/subnetGroup:SubnetGroup":
      return { name: physical };
    case "aws:s3/bucket:Bucket":
      return { bucket: inputs.bucket ?? physical };
    // GCP: what the cluster reports, service account emails, and the names consumers reference.
    default:
      return undefined;
  }
}

const invokes: Record<string, Invoke> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_i, region, settings) => {
    const zones = settings.availabilityZones ?? mockZones(region);
    return { ...zones, groupNames: [region], id: region };
  },
  // An assumed role, as most deployments run (SSO, CI): the backends must turn it into the role ARN.
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT_ID,
    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/officeless-plan/plan-session`,
    userId: "AROAOFFICELESSPLAN:plan-session",
    id: ACCOUNT_ID,
  }),
  "aws:iam/getSessionContext:getSessionContext": (inputs) => {
    const arn = String(inputs.arn);
    const role = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    const issuerArn = role ? `arn:${role[1]}:iam::${role[2]}:role/${role[3]}` : arn;
    return {
      arn,
      issuerArn,
      issuerId: role ? "AROAOFFICELESSPLAN" : "",
      issuerName: role ? role[3] : "",
      sessionName: role ? role[4] : "",
      id: arn,
    };
  },
  // EKS's default add-on version for a Kubernetes minor (the shape describe-addon-versions gives).
  "aws:eks/getAddonVersion:getAddonVersion": (inputs, region) => {
    const minor = String(inputs.kubernetesVersion).split(".")[1] ?? "0";
    return {
      addonName: inputs.addonName,
      kubernetesVersion: inputs.kubernetesVersion,
      mostRecent: inputs.mostRecent ?? false,
      region,
      version: `v1.${minor}.0-eksbuild.1`,
      id: `${inputs.addonName}:${inputs.kubernetesVersion}`,
    };
  },
  // An existing role (bootstrap's `--role`), as IAM reports it.
  "aws:iam/getRole:getRole": (inputs) => ({
    name: inputs.name,
    arn: `arn:aws:iam::${ACCOUNT_ID}:role/${inputs.name}`,
    id: inputs.name,
  }),
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
  }),
  "aws:index/getRegion:getRegion": (_i, region) => ({ name: region, region, id: region }),
};

export const AWS_MOCKS: CloudMocks = { prefix: "aws:", outputs, invokes };
