/**
 * strongSwan's swanctl.conf for a site-to-site IPsec gateway, shared by the on-prem gateway host and
 * the Huawei Cloud gateway VM. The file uses strongswan.conf's settings grammar: one `key = value`
 * per line (a value runs to the end of the line, `;` separates nothing), sections in braces.
 * Proposals: AES-256-GCM with a SHA-256 PRF, DH groups 19/15/14 (14 is the floor), PFS on the
 * child SAs.
 */
/** IKE SA: AES-256-GCM, PRF HMAC-SHA-256, DH ecp256 (19), modp3072 (15), modp2048 (14). */
export const IKE_PROPOSALS = "aes256gcm16-prfsha256-ecp256-modp3072-modp2048";
/** Child SA (ESP) with PFS over the same groups. */
export const ESP_PROPOSALS = "aes256gcm16-ecp256-modp3072-modp2048";
export interface SwanctlPeer {
  readonly name: string;
  readonly publicIp: string;
  readonly cidrs: readonly string[];
  readonly preSharedKey: string;
}

/** strongSwan's quoting: a string in double quotes, backslash and quote escaped. */
function quoted(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** swanctl.conf (strongSwan 5.8+ / 6) for every peer: one connection and one IKE secret each. */
export function renderSwanctl(
  site: { publicIp: string; cidrs: readonly string[] },
  peers: readonly SwanctlPeer[],
): string {
  const lines: string[] = [
    "# Rendered by officeless (components/swanctl.ts); do not edit by hand.",
    "connections {",
  ];
  for (const peer of peers) {
    lines.push(
      `  ${peer.name} {`,
      "    version = 2",
      "    local_addrs = %any",
      `    remote_addrs = ${peer.publicIp}`,
      `    proposals = ${IKE_PROPOSALS}`,
      "    dpd_delay = 10s",
      "    rekey_time = 8h",
      "    local {",
      "      auth = psk",
      `      id = ${site.publicIp}`,
      "    }",
      "    remote {",
      "      auth = psk",
      `      id = ${peer.publicIp}`,
      "    }",
      "    children {",
      `      ${peer.name}-net {`,
      `        local_ts = ${site.cidrs.join(",")}`,
      `        remote_ts = ${peer.cidrs.join(",")}`,
      `        esp_proposals = ${ESP_PROPOSALS}`,
      "        rekey_time = 1h",
      "        start_action = start",
      "        dpd_action = restart",
      "        close_action = start",
      "      }",
      "    }",
      "  }",
    );
  }
  lines.push("}", "secrets {");
  for (const peer of peers) {
    lines.push(
      `  ike-${peer.name} {`,
      `    id-site = ${site.publicIp}`,
      `    id-peer = ${peer.publicIp}`,
      `    secret = ${quoted(peer.preSharedKey)}`,
      "  }",
    );
  }
  lines.push("}", "");
  return lines.join("\n");
}

/**
 * Debian/Ubuntu packages of the swanctl daemon: charon-systemd and the swanctl tool only. Not the
 * `strongswan` metapackage, whose strongswan-starter (the legacy charon) would bind UDP 500/4500 too.
 */
// libstrongswan only Recommends the standard plugins, which hold gcm and openssl: the AES-GCM and
// ECP proposals above need them, and hosts that skip Recommends would match no proposal.
export const SWANCTL_DEBIAN_PACKAGES = [
  "strongswan-swanctl",
  "charon-systemd",
  "libstrongswan-standard-plugins",
] as const;

/** Picks charon-systemd's unit: strongswan.service on current releases, strongswan-swanctl before. */
export const SWANCTL_UNIT_SELECT =
  "if systemctl cat strongswan.service >/dev/null 2>&1; then unit=strongswan; else unit=strongswan-swanctl; fi";
