/**
 * Huawei Cloud VPN: a self-managed IPsec gateway, because pulumi-huaweicloud 0.0.11 maps no VPN
 * resource, and the other way to reach the Terraform provider's (a parameterized
 * `terraform-provider` package) cannot sit beside this plugin: both would be the package
 * `huaweicloud`, which the Pulumi engine refuses before the program runs (pulumi/pulumi#24167;
 * renaming needs the bridge's `--provider-name`, pulumi/pulumi-terraform-bridge#3148). It also
 * keeps to one plugin for users to install.
 *
 * The gateway is one ECS VM running strongSwan (IKEv2, AES-256-GCM, a SHA-256 PRF, DH 19/15/14: the
 * on-prem gateway's swanctl.conf, components/swanctl.ts) in the first
 * public subnet with its own EIP, source/destination check off so it forwards, and a security
 * group that admits IKE and NAT-T (UDP 500, 4500) and ESP from the peers' addresses only, and
 * everything from the VPC and the pod range. Each peer's networks are routed to it in the VPC's
 * route table. Pre-shared keys come from config or are generated, and reach the VM in its user data
 * (a secret in the state). ECS sets user data only at creation (ForceNew), so a day-2 peer or key
 * change must not replace the gateway by itself: `userData` is ignored after creation, the tag
 * `officeless-vpn-config` (updated in place) shows the config the VM should run, and applying a
 * change is `pulumi up --replace <gateway urn>` (docs/clouds/huawei.md). The VM holds no state; a
 * replacement deletes the old one first so the EIP can move. It is a single gateway: a zone or VM
 * failure stops the tunnels until ECS recovers the VM.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cidrLabel } from "../../components/cidr";
import { inputsHash } from "../../components/inputsHash";
import {
  renderSwanctl,
  SWANCTL_DEBIAN_PACKAGES,
  SWANCTL_UNIT_SELECT,
} from "../../components/swanctl";
import { VpnPeerConfig, Scope } from "../../components/types";
import type { VpnArgs, VpnOutputs } from "../../components/vpn";
import * as ecs from "../../sdks/huaweicloud/ecs";
import * as vpc from "../../sdks/huaweicloud/vpc";
import { CCE_CONTAINER_CIDR } from "./catalog";
import { Admit, cutName, denyByDefaultGroup, hwTags } from "./common";
import { elasticIp } from "./network";

/** The gateway VM: 2 vCPUs, 4 GiB (IPsec is CPU-bound), Ubuntu's public image. */
export const GATEWAY_FLAVOR = "c7.large.2";
export const GATEWAY_IMAGE = "Ubuntu 22.04 server 64bit";
/** Where the VM keeps the platform's connections (all peers in one file). */
export const GATEWAY_SWANCTL_FILE = "/etc/swanctl/conf.d/officeless.conf";

interface PeerKey {
  readonly peer: VpnPeerConfig;
  readonly psk: pulumi.Output<string>;
}

/**
 * cloud-init user data: charon-systemd and swanctl only (SWANCTL_DEBIAN_PACKAGES), the rendered
 * swanctl.conf (components/swanctl.ts, the on-prem gateway's renderer), forwarding on.
 */
export function gatewayUserData(swanctlConf: string): string {
  const indent = (text: string) =>
    text
      .split("\n")
      .map((l) => (l ? `      ${l}` : l))
      .join("\n");
  return [
    "#cloud-config",
    "package_update: true",
    `packages: [${SWANCTL_DEBIAN_PACKAGES.join(", ")}]`,
    "write_files:",
    "  - path: /etc/sysctl.d/90-officeless-vpn.conf",
    "    content: |",
    "      net.ipv4.ip_forward = 1",
    "      net.ipv4.conf.all.send_redirects = 0",
    `  - path: ${GATEWAY_SWANCTL_FILE}`,
    '    permissions: "0600"',
    "    content: |",
    indent(swanctlConf.trimEnd()),
    "runcmd:",
    "  - sysctl --system",
    `  - ${SWANCTL_UNIT_SELECT}; systemctl enable --now "$unit"`,
    "  - swanctl --load-all --noprompt",
    "",
  ].join("\n");
}

/**
 * The layout of the user data the gateway is built from. Bumped when the file it writes changes
 * (2: swanctl.conf one setting per line, from components/swanctl.ts), so a VM built from older user
 * data shows a different `officeless-vpn-config` tag and is replaced by `up --replace`.
 */
export const GATEWAY_CONFIG_FORMAT = 2;

/** A short hash of the peers' addresses and networks and the format: what the user data configures. */
export function vpnConfigHash(
  peers: readonly VpnPeerConfig[],
  format: number = GATEWAY_CONFIG_FORMAT,
): string {
  const config = peers.map((p) => ({ name: p.name, publicIp: p.publicIp, cidrs: p.cidrs }));
  return inputsHash(["config"], { config: { format, peers: config } }, 10);
}

export function huaweiVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  const opts = { parent: scope.parent };
  const keys: PeerKey[] = args.vpn.peers.map((peer) => ({
    peer,
    psk: pulumi.secret(
      peer.preSharedKey ??
        new random.RandomPassword(
          `${scope.name}-${peer.name}-psk`,
          { length: 48, special: false },
          opts,
        ).result,
    ),
  }));
  const admit: Admit[] = [
    ...args.vpn.peers.flatMap((peer): Admit[] => [
      { name: `${peer.name}-ike`, protocol: "udp", ports: "500", from: `${peer.publicIp}/32` },
      { name: `${peer.name}-natt`, protocol: "udp", ports: "4500", from: `${peer.publicIp}/32` },
      { name: `${peer.name}-esp`, protocol: "50", from: `${peer.publicIp}/32` },
    ]),
    // Traffic it forwards to the peers: from nodes (VPC) and pods (CCE's routed pod range).
    { name: "vpc", from: args.network.cidr },
    { name: "pods", from: CCE_CONTAINER_CIDR },
  ];
  const group = denyByDefaultGroup(
    scope,
    "gateway",
    `${scope.name}: IPsec gateway, IKE/ESP from the peers, forwarded traffic from the VPC`,
    admit,
    true,
  );
  const eip = elasticIp(scope, "gateway");
  const userData = pulumi
    .all([eip.address, args.network.cidr, pulumi.all(keys.map((k) => k.psk))])
    .apply(([address, cidr, psks]) =>
      gatewayUserData(
        renderSwanctl(
          { publicIp: address, cidrs: [cidr, CCE_CONTAINER_CIDR] },
          keys.map((k, i) => ({ ...k.peer, preSharedKey: psks[i] })),
        ),
      ),
    );
  const gateway = new ecs.Instance(
    `${scope.name}-gateway`,
    {
      name: cutName(`${scope.name}-gateway`, 64),
      flavorName: GATEWAY_FLAVOR,
      imageName: GATEWAY_IMAGE,
      availabilityZone: args.zones[0],
      systemDiskType: "SSD",
      systemDiskSize: 40,
      networks: [
        {
          uuid: args.network.publicSubnetIds.apply((ids) => ids[0]),
          // It forwards traffic that is neither from nor to it.
          sourceDestCheck: false,
        },
      ],
      securityGroupIds: [group.id],
      eipId: eip.id,
      // The EIP is its own resource: keep it when the VM goes.
      deleteEipOnTermination: false,
      userData: pulumi.secret(userData),
      // Which peers and routes the user data was written for (never the keys).
      tags: hwTags(scope.tags, { "officeless-vpn-config": vpnConfigHash(args.vpn.peers) }),
    },
    { ...opts, deleteBeforeReplace: true, ignoreChanges: ["userData"] },
  );
  // Named by CIDR, so editing or reordering a peer's list moves no CIDR onto another route; the
  // destination is ForceNew and unique in the table, so a replacement deletes the old route first.
  // The alias keeps the routes of stacks created with index names (same CIDR at that index).
  const routes = args.vpn.peers.flatMap((peer) =>
    peer.cidrs.map(
      (cidr, i) =>
        new vpc.Route(
          `${scope.name}-${peer.name}-route-${cidrLabel(cidr)}`,
          {
            vpcId: args.network.networkId,
            destination: cidr,
            type: "ecs",
            nexthop: gateway.id,
            description: `to ${peer.name} over IPsec`,
          },
          {
            ...opts,
            deleteBeforeReplace: true,
            aliases: [{ name: `${scope.name}-${peer.name}-route-${i}` }],
          },
        ),
    ),
  );
  const connections = pulumi
    .all([gateway.id, eip.address, pulumi.all(routes.map((r) => r.id))])
    .apply(([id, address]) =>
      args.vpn.peers.map((peer) => ({
        peer: peer.name,
        connectionId: `${id}/${peer.name}`,
        tunnelAddresses: [address],
      })),
    );
  return {
    gatewayId: gateway.id,
    connections,
    tunnelPreSharedKeys: pulumi.secret(
      pulumi
        .all(keys.map((k) => k.psk))
        .apply((psks) => Object.fromEntries(keys.map((k, i) => [k.peer.name, [psks[i]]]))),
    ),
  };
}
