/** Volcengine resources and invokes under the offline mocks (the bindings of sdks/volcengine). */
import { CloudMocks, Invoke, mockPublicIp, shortHash } from "./common";

/** The fake Volcengine account id in mocked TRNs. */
export const MOCK_VOLCENGINE_ACCOUNT = "2100000001";

/** A kubeconfig as VKE returns it (YAML, base64-encoded), with a client certificate user. */
function vkeKubeconfig(name: string, region: string): string {
  const id = shortHash(name).toLowerCase();
  const yaml = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${name}`,
    "  cluster:",
    `    server: https://10.${parseInt(id.slice(0, 2), 16)}.0.10:6443`,
    `    certificate-authority-data: ${Buffer.from(`mock-ca-${name}`).toString("base64")}`,
    "contexts:",
    `- name: ${name}`,
    "  context:",
    `    cluster: ${name}`,
    "    user: admin",
    `current-context: ${name}`,
    "users:",
    "- name: admin",
    "  user:",
    `    client-certificate-data: ${Buffer.from(`mock-cert-${region}`).toString("base64")}`,
    `    client-key-data: ${Buffer.from("mock-key").toString("base64")}`,
  ].join("\n");
  return Buffer.from(yaml).toString("base64");
}

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> | undefined {
  const id = shortHash(name).toLowerCase();
  switch (type) {
    case "volcengine:vpc/vpc:Vpc":
      return { routeTableIds: [`vtb-${id}`], vpcId: `vpc-${id}` };
    case "volcengine:vpc/subnet:Subnet": {
      // A read (`Subnet.get`) reports the CIDR the network layer gave the subnet of that zone.
      const zone = Number(/-(\d+)-read$/.exec(name)?.[1] ?? 0);
      return inputs.cidrBlock ? undefined : { cidrBlock: `10.0.${zone * 32}.0/19` };
    }
    case "volcengine:eip/address:Address":
      return { eipAddress: mockPublicIp(name) };
    case "volcengine:vpn/gateway:Gateway":
      return { ipAddress: mockPublicIp(name) };
    case "volcengine:vke/cluster:Cluster":
      return {
        kubernetesVersion: `v${inputs.kubernetesVersion ?? "1.36"}.2-vke.1`,
        // A new cluster lists no kubeconfig (VKE makes none); a read (`Cluster.get`, no inputs),
        // done after the kubernetes layer created one, lists it.
        kubeconfigPrivate: inputs.clusterConfig
          ? ""
          : vkeKubeconfig(name.replace(/-read$/, ""), region),
        kubeconfigPublic: "",
        // A read reports the cluster's subnets (the network's private ones).
        ...(inputs.clusterConfig ? {} : { clusterConfig: { subnetIds: [`subnet-${id}`] } }),
        irsaConfigs: [{ issuer: `https://oidc-vke-${region}.volces.com/${id}` }],
      };
    case "volcengine:kms/keyring:Keyring":
      return { trn: `trn:kms:${region}:${MOCK_VOLCENGINE_ACCOUNT}:keyrings/${inputs.keyringName}` };
    case "volcengine:kms/key:Key":
      return {
        trn: `trn:kms:${region}:${MOCK_VOLCENGINE_ACCOUNT}:keyrings/${inputs.keyringName}/keys/${inputs.keyName}`,
      };
    case "volcengine:nas/permissionGroup:PermissionGroup":
      return { permissionGroupId: `pgroup-${id}` };
    case "volcengine:nas/mountPoint:MountPoint":
      return { mountPointId: `mount-${id}` };
    case "volcengine:redis/allowList:AllowList":
      return { allowListId: `acl-${id}` };
    case "volcengine:iam/user:User":
      return { trn: `trn:iam::${MOCK_VOLCENGINE_ACCOUNT}:user/${inputs.userName}` };
    case "volcengine:iam/accessKey:AccessKey":
      return { secret: `mock-${id}-secret-access-key` };
    case "volcengine:tos/bucket:Bucket":
      return {
        intranetEndpoint: `tos-${region}.ivolces.com`,
        extranetEndpoint: `tos-${region}.volces.com`,
      };
    default:
      return undefined;
  }
}

/** The service roles of a prepared account (IAM ListRoles by RoleName, comma separated). */
export const volcengineInvokes: Record<string, Invoke> = {
  "volcengine:iam/roles:Roles": (inputs) => {
    const names = String(inputs.roleName ?? "")
      .split(",")
      .filter(Boolean);
    return {
      roles: names.map((roleName) => ({
        roleName,
        trn: `trn:iam::${MOCK_VOLCENGINE_ACCOUNT}:role/${roleName}`,
      })),
      totalCount: names.length,
    };
  },
};

export const VOLCENGINE_MOCKS: CloudMocks = {
  prefix: "volcengine:",
  outputs,
  invokes: volcengineInvokes,
};
