/**
 * The on-prem VPN layer: a site-to-site IPsec (IKEv2) gateway outside the cluster, so a node
 * restart never drops the tunnels and no pod needs hostNetwork. For each configured peer (a cloud
 * VPN gateway's tunnel endpoint, another site) it renders strongSwan's swanctl.conf: AES-256-GCM
 * with a SHA-256 PRF, Diffie-Hellman groups 19/15/14 (14 is the floor), PFS on the child SAs,
 * dead-peer detection, the site network against the peer's CIDRs, and a pre-shared key (the
 * configured one, else a generated one). The file is a secret stack output (`gatewayConfig`); with
 * `onprem.vpn.gatewayHost` the layer also installs strongSwan there over SSH and loads it.
 *
 * Routing is policy-based (traffic selectors): the gateway runs no BGP daemon, so peers with a
 * `bgpAsn` are refused by the catalog. AWS Site-to-Site VPN (static routes) and Azure VPN Gateway
 * accept these proposals (AES-256-GCM, DH 14+); GCP HA VPN routes only with BGP, so it cannot peer
 * with this gateway (docs/clouds/onprem.md).
 */
import * as remote from "@pulumi/command/remote";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { VpnArgs, VpnConnectionInfo, VpnOutputs } from "../../components/vpn";
import type { Scope } from "../../components/types";
export { ESP_PROPOSALS, IKE_PROPOSALS, renderSwanctl } from "../../components/swanctl";
export type { SwanctlPeer } from "../../components/swanctl";
import {
  renderSwanctl,
  SWANCTL_DEBIAN_PACKAGES,
  SWANCTL_UNIT_SELECT,
} from "../../components/swanctl";
import { AS_ROOT, onpremOf, REMOTE_COMMAND_DEFAULTS, sshConnection } from "./common";

/**
 * Where the gateway host keeps the platform's connections, under swanctl's directory: Debian and
 * Ubuntu build strongSwan with /etc/swanctl, Fedora/EPEL (RHEL family) with
 * /etc/strongswan/swanctl, and swanctl reads only its own.
 */
export const SWANCTL_DIRS = ["/etc/strongswan/swanctl", "/etc/swanctl"] as const;
export const SWANCTL_CONF = "conf.d/officeless.conf";

/**
 * Installs strongSwan's swanctl (Debian/Ubuntu or RHEL-family), writes stdin to SWANCTL_CONF under
 * the host's swanctl directory,
 * turns on forwarding and loads the connections. Idempotent: an unchanged file is only reloaded.
 */
export function swanctlInstallScript(): string {
  return [
    "set -eu",
    AS_ROOT,
    "umask 077",
    'tmp="$(mktemp)"',
    "trap 'rm -f \"$tmp\"' EXIT",
    'cat > "$tmp"',
    // swanctl sits in /usr/sbin, off a non-root PATH on Debian: look there too.
    "if ! { command -v swanctl || [ -x /usr/sbin/swanctl ]; } >/dev/null 2>&1; then",
    "  if command -v apt-get >/dev/null 2>&1; then",
    "    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q",
    `    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${SWANCTL_DEBIAN_PACKAGES.join(" ")}`,
    "  elif command -v dnf >/dev/null 2>&1; then",
    "    $SUDO dnf install -y strongswan",
    "  else",
    '    echo "install strongSwan (swanctl) on this host first" >&2; exit 1',
    "  fi",
    "fi",
    `dir=${SWANCTL_DIRS[1]}; if [ -d ${SWANCTL_DIRS[0]} ]; then dir=${SWANCTL_DIRS[0]}; fi`,
    `file="$dir/${SWANCTL_CONF}"`,
    '$SUDO mkdir -p "$(dirname "$file")"',
    'if ! $SUDO cmp -s "$tmp" "$file"; then $SUDO install -m 0600 -o root -g root "$tmp" "$file"; fi',
    // The gateway routes between the site network and the peers.
    "echo 'net.ipv4.ip_forward = 1' | $SUDO tee /etc/sysctl.d/90-officeless-vpn.conf >/dev/null",
    "$SUDO sysctl -q -p /etc/sysctl.d/90-officeless-vpn.conf",
    SWANCTL_UNIT_SELECT,
    '$SUDO systemctl enable --now "$unit"',
    "$SUDO swanctl --load-all --noprompt",
    // A file in a directory swanctl does not read loads nothing and reports success: check.
    'if [ -s "$file" ] && ! $SUDO swanctl --list-conns | grep -q .; then echo "swanctl loaded no connection from $file" >&2; exit 1; fi',
  ].join("\n");
}

export function onpremVpn(scope: Scope, args: VpnArgs): VpnOutputs {
  const onprem = onpremOf(args);
  const opts = { parent: scope.parent };
  const site = onprem.vpn.localPublicIp!;
  const keys: Record<string, pulumi.Output<string>> = {};
  for (const peer of args.vpn.peers) {
    // AWS's rule for tunnel keys (the peer may be an AWS VPN): letters and digits, not starting with 0.
    keys[peer.name] =
      peer.preSharedKey ??
      new random.RandomPassword(
        `${scope.name}-${peer.name}-psk`,
        { length: 47, special: false },
        opts,
      ).result.apply((k) => `k${k}`);
  }
  const gatewayConfig = pulumi.secret(
    pulumi.all([args.network.cidr, pulumi.all(keys)]).apply(([cidr, psks]) =>
      renderSwanctl(
        { publicIp: site, cidrs: [cidr] },
        args.vpn.peers.map((p) => ({
          name: p.name,
          publicIp: p.publicIp,
          cidrs: p.cidrs,
          preSharedKey: psks[p.name],
        })),
      ),
    ),
  );
  const host = onprem.vpn.gatewayHost;
  if (host) {
    new remote.Command(
      `${scope.name}-strongswan`,
      {
        ...REMOTE_COMMAND_DEFAULTS,
        connection: sshConnection(onprem.ssh!, host),
        create: swanctlInstallScript(),
        update: swanctlInstallScript(),
        // No delete: an SSH key or port change replaces this command (create-before-delete), and
        // a delete removing the file would tear the tunnels down right after the new create.
        // Retiring the gateway is a documented step (docs/clouds/onprem.md).
        stdin: gatewayConfig,
      },
      opts,
    );
  }
  const connections: VpnConnectionInfo[] = args.vpn.peers.map((peer) => ({
    peer: peer.name,
    connectionId: `${scope.name}-${peer.name}`,
    // What the peer dials: the site's public address (NAT to the gateway host is the site's).
    tunnelAddresses: [site],
  }));
  return {
    gatewayId: pulumi.output(`onprem:strongswan:${host?.address ?? "rendered"}`),
    connections: pulumi.output(connections),
    tunnelPreSharedKeys: pulumi.secret(
      pulumi
        .all(keys)
        .apply((psks) => Object.fromEntries(Object.entries(psks).map(([peer, k]) => [peer, [k]]))),
    ),
    gatewayConfig,
  };
}
