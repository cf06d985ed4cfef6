/**
 * The config boundary: example stacks parse, defaults resolve as documented, every bad config is
 * reported with its full `officeless:` key, all problems at once, and secrets never leak.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { Network } from "../components/network";
import { PlatformConfig } from "../components/types";
import { ValidationError } from "../components/validation";
import {
  CONFIG_KEYS,
  DEFAULTS,
  MAX_NAME_LENGTH,
  OFFLINE_SECRET_PLACEHOLDER,
  REQUIRED_KEYS,
  loadConfig,
  parseConfig,
  readStackFile,
  stackFilePath,
} from "../programs/config";
import * as schema from "../programs/configSchema";
import { plannedClouds, supportedClouds } from "../providers/registry";
import { isSecret, mockPulumi, settle, valueOf } from "./harness";

const root = path.resolve(__dirname, "..");
/** An Azure cluster admin in the required format; Azure configs need at least one. */
const AZURE_ADMIN = "servicePrincipal:66666666-7777-4888-9999-aaaaaaaaaaaa";

type Raw = Record<string, any>;

/** A valid prod config as plain JSON, the way a stack file gives it (a fresh copy each call). */
function prodRaw(): Raw {
  return {
    cloud: "aws",
    environment: "prod",
    region: "eu-west-1",
    zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    network: { cidr: "10.20.0.0/16", natGateways: "perZone" },
    kubernetes: {
      version: "1.36",
      nodePools: [
        { name: "general", instanceTypes: ["m6i.xlarge"], minSize: 1, maxSize: 6, desiredSize: 2 },
        {
          name: "spot",
          instanceTypes: ["m6i.xlarge", "m5.xlarge"],
          minSize: 0,
          maxSize: 10,
          spot: true,
          taints: [{ key: "capacity", value: "spot", effect: "NoSchedule" }],
        },
      ],
      endpoint: { privateAccessCidrs: ["192.168.0.0/16"] },
    },
    vpn: {
      enabled: true,
      peers: [{ name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"] }],
    },
    cache: { highAvailability: true },
    tags: { team: "platform" },
  };
}

/** The smallest valid dev config: everything else comes from the defaults. */
function minimalRaw(environment: "dev" | "prod" = "dev"): Raw {
  return {
    cloud: "aws",
    environment,
    region: "us-east-1",
    zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    network: { cidr: "10.0.0.0/16" },
    kubernetes: {
      nodePools: [{ name: "general", instanceTypes: ["m6i.large"], minSize: 2, maxSize: 4 }],
    },
  };
}

/** The error message of a config that must be rejected. */
function problems(raw: Raw, options?: Parameters<typeof parseConfig>[1]): ValidationError {
  try {
    parseConfig(raw, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error("expected the config to be rejected");
}

function edit(change: (raw: Raw) => void, base: () => Raw = prodRaw): Raw {
  const raw = base();
  change(raw);
  return raw;
}

describe("example stack files", () => {
  it("parses Pulumi.dev-aws.yaml", () => {
    const { raw, secretKeys } = readStackFile(path.join(root, "Pulumi.dev-aws.yaml"));
    const config = parseConfig(raw, { secretKeys, stack: "dev-aws" });
    expect(config.environment).toBe("dev");
    expect(config.zones.length).toBeGreaterThanOrEqual(2);
    expect(config.zones.length).toBeLessThanOrEqual(3);
    expect(config.network.natGateways).toBe("single");
    expect(config.vpn.enabled).toBe(false);
    expect(config.cache.highAvailability).toBe(false);
    expect(raw).not.toHaveProperty("aws:region");
  });

  it("parses Pulumi.prod-aws.yaml: perZone NAT, on-demand + tainted spot pool, VPN without a key, HA cache", () => {
    const { raw, secretKeys } = readStackFile(path.join(root, "Pulumi.prod-aws.yaml"));
    const config = parseConfig(raw, { secretKeys, stack: "prod-aws" });
    expect(config.environment).toBe("prod");
    expect(["eu-west-1", "us-east-1"]).toContain(config.region);
    expect(config.zones).toHaveLength(3);
    expect(config.network.natGateways).toBe("perZone");
    const [general, spot] = config.kubernetes.nodePools;
    expect(general.spot).toBe(false);
    expect(spot.spot).toBe(true);
    expect(spot.taints).toEqual([{ key: "capacity", value: "spot", effect: "NoSchedule" }]);
    expect(config.vpn.enabled).toBe(true);
    expect(config.vpn.peers).toHaveLength(1);
    expect(config.vpn.peers[0].preSharedKey).toBeUndefined();
    expect(config.cache.highAvailability).toBe(true);
    expect(config.observability.enabled).toBe(true);
    expect(config.backup.enabled).toBe(true);
    expect(Object.keys(config.tags).length).toBeGreaterThan(0);
    expect(secretKeys.size).toBe(0);
  });

  it.each(["dev-azure", "prod-azure"])(
    "parses Pulumi.%s.yaml with placeholder admins to replace",
    (stack) => {
      const { raw, secretKeys } = readStackFile(path.join(root, `Pulumi.${stack}.yaml`));
      const config = parseConfig(raw, { secretKeys, stack });
      expect(config.cloud).toBe("azure");
      expect(config.kubernetes.adminPrincipals).toContain(
        "servicePrincipal:00000000-0000-0000-0000-000000000000",
      );
      // The file tells users to replace them.
      expect(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")).toMatch(
        /REPLACE the/i,
      );
    },
  );

  it("parses Pulumi.prod-gcp.yaml with the DNS endpoint off, and shows how to turn it on", () => {
    const file = path.join(root, "Pulumi.prod-gcp.yaml");
    const { raw, secretKeys } = readStackFile(file);
    expect(parseConfig(raw, { secretKeys, stack: "prod-gcp" }).kubernetes.endpoint.dnsAccess).toBe(
      false,
    );
    expect(fs.readFileSync(file, "utf8")).toContain(
      "pulumi config set --stack prod-gcp --path 'officeless:kubernetes.endpoint.dnsAccess' true",
    );
  });
});

describe("defaults", () => {
  it("resolves every documented default for dev", () => {
    const config = parseConfig(minimalRaw("dev"));
    expect(config.name).toBe("officeless-dev");
    expect(config.network).toEqual({
      cidr: "10.0.0.0/16",
      publicSubnetPrefix: 24,
      privateSubnetPrefix: 19,
      databaseSubnetPrefix: 24,
      natGateways: "single",
      flowLogRetentionDays: 14,
      webhookPorts: [8443, 9443, 15017],
    });
    expect(config.kubernetes.version).toBe("1.36");
    expect(config.kubernetes.nodePools[0]).toEqual({
      name: "general",
      instanceTypes: ["m6i.large"],
      minSize: 2,
      maxSize: 4,
      desiredSize: 2,
      spot: false,
      diskSizeGb: 100,
      labels: {},
      taints: [],
    });
    expect(config.kubernetes.endpoint).toEqual({
      publicAccessCidrs: [],
      privateAccessCidrs: [],
      dnsAccess: false,
    });
    expect(config.kubernetes.logRetentionDays).toBe(90);
    expect(config.kubernetes.maintenanceWindow).toEqual({
      startTime: "03:00",
      durationHours: 4,
      days: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    });
    expect(config.kubernetes.adminPrincipals).toEqual([]);
    expect(config.storage).toEqual({
      block: { defaultClass: true },
      file: { enabled: true },
      object: {
        lifecycle: {
          transitionToInfrequentAccessDays: 30,
          noncurrentVersionExpirationDays: 90,
          abortIncompleteMultipartUploadDays: 7,
        },
        accessLogging: true,
        replication: { enabled: false },
      },
    });
    expect(config.vpn).toEqual({ enabled: false, peers: [] });
    expect(config.cache).toEqual({
      enabled: true,
      engine: "valkey",
      size: "small",
      replicas: 0,
      highAvailability: false,
    });
    expect(config.observability).toEqual({ enabled: true, retentionDays: 30 });
    expect(config.backup).toEqual({
      enabled: true,
      retentionDays: 35,
      schedule: "cron(0 3 * * ? *)",
      crossRegionCopy: { enabled: false },
    });
    expect(config.tags).toEqual({});
    expect(config.stackReference).toEqual({});
    expect(config).not.toHaveProperty("layer");
  });

  it("resolves the prod defaults differently: NAT per zone, longer flow logs, replicated HA cache", () => {
    const config = parseConfig(minimalRaw("prod"));
    expect(config.name).toBe("officeless-prod");
    expect(config.network.natGateways).toBe("perZone");
    expect(config.network.flowLogRetentionDays).toBe(90);
    expect(config.cache.replicas).toBe(2);
    expect(config.cache.highAvailability).toBe(true);
    expect(DEFAULTS.network.natGateways("staging")).toBe("single");
  });

  it("copies buckets and recovery points to another region in prod by default, and lets either be turned off", () => {
    const prod = parseConfig(minimalRaw("prod"));
    expect(prod.storage.object.replication).toEqual({ enabled: true });
    expect(prod.backup.crossRegionCopy).toEqual({ enabled: true });
    expect(prod.storage.object.accessLogging).toBe(true);
    const off = parseConfig({
      ...minimalRaw("prod"),
      storage: { object: { accessLogging: false, replication: { enabled: false } } },
      backup: { crossRegionCopy: { enabled: "false" } },
    });
    expect(off.storage.object.accessLogging).toBe(false);
    expect(off.storage.object.replication.enabled).toBe(false);
    expect(off.backup.crossRegionCopy.enabled).toBe(false);
    const chosen = parseConfig({
      ...minimalRaw("dev"),
      storage: { object: { replication: { enabled: true, region: "us-east-2" } } },
    });
    expect(chosen.storage.object.replication).toEqual({ enabled: true, region: "us-east-2" });
  });

  it("refuses copy regions AWS cannot use, naming the key, the value and the fix", () => {
    // No partner of the same jurisdiction that every account has: the user must choose.
    const canada = {
      ...minimalRaw("prod"),
      region: "ca-central-1",
      zones: ["ca-central-1a", "ca-central-1b", "ca-central-1d"],
    };
    const message = problems(canada).message;
    expect(message).toContain(
      "officeless:storage.object.replication.region: has no default for ca-central-1",
    );
    expect(message).toContain(
      "officeless:backup.crossRegionCopy.region: has no default for ca-central-1",
    );
    expect(message).toContain(
      "pulumi config set --path 'officeless:storage.object.replication.region' <region>",
    );
    expect(() =>
      parseConfig({
        ...canada,
        storage: { object: { replication: { region: "ca-west-1" } } },
        backup: { crossRegionCopy: { enabled: false } },
      }),
    ).not.toThrow();
    expect(
      problems({
        ...minimalRaw("prod"),
        storage: { object: { replication: { region: "us-east-1" } } },
      }).message,
    ).toContain(
      'officeless:storage.object.replication.region = "us-east-1": is the stack\'s own region',
    );
    expect(
      problems({ ...minimalRaw("prod"), backup: { crossRegionCopy: { region: "us-mars-1" } } })
        .message,
    ).toContain('officeless:backup.crossRegionCopy.region = "us-mars-1": is not an AWS region');
    expect(
      problems({ ...minimalRaw(), storage: { object: { replication: { region: "Frankfurt" } } } })
        .message,
    ).toContain(
      'officeless:storage.object.replication.region = "Frankfurt": must be a region name',
    );
    // Off means no region is needed.
    expect(() =>
      parseConfig({
        ...canada,
        storage: { object: { replication: { enabled: false } } },
        backup: { crossRegionCopy: { enabled: false } },
      }),
    ).not.toThrow();
  });

  it("writes the default backup schedule in the chosen cloud's syntax, and runs that cloud's rules", () => {
    const azure = {
      ...minimalRaw(),
      cloud: "azure",
      region: "westeurope",
      zones: ["1", "2", "3"],
      kubernetes: {
        nodePools: [
          { name: "general", instanceTypes: ["Standard_D4s_v5"], minSize: 1, maxSize: 3 },
        ],
        adminPrincipals: [AZURE_ADMIN],
      },
    };
    expect(parseConfig(azure).backup.schedule).toBe("R/2025-01-01T03:00:00+00:00/P1D");
    expect(parseConfig(minimalRaw()).backup.schedule).toBe("cron(0 3 * * ? *)");
    // An AWS cron expression is Azure's problem only, and its rules say so with the full key.
    expect(problems({ ...azure, backup: { schedule: "cron(0 3 * * ? *)" } }).message).toContain(
      'officeless:backup.schedule = "cron(0 3 * * ? *)": must be an ISO 8601 repeating interval',
    );
  });

  it("keeps explicit values over defaults, and reads Pulumi.yaml's empty defaults as unset", () => {
    const config = parseConfig({
      ...minimalRaw(),
      name: "",
      layer: "",
      storage: {},
      network: { cidr: "10.0.0.0/16", publicSubnetPrefix: "26", natGateways: "perZone" },
      cache: { replicas: 1, highAvailability: "true" },
    });
    expect(config.name).toBe("officeless-dev");
    expect(config).not.toHaveProperty("layer");
    expect(config.network.publicSubnetPrefix).toBe(26);
    expect(config.network.natGateways).toBe("perZone");
    expect(config.cache).toMatchObject({ replicas: 1, highAvailability: true });
    expect(parseConfig({ ...minimalRaw(), name: "acme-dev", layer: "network" })).toMatchObject({
      name: "acme-dev",
      layer: "network",
    });
  });
});

/** Each row: one thing wrong, and the fragments (full key, value, what is allowed) the error must contain. */
const BAD: [string, Raw, string[], { secretKeys?: ReadonlySet<string> }?][] = [
  [
    "no default StorageClass while observability needs one",
    edit((r) => (r.storage = { block: { defaultClass: false } })),
    [
      "officeless:storage.block.defaultClass = false: observability is on and its volumes use the default StorageClass",
    ],
  ],
  [
    "host bits in the CIDR",
    edit((r) => (r.network.cidr = "10.20.0.1/16")),
    ['officeless:network.cidr = "10.20.0.1/16": must be an IPv4 CIDR with zero host bits'],
  ],
  [
    "a network too small for its subnets",
    edit((r) => (r.network.cidr = "10.20.0.0/18")),
    ['officeless:network.cidr = "10.20.0.0/18": is too small for the subnets', "need"],
  ],
  [
    "a network outside the /16-/24 range",
    edit((r) => (r.network.cidr = "10.0.0.0/8")),
    ['officeless:network.cidr = "10.0.0.0/8": prefix must be between /16 and /24'],
  ],
  [
    "a VPN peer network overlapping the platform network",
    edit((r) => (r.vpn.peers[0].cidrs = ["10.20.128.0/20"])),
    [
      'officeless:vpn.peers[0].cidrs[0] = "10.20.128.0/20": overlaps the platform network 10.20.0.0/16',
    ],
  ],
  [
    "two VPN peers with overlapping networks",
    edit((r) =>
      r.vpn.peers.push({ name: "branch", publicIp: "203.0.113.9", cidrs: ["192.168.10.0/24"] }),
    ),
    [
      'officeless:vpn.peers[1].cidrs[0] = "192.168.10.0/24": overlaps 192.168.0.0/16 of peer "office"',
    ],
  ],
  [
    "minSize above maxSize",
    edit((r) => Object.assign(r.kubernetes.nodePools[1], { minSize: 5, maxSize: 2 })),
    ["officeless:kubernetes.nodePools[1].minSize = 5: must be <= maxSize (2)"],
  ],
  [
    "desiredSize outside min..max",
    edit((r) => (r.kubernetes.nodePools[0].desiredSize = 9)),
    [
      "officeless:kubernetes.nodePools[0].desiredSize = 9: must be between minSize (1) and maxSize (6)",
    ],
  ],
  [
    "fewer than 3 zones in prod",
    edit((r) => (r.zones = ["eu-west-1a", "eu-west-1b"])),
    ['officeless:zones = ["eu-west-1a","eu-west-1b"]: prod needs at least 3 zones, got 2'],
  ],
  [
    "a zone of another region",
    edit((r) => (r.zones[2] = "eu-west-2c")),
    [
      'officeless:zones[2] = "eu-west-2c": is not a zone of eu-west-1; valid: eu-west-1a, eu-west-1b, eu-west-1c',
    ],
  ],
  [
    "a region not in the catalog",
    edit((r) => (r.region = "eu-west-9")),
    [
      'officeless:region = "eu-west-9": is not a region of aws; valid: eu-west-1, eu-west-2, eu-west-3',
    ],
  ],
  [
    "an unknown cloud",
    edit((r) => (r.cloud = "digitalocean")),
    [
      `officeless:cloud = "digitalocean": is not a known cloud; supported: ${supportedClouds().join(", ")}`,
    ],
  ],
  // While any cloud is still planned (every target has a backend once OCI and Alibaba landed).
  ...(plannedClouds().length > 0
    ? ([
        [
          "a planned cloud",
          edit((r) => (r.cloud = plannedClouds()[0])),
          [
            `officeless:cloud = "${plannedClouds()[0]}": is not supported yet; supported: ${supportedClouds().join(", ")}; planned: ${plannedClouds().join(", ")}`,
          ],
        ],
      ] as [string, Raw, string[]][])
    : []),
  [
    "a typo in a top-level key",
    edit((r) => (r.netwrok = { cidr: "10.0.0.0/16" })),
    ['officeless:netwrok = {"cidr":"10.0.0.0/16"}: is not a known key; did you mean "network"?'],
  ],
  [
    "a typo in a nested key",
    edit((r) => {
      r.kubernetes.nodepools = r.kubernetes.nodePools;
      delete r.kubernetes.nodePools;
    }),
    [
      "officeless:kubernetes.nodepools = [",
      'is not a known key; did you mean "nodePools"?',
      "officeless:kubernetes.nodePools: is required (a list)",
    ],
  ],
  [
    "a single NAT gateway in prod",
    edit((r) => (r.network.natGateways = "single")),
    ['officeless:network.natGateways = "single": prod needs perZone'],
  ],
  [
    "a public API endpoint open to the internet",
    edit((r) => (r.kubernetes.endpoint.publicAccessCidrs = ["0.0.0.0/0"])),
    [
      'officeless:kubernetes.endpoint.publicAccessCidrs[0] = "0.0.0.0/0": opening the API to the whole internet is not allowed',
    ],
  ],
  [
    "a private access CIDR inside the network",
    edit((r) => (r.kubernetes.endpoint.privateAccessCidrs = ["10.20.5.0/24"])),
    [
      'officeless:kubernetes.endpoint.privateAccessCidrs[0] = "10.20.5.0/24": is inside the network 10.20.0.0/16',
    ],
  ],
  [
    "duplicate node pool names",
    edit((r) => (r.kubernetes.nodePools[1].name = "general")),
    ['officeless:kubernetes.nodePools[1].name = "general": node pool names must be unique'],
  ],
  [
    "only spot pools in prod",
    edit((r) => (r.kubernetes.nodePools[0].spot = true)),
    [
      'officeless:kubernetes.nodePools = ["general","spot"]: prod needs at least one on-demand (spot: false) pool',
    ],
  ],
  [
    "an unknown cache engine",
    edit((r) => (r.cache.engine = "memcached")),
    ['officeless:cache.engine = "memcached": must be one of: valkey, redis'],
  ],
  [
    "a single-zone cache in prod",
    edit((r) => (r.cache.highAvailability = false)),
    ["officeless:cache.highAvailability = false: prod needs a multi-zone cache"],
  ],
  [
    "an unknown environment",
    edit((r) => (r.environment = "production")),
    ['officeless:environment = "production": must be one of: dev, staging, prod'],
  ],
  [
    "a pre-shared key in a plain (non-secret) key",
    edit((r) => (r.vpn.peers[0].preSharedKey = "Office.Tunnel_Key1")),
    [
      "officeless:vpn.peers[0].preSharedKey: must be stored as a secret: pulumi config set --secret --path 'officeless:vpn.peers[0].preSharedKey'",
    ],
  ],
  [
    "a pre-shared key AWS would refuse",
    edit((r) => (r.vpn.peers[0].preSharedKey = "0ffice-key!")),
    [
      "officeless:vpn.peers[0].preSharedKey: must be 8-64 characters of letters, digits, . and _, and must not start with 0",
    ],
    { secretKeys: new Set(["vpn"]) },
  ],
  [
    "a reserved tag key",
    edit((r) => (r.tags["managed-by"] = "me")),
    ['officeless:tags.managed-by = "me": "managed-by" is set by the platform'],
  ],
  [
    "an unknown layer",
    edit((r) => (r.layer = "database")),
    [
      'officeless:layer = "database": must be one of: network, kubernetes, storage, vpn, addons, cache, observability',
    ],
  ],
  [
    "a malformed Kubernetes version",
    edit((r) => (r.kubernetes.version = "v1.33")),
    ['officeless:kubernetes.version = "v1.33": must be a minor version like "1.36"'],
  ],
  [
    "a Kubernetes version outside the window",
    edit((r) => (r.kubernetes.version = "1.29")),
    ['officeless:kubernetes.version = "1.29": is outside the supported window 1.35-1.36'],
  ],
  [
    "an invalid peer IP",
    edit((r) => (r.vpn.peers[0].publicIp = "198.51.100.300")),
    ['officeless:vpn.peers[0].publicIp = "198.51.100.300": must be an IPv4 address'],
  ],
  [
    "a private peer IP",
    edit((r) => (r.vpn.peers[0].publicIp = "10.1.2.3")),
    ['officeless:vpn.peers[0].publicIp = "10.1.2.3": must be the peer device\'s public'],
  ],
  [
    "a negative retention",
    edit((r) => (r.observability = { retentionDays: -5 })),
    ["officeless:observability.retentionDays = -5: must be at least 1"],
  ],
  [
    "a missing required key",
    edit((r) => delete r.region),
    ["officeless:region: is required (a string); set it with: pulumi config set officeless:region"],
  ],
  [
    "a name too long for physical names",
    edit((r) => (r.name = "officeless-production-eu-west")),
    ['officeless:name = "officeless-production-eu-west": must be at most 24 characters'],
  ],
  [
    "a name with capitals",
    edit((r) => (r.name = "Officeless_Prod")),
    ['officeless:name = "Officeless_Prod": must be lowercase letters, digits and hyphens'],
  ],
  [
    "a string where a number belongs",
    edit((r) => (r.network.publicSubnetPrefix = "big")),
    ['officeless:network.publicSubnetPrefix = "big": must be a whole number, got a string'],
  ],
  [
    "a string where a map belongs",
    edit((r) => (r.network = "10.0.0.0/16")),
    ['officeless:network = "10.0.0.0/16": must be a map of keys to values, got a string'],
  ],
  [
    "an unknown taint effect",
    edit((r) => (r.kubernetes.nodePools[1].taints[0].effect = "NoScheduling")),
    [
      'officeless:kubernetes.nodePools[1].taints[0].effect = "NoScheduling": must be one of: NoSchedule, PreferNoSchedule, NoExecute',
    ],
  ],
  [
    "a retention CloudWatch Logs refuses",
    edit((r) => (r.network.flowLogRetentionDays = 10)),
    ["officeless:network.flowLogRetentionDays = 10: is not a CloudWatch Logs retention"],
  ],
  [
    "an admin that is not an IAM role or user",
    edit((r) => (r.kubernetes.adminPrincipals = ["arn:aws:iam::123456789012:root"])),
    [
      'officeless:kubernetes.adminPrincipals[0] = "arn:aws:iam::123456789012:root": must be an IAM role or user ARN',
    ],
  ],
  [
    "a backup schedule AWS cannot read",
    edit((r) => (r.backup = { schedule: "daily" })),
    ['officeless:backup.schedule = "daily": must be an AWS cron expression with six fields'],
  ],
  [
    "backups off in prod",
    edit((r) => (r.backup = { enabled: false })),
    ["officeless:backup.enabled = false: prod needs backups"],
  ],
  [
    "VPN enabled without peers",
    edit((r) => (r.vpn.peers = [])),
    ["officeless:vpn.peers = []: VPN is enabled but no peers are listed"],
  ],
  [
    "AWS's own BGP ASN",
    edit((r) => (r.vpn.peers[0].bgpAsn = 7224)),
    ["officeless:vpn.peers[0].bgpAsn = 7224: must be a valid ASN"],
  ],
  [
    "a BGP peer address that is not IPv4",
    edit((r) => Object.assign(r.vpn.peers[0], { bgpAsn: 65010, bgpPeerAddress: "169.254.21" })),
    ['officeless:vpn.peers[0].bgpPeerAddress = "169.254.21": must be an IPv4 address'],
  ],
  [
    "a BGP peer address on the host AWS keeps",
    edit((r) => Object.assign(r.vpn.peers[0], { bgpAsn: 65010, bgpPeerAddress: "169.254.21.1" })),
    [
      'officeless:vpn.peers[0].bgpPeerAddress = "169.254.21.1": must be the second host of a /30 in 169.254.0.0/16 (AWS takes the first)',
    ],
  ],
  [
    "an infrequent-access transition S3 refuses",
    edit((r) => (r.storage = { object: { lifecycle: { transitionToInfrequentAccessDays: 10 } } })),
    [
      "officeless:storage.object.lifecycle.transitionToInfrequentAccessDays = 10: S3 needs at least 30 days",
    ],
  ],
];

describe("rejected configs", () => {
  it("starts from a valid baseline, so each row below fails for its own reason", () => {
    expect(() => parseConfig(prodRaw())).not.toThrow();
    expect(new Set(BAD.map(([title]) => title)).size).toBe(BAD.length);
    expect(BAD.length).toBeGreaterThanOrEqual(24);
  });

  // Object rows: with array rows of varying length, jest would take a missing 4th argument for `done`.
  const cases = BAD.map(([title, raw, fragments, options]) => ({ title, raw, fragments, options }));

  it.each(cases)("reports $title", ({ raw, fragments, options }) => {
    const error = problems(raw, options);
    expect(error.message).toMatch(/^Invalid configuration: \d+ problems?\n/);
    for (const fragment of fragments) expect(error.message).toContain(fragment);
  });

  it("reports every problem in one error", () => {
    const raw = edit((r) => {
      r.environment = "prod";
      r.network.natGateways = "single";
      r.zones = ["eu-west-1a", "eu-west-1b"];
      r.kubernetes.nodePools[1].minSize = 20;
      r.cache.engine = "memcached";
      r.tags.layer = "x";
      r.obsevability = {};
    });
    const error = problems(raw, { stack: "prod-aws" });
    expect(error.message).toMatch(/^Invalid configuration of stack "prod-aws": 7 problems\n/);
    expect(error.issues.map((i) => i.path)).toEqual([
      "obsevability",
      "zones",
      "network.natGateways",
      "kubernetes.nodePools[1].minSize",
      "kubernetes.nodePools[1].desiredSize",
      "cache.engine",
      "tags.layer",
    ]);
    expect(error.message).toContain('did you mean "observability"?');
  });

  it("still runs a section's cross-field rules when its only problem is an unknown key", () => {
    const error = problems(
      edit((r) => Object.assign(r.kubernetes, { versoin: "1.36", version: "1.29" })),
    );
    expect(error.issues.map((i) => i.path)).toEqual(["kubernetes.versoin", "kubernetes.version"]);
  });
});

it("names the stack in the fixes its messages suggest, so they run as written", () => {
  const raw = minimalRaw();
  delete raw.region;
  const error = problems(raw, { stack: "dev-aws" });
  expect(error.message).toContain(
    "set it with: pulumi config set --stack dev-aws officeless:region",
  );
  // Without a stack name (a component's own validation) the command stays as it was.
  expect(problems(raw).message).toContain("set it with: pulumi config set officeless:region");
});

describe("cloud-specific formats", () => {
  /** A valid dev config for another cloud, as plain JSON. */
  function cloudRaw(cloud: "gcp" | "azure"): Raw {
    const place =
      cloud === "gcp"
        ? { region: "europe-west1", zones: ["europe-west1-b", "europe-west1-c"] }
        : { region: "westeurope", zones: ["1", "2"] };
    return {
      ...minimalRaw(),
      cloud,
      ...place,
      kubernetes: {
        nodePools: [
          {
            name: "general",
            instanceTypes: [cloud === "gcp" ? "e2-standard-4" : "Standard_D4s_v5"],
            minSize: 1,
            maxSize: 3,
          },
        ],
        // Azure needs at least one admin (no implicit deployer grant).
        ...(cloud === "azure" ? { adminPrincipals: [AZURE_ADMIN] } : {}),
      },
      vpn: {
        enabled: true,
        peers: [
          { name: "office", publicIp: "198.51.100.7", cidrs: ["192.168.0.0/16"], bgpAsn: 65010 },
        ],
      },
    };
  }

  it("turns out-of-region copies on by default only where the backend builds them, and refuses them elsewhere", () => {
    const prodGcp = {
      ...cloudRaw("gcp"),
      environment: "prod",
      zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
    };
    const config = parseConfig(prodGcp);
    expect(config.storage.object.replication.enabled).toBe(false);
    expect(config.backup.crossRegionCopy.enabled).toBe(false);
    const error = problems({
      ...prodGcp,
      storage: { object: { replication: { enabled: true } } },
      backup: { crossRegionCopy: { enabled: true } },
    });
    expect(error.message).toContain(
      "officeless:storage.object.replication.enabled = true: is not built on gcp yet; set it to false (copies out of the region are built on: aws",
    );
    expect(error.message).toContain(
      "officeless:backup.crossRegionCopy.enabled = true: is not built on gcp yet",
    );
  });

  it("on Azure replicates objects to the paired region by default in prod, and refuses a replica region, backup copies and a public endpoint", () => {
    const prodAzure: Raw = { ...cloudRaw("azure"), environment: "prod", zones: ["1", "2", "3"] };
    const config = parseConfig(prodAzure);
    expect(config.storage.object.replication).toEqual({ enabled: true });
    expect(config.backup.crossRegionCopy.enabled).toBe(false);
    const error = problems({
      ...prodAzure,
      storage: { object: { replication: { enabled: true, region: "northeurope" } } },
      backup: { crossRegionCopy: { enabled: true } },
      kubernetes: {
        ...(prodAzure.kubernetes as Raw),
        endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
      },
    });
    expect(error.message).toContain(
      'officeless:storage.object.replication.region = "northeurope": cannot be chosen on Azure: the copy is geo-zone-redundant storage (GZRS), kept in the region\'s pair (northeurope for westeurope), which Azure picks; remove the key',
    );
    expect(error.message).toContain(
      "officeless:backup.crossRegionCopy.enabled = true: is not built on azure yet; set it to false",
    );
    expect(error.message).toContain(
      'officeless:kubernetes.endpoint.publicAccessCidrs = ["203.0.113.0/24"]: must be empty on Azure: the AKS API endpoint is always private',
    );
    expect(problems({ ...prodAzure, region: "polandcentral" }).message).toContain(
      "officeless:storage.object.replication.enabled = true: needs a paired region for geo-redundant storage, and polandcentral has none; set it to false",
    );
  });

  it("keeps a valid BGP peer address on the peer", () => {
    const raw = edit((r) =>
      Object.assign(r.vpn.peers[0], { bgpAsn: 65010, bgpPeerAddress: "169.254.21.2" }),
    );
    expect(parseConfig(raw).vpn.peers[0]).toMatchObject({
      bgpAsn: 65010,
      bgpPeerAddress: "169.254.21.2",
    });
    expect(parseConfig(prodRaw()).vpn.peers[0]).not.toHaveProperty("bgpPeerAddress");
  });

  it("refuses names AWS refuses for security groups, buckets and the cache, naming why", () => {
    const refused: [string, string][] = [
      ["sg-prod", "security group names that start with sg-"],
      ["xn--shop", "bucket names that start with xn--"],
      ["sthree-data", "bucket names that start with sthree-"],
      ["amzn-s3-demo-x", "bucket names that start with amzn-s3-demo-"],
      ["my--platform", "two hyphens in a row"],
    ];
    for (const [name, why] of refused) {
      const message = problems(edit((r) => (r.name = name))).message;
      expect(message).toContain(`officeless:name = "${name}": is refused on AWS`);
      expect(message).toContain(why);
    }
    // The other clouds name nothing after sg- or xn--; without a cache, `--` reaches no id that refuses it.
    expect(
      parseConfig(
        edit(
          (r) => (r.name = "sg-prod"),
          () => cloudRaw("gcp"),
        ),
      ).name,
    ).toBe("sg-prod");
    const noCache = edit((r) =>
      Object.assign(r, { name: "my--platform", cache: { enabled: false } }),
    );
    expect(parseConfig(noCache).name).toBe("my--platform");
  });

  it("takes each cloud's admin format and names the key, the value and the format otherwise", () => {
    const aws = edit((r) => (r.kubernetes.adminPrincipals = ["group:admins@example.com"]));
    expect(problems(aws).message).toContain(
      'officeless:kubernetes.adminPrincipals[0] = "group:admins@example.com": must be an IAM role or user ARN',
    );

    const gcp = edit(
      (r) => (r.kubernetes.adminPrincipals = ["arn:aws:iam::123456789012:role/admin"]),
      () => cloudRaw("gcp"),
    );
    expect(problems(gcp).message).toContain(
      'officeless:kubernetes.adminPrincipals[0] = "arn:aws:iam::123456789012:role/admin": must be a Google Cloud IAM member',
    );

    const azure = edit(
      (r) => (r.kubernetes.adminPrincipals = ["group:admins@example.com"]),
      () => cloudRaw("azure"),
    );
    expect(problems(azure).message).toContain(
      'officeless:kubernetes.adminPrincipals[0] = "group:admins@example.com": must be an Entra ID object id with its kind, user:<object id>, group:<object id> or servicePrincipal:<object id>',
    );
    const ok = edit(
      (r) => (r.kubernetes.adminPrincipals = ["group:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]),
      () => cloudRaw("azure"),
    );
    expect(parseConfig(ok).kubernetes.adminPrincipals).toEqual([
      "group:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    ]);
  });

  it("requires at least one admin on Azure, naming the key, the reason and an example", () => {
    const none = edit(
      (r) => (r.kubernetes.adminPrincipals = []),
      () => cloudRaw("azure"),
    );
    const message = problems(none).message;
    expect(message).toContain(
      "officeless:kubernetes.adminPrincipals = []: needs at least one entry on Azure",
    );
    expect(message).toContain("the deploying identity is not added implicitly");
    expect(message).toContain("servicePrincipal:<object id of your CI identity>");
    // Unset is the same as empty; AWS and GCP still take an empty list.
    const unset = cloudRaw("azure");
    delete unset.kubernetes.adminPrincipals;
    expect(problems(unset).issues.map((i) => i.path)).toContain("kubernetes.adminPrincipals");
    expect(parseConfig(cloudRaw("gcp")).kubernetes.adminPrincipals).toEqual([]);
    expect(parseConfig(minimalRaw()).kubernetes.adminPrincipals).toEqual([]);
  });

  it("takes kubernetes.endpoint.dnsAccess on GCP only", () => {
    const on = (base: () => Raw) =>
      edit((r) => (r.kubernetes.endpoint = { dnsAccess: "true" }), base);
    expect(parseConfig(on(() => cloudRaw("gcp"))).kubernetes.endpoint).toEqual({
      publicAccessCidrs: [],
      privateAccessCidrs: [],
      dnsAccess: true,
    });
    expect(problems(on(minimalRaw)).message).toContain(
      "officeless:kubernetes.endpoint.dnsAccess = true: is GKE-only",
    );
    expect(problems(on(() => cloudRaw("azure"))).message).toContain(
      "officeless:kubernetes.endpoint.dnsAccess = true: is GKE-only",
    );
    // Off is fine everywhere, and the type is checked before any cloud rule.
    const off = edit((r) => (r.kubernetes.endpoint = { dnsAccess: false }), minimalRaw);
    expect(parseConfig(off).kubernetes.endpoint.dnsAccess).toBe(false);
    expect(
      problems(
        edit(
          (r) => (r.kubernetes.endpoint = { dnsAccess: "yes" }),
          () => cloudRaw("gcp"),
        ),
      ).issues.map((i) => i.path),
    ).toEqual(["kubernetes.endpoint.dnsAccess"]);
  });

  it("checks a BGP peer address against the chosen cloud's rules", () => {
    const withAddress = (cloud: "gcp" | "azure", address: string) =>
      edit(
        (r) => (r.vpn.peers[0].bgpPeerAddress = address),
        () => cloudRaw(cloud),
      );
    expect(problems(withAddress("gcp", "10.99.0.1")).message).toContain(
      'officeless:vpn.peers[0].bgpPeerAddress = "10.99.0.1": must be a host (.1 or .2) of a /30 in 169.254.0.0/16',
    );
    expect(parseConfig(withAddress("gcp", "169.254.21.1")).vpn.peers[0].bgpPeerAddress).toBe(
      "169.254.21.1",
    );
    expect(problems(withAddress("azure", "198.51.100.7")).message).toContain(
      'officeless:vpn.peers[0].bgpPeerAddress = "198.51.100.7": must not be the device\'s public IP',
    );
    expect(problems(withAddress("azure", "10.0.3.4")).message).toContain(
      "is inside the platform network 10.0.0.0/16",
    );
    expect(parseConfig(withAddress("azure", "10.99.0.1")).vpn.peers[0].bgpPeerAddress).toBe(
      "10.99.0.1",
    );
  });
});

describe("schema module", () => {
  it("is re-exported by programs/config.ts, so the split changes no import", () => {
    expect(DEFAULTS).toBe(schema.DEFAULTS);
    expect(CONFIG_KEYS).toBe(schema.CONFIG_KEYS);
    expect(REQUIRED_KEYS).toBe(schema.REQUIRED_KEYS);
    expect(OFFLINE_SECRET_PLACEHOLDER).toBe(schema.OFFLINE_SECRET_PLACEHOLDER);
    expect(MAX_NAME_LENGTH).toBe(schema.MAX_NAME_LENGTH);
    expect(Object.keys(schema.SECTIONS)).toEqual(CONFIG_KEYS);
  });
});

describe("secrets", () => {
  const KEY = "Tunnel.Key_0123456789";

  it("returns a pre-shared key from a secret config key as a secret output", async () => {
    const raw = edit((r) => (r.vpn.peers[0].preSharedKey = KEY));
    const config = parseConfig(raw, { secretKeys: new Set(["vpn"]) });
    const psk = config.vpn.peers[0].preSharedKey!;
    expect(pulumi.Output.isInstance(psk)).toBe(true);
    expect(await isSecret(psk)).toBe(true);
    expect(await valueOf(psk)).toBe(KEY);
  });

  it("never shows a pre-shared key in an error, secret or not", () => {
    const plain = problems(edit((r) => (r.vpn.peers[0].preSharedKey = KEY)));
    expect(plain.message).toContain("officeless:vpn.peers[0].preSharedKey");
    expect(plain.message).not.toContain(KEY);
    const badFormat = "0" + KEY.slice(1);
    const secret = problems(
      edit((r) => (r.vpn.peers[0].preSharedKey = badFormat)),
      { secretKeys: new Set(["vpn"]) },
    );
    expect(secret.message).toContain("officeless:vpn.peers[0].preSharedKey");
    expect(secret.message).not.toContain(badFormat);
    expect(secret.issues.every((i) => !("value" in i))).toBe(true);
  });

  it("hides every value under a key set with --secret", () => {
    const error = problems(
      edit((r) => (r.vpn.peers[0].name = "Head-Office")),
      { secretKeys: new Set(["vpn"]) },
    );
    expect(error.message).toContain("officeless:vpn.peers[0].name: must be lowercase");
    expect(error.message).not.toContain("Head-Office");
  });
});

describe("stack files", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-config-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("replaces secure values by the placeholder, reports their keys secret, and the plan accepts them", () => {
    const file = path.join(dir, "Pulumi.test.yaml");
    const raw = prodRaw();
    const yamlPeers = raw.vpn.peers.map((p: Raw) => ({
      ...p,
      preSharedKey: { secure: "v1:Zm9vYmFy" },
    }));
    const config = Object.fromEntries(
      Object.entries({ ...raw, vpn: { ...raw.vpn, peers: yamlPeers } }).map(([k, v]) => [
        `officeless:${k}`,
        v,
      ]),
    );
    fs.writeFileSync(file, JSON.stringify({ config: { "aws:region": "eu-west-1", ...config } }));
    const read = readStackFile(file);
    expect(read.secretKeys).toEqual(new Set(["vpn"]));
    expect(read.raw.vpn).toMatchObject({ peers: [{ preSharedKey: OFFLINE_SECRET_PLACEHOLDER }] });
    expect(Object.keys(read.raw)).not.toContain("aws:region");
    expect(
      parseConfig(read.raw, { secretKeys: read.secretKeys }).vpn.peers[0].preSharedKey,
    ).toBeDefined();
  });

  it("finds the stack file in the project folder, or in Pulumi.yaml's stackConfigDir", () => {
    expect(stackFilePath(root, "dev-aws")).toBe(path.join(root, "Pulumi.dev-aws.yaml"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: x\nruntime: nodejs\nstackConfigDir: stacks\n",
    );
    expect(stackFilePath(dir, "prod")).toBe(path.join(dir, "stacks", "Pulumi.prod.yaml"));
  });

  it("names the file it cannot read", () => {
    expect(() => readStackFile(path.join(dir, "Pulumi.missing.yaml"))).toThrow(
      /cannot read stack file .*Pulumi\.missing\.yaml/,
    );
  });
});

describe("loadConfig", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}, []));

  function setConfig(raw: Raw, extra: Record<string, string> = {}, secret: string[] = []) {
    const values: Record<string, string> = { ...extra };
    for (const [k, v] of Object.entries(raw))
      values[`officeless:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(values, secret);
  }

  it("reads the officeless: namespace from the runtime, JSON for maps and plain text for scalars", () => {
    setConfig(prodRaw(), { "aws:region": "eu-west-1", "other:thing": "{" });
    const config: PlatformConfig = loadConfig();
    expect(config).toMatchObject({
      cloud: "aws",
      environment: "prod",
      region: "eu-west-1",
      zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    });
    expect(config.network.cidr).toBe("10.20.0.0/16");
  });

  it("learns which keys are secret from the runtime", () => {
    const raw = edit((r) => (r.vpn.peers[0].preSharedKey = "Tunnel.Key_0123456789"));
    setConfig(raw, {}, ["officeless:vpn"]);
    expect(loadConfig().vpn.peers[0].preSharedKey).toBeDefined();
    setConfig(raw);
    expect(() => loadConfig()).toThrow(
      /officeless:vpn\.peers\[0\]\.preSharedKey: must be stored as a secret/,
    );
  });
});

describe("an invalid config stops the program before anything exists", () => {
  it("registers no resource", async () => {
    const mocks = await mockPulumi();
    let caught: unknown;
    try {
      const config = parseConfig(edit((r) => (r.network.cidr = "10.20.0.1/16")));
      // Only reached if parsing wrongly succeeds: then resources would be recorded.
      new Network(`${config.name}-network`, config);
    } catch (err) {
      caught = err;
    }
    await settle();
    expect(caught).toBeInstanceOf(ValidationError);
    expect(mocks.resources).toEqual([]);
  });
});

describe("Pulumi.yaml", () => {
  const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
  const declared = project.config as Record<string, Raw>;

  it("keeps the project identity", () => {
    expect(project.name).toBe("officeless");
    expect(project.runtime).toMatchObject({ name: "nodejs" });
    expect(project.main).toBe("main.ts");
  });

  it("declares every officeless: key, with Pulumi's own rules for project config", () => {
    expect(Object.keys(declared).sort()).toEqual(CONFIG_KEYS.map((k) => `officeless:${k}`).sort());
    for (const [key, decl] of Object.entries(declared)) {
      // Namespaced keys must be the project's own to carry a type or a default.
      expect(key.startsWith(`${project.name}:`)).toBe(true);
      expect(typeof decl.description).toBe("string");
      expect(decl).not.toHaveProperty("value");
      for (const attr of Object.keys(decl))
        expect(["type", "items", "description", "secret", "default"]).toContain(attr);
      if (decl.type !== undefined)
        expect(["string", "integer", "boolean", "array"]).toContain(decl.type);
      if (decl.type === "array") expect(decl.items).toEqual({ type: "string" });
      if (decl.type === "string" && "default" in decl) expect(typeof decl.default).toBe("string");
    }
  });

  it("leaves required keys without a default and gives optional ones an empty one", () => {
    for (const key of CONFIG_KEYS) {
      const decl = declared[`officeless:${key}`];
      if (REQUIRED_KEYS.includes(key)) expect(decl).not.toHaveProperty("default");
      else expect(["", {}]).toContainEqual(decl.default);
    }
    // The empty defaults parse to the documented defaults.
    const withDefaults = { ...minimalRaw() } as Raw;
    for (const key of CONFIG_KEYS)
      if (!REQUIRED_KEYS.includes(key)) withDefaults[key] = declared[`officeless:${key}`].default;
    expect(parseConfig(withDefaults)).toEqual(parseConfig(minimalRaw()));
  });
});
