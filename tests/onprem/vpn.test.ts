/**
 * The on-prem VPN: strongSwan swanctl.conf per peer (AES-256-GCM, SHA-256 PRF, DH 14+, PFS), the
 * pre-shared keys secret (given or generated), the file a secret output, installed over SSH only
 * when a gateway host is configured.
 */
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../../components/network";
import { Vpn } from "../../components/vpn";
import {
  ESP_PROPOSALS,
  IKE_PROPOSALS,
  renderSwanctl,
  swanctlInstallScript,
} from "../../providers/onprem/vpn";
import { parseConfig } from "../../programs/config";
import { isSecret, mockPulumi, one, settle, valueOf } from "../harness";
import { edit, onpremArgs, parsed, prodOnpremRaw, Raw } from "./fixtures";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleHostKeyOnlyForTests0123456789ab";

function vpnRaw(gateway: boolean): Raw {
  return edit((r) => {
    r.vpn = {
      enabled: true,
      peers: [
        { name: "aws-t1", publicIp: "198.51.100.7", cidrs: ["172.16.0.0/16"] },
        {
          name: "office",
          publicIp: "198.51.100.20",
          cidrs: ["192.168.10.0/24", "192.168.11.0/24"],
        },
      ],
    };
    r.onprem.vpn = {
      localPublicIp: "203.0.113.10",
      ...(gateway ? { gatewayHost: { address: "10.30.1.5", hostKey: HOST_KEY } } : {}),
    };
    if (gateway) r.onprem.ssh = { user: "ops", privateKey: "key" };
  }, prodOnpremRaw);
}

async function build(raw: Raw, secretKeys = new Set(["onprem"])) {
  const mocks = await mockPulumi();
  const config = parseConfig(raw, { secretKeys });
  const network = new Network(`${config.name}-network`, {
    ...onpremArgs(config),
    zones: config.zones,
    network: config.network,
  }).outputs;
  const vpn = new Vpn(`${config.name}-vpn`, {
    ...onpremArgs(config),
    zones: config.zones,
    vpn: config.vpn,
    network,
  });
  await valueOf(vpn.outputs.tunnelPreSharedKeys);
  await settle();
  return { mocks, vpn, n: `${config.name}-vpn` };
}

describe("onprem vpn", () => {
  it("renders swanctl.conf with AES-256-GCM, a SHA-256 PRF and DH groups 14 and up, per peer", () => {
    const text = renderSwanctl({ publicIp: "203.0.113.10", cidrs: ["10.30.0.0/16"] }, [
      {
        name: "office",
        publicIp: "198.51.100.20",
        cidrs: ["192.168.10.0/24", "192.168.11.0/24"],
        preSharedKey: 'k"ey',
      },
    ]);
    expect(IKE_PROPOSALS).toBe("aes256gcm16-prfsha256-ecp256-modp3072-modp2048");
    expect(ESP_PROPOSALS).toBe("aes256gcm16-ecp256-modp3072-modp2048");
    // No group below 14 (modp1024 = 2, modp1536 = 5) and no SHA-1 or CBC anywhere.
    expect(text).not.toMatch(/modp1024|modp1536|sha1|cbc|3des/);
    for (const line of [
      "  office {",
      "    version = 2",
      "    remote_addrs = 198.51.100.20",
      `    proposals = ${IKE_PROPOSALS}`,
      "      id = 203.0.113.10",
      "      id = 198.51.100.20",
      "        local_ts = 10.30.0.0/16",
      "        remote_ts = 192.168.10.0/24,192.168.11.0/24",
      `        esp_proposals = ${ESP_PROPOSALS}`,
      "        dpd_action = restart",
      "  ike-office {",
      '    secret = "k\\"ey"',
    ])
      expect(text.split("\n")).toContain(line);
  });

  it("exports the rendered file and the keys as secrets, generating a key where none is configured", async () => {
    const raw = vpnRaw(false);
    const { vpn, mocks, n } = await build(raw);
    expect(await isSecret(vpn.outputs.gatewayConfig!)).toBe(true);
    expect(await isSecret(vpn.outputs.tunnelPreSharedKeys)).toBe(true);
    const keys = await valueOf(vpn.outputs.tunnelPreSharedKeys);
    expect(Object.keys(keys)).toEqual(["aws-t1", "office"]);
    expect(keys["aws-t1"][0]).toMatch(/^k/);
    expect(
      mocks
        .byType("random:index/randomPassword:RandomPassword")
        .map((r) => r.name)
        .sort(),
    ).toEqual([`${n}-aws-t1-psk`, `${n}-office-psk`]);
    const text = await valueOf(vpn.outputs.gatewayConfig!);
    expect(text).toContain(`secret = "${keys.office[0]}"`);
    expect(text).toContain("local_ts = 10.30.0.0/16");
    expect(await valueOf(vpn.outputs.connections)).toEqual([
      { peer: "aws-t1", connectionId: `${n}-aws-t1`, tunnelAddresses: ["203.0.113.10"] },
      { peer: "office", connectionId: `${n}-office`, tunnelAddresses: ["203.0.113.10"] },
    ]);
    expect(await valueOf(vpn.outputs.gatewayId)).toBe("onprem:strongswan:rendered");
    // No gateway host: nothing is installed.
    expect(mocks.byType("command:remote:Command")).toEqual([]);
  });

  it("uses a configured pre-shared key instead of generating one", async () => {
    const raw = vpnRaw(false);
    raw.vpn.peers[0].preSharedKey = "configured.key_123";
    const { vpn, mocks } = await build(raw, new Set(["onprem", "vpn"]));
    expect((await valueOf(vpn.outputs.tunnelPreSharedKeys))["aws-t1"]).toEqual([
      "configured.key_123",
    ]);
    expect(mocks.byType("random:index/randomPassword:RandomPassword")).toHaveLength(1);
  });

  it("installs and loads the file on the gateway host over SSH, the file on stdin", async () => {
    const { mocks, n, vpn } = await build(vpnRaw(true));
    const cmd = one(mocks, "command:remote:Command", `${n}-strongswan`);
    expect(cmd.inputs.create).toBe(swanctlInstallScript());
    expect(cmd.inputs.update).toBe(cmd.inputs.create);
    expect(cmd.inputs.create).toContain(
      "apt-get install -y -q strongswan-swanctl charon-systemd libstrongswan-standard-plugins",
    );
    // swanctl's own directory: Fedora/EPEL's /etc/strongswan/swanctl when present, else Debian's.
    expect(cmd.inputs.create).toContain(
      "dir=/etc/swanctl; if [ -d /etc/strongswan/swanctl ]; then dir=/etc/strongswan/swanctl; fi",
    );
    expect(cmd.inputs.create).toContain('file="$dir/conf.d/officeless.conf"');
    // Loading nothing fails the command instead of reporting success.
    expect(cmd.inputs.create).toMatch(/swanctl --list-conns \| grep -q \.; then .* exit 1; fi/);
    expect(cmd.inputs.create).toContain("swanctl --load-all --noprompt");
    expect(cmd.inputs.stdin).toBe("[secret]");
    expect(cmd.inputs.connection).toBe("[secret]");
    expect(cmd.inputs.addPreviousOutputInEnv).toBe(false);
    // A connection change (SSH key rotation) replaces the command create-before-delete: a delete
    // removing the file would drop the tunnels right after the new create.
    expect(cmd.inputs).not.toHaveProperty("delete");
    expect(cmd.inputs).not.toHaveProperty("triggers");
    expect(cmd.options.protect).toBe(false);
    expect(await valueOf(vpn.outputs.gatewayId)).toBe("onprem:strongswan:10.30.1.5");
  });

  it("refuses BGP on peers: the gateway routes statically", () => {
    const raw = vpnRaw(false);
    raw.vpn.peers[0].bgpAsn = 64512;
    expect(() => parsed(raw)).toThrow(
      /officeless:vpn\.peers\[0\]\.bgpAsn = 64512: is not used on-prem: the strongSwan gateway routes the peer's cidrs statically/,
    );
  });

  it("keeps the keys out of the plain output", async () => {
    const { vpn } = await build(vpnRaw(false));
    const connections = JSON.stringify(await valueOf(vpn.outputs.connections));
    const keys = await valueOf(vpn.outputs.tunnelPreSharedKeys);
    expect(connections).not.toContain(keys.office[0]);
    expect(pulumi.Output.isInstance(vpn.outputs.gatewayConfig)).toBe(true);
  });
});
