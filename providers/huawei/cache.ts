/**
 * Huawei Cloud cache: a DCS Redis instance in the VPC (the database subnet when the tier is on,
 * else the first private subnet): master/standby over the first two zones with automatic failover
 * in HA, single-node otherwise; TLS on (Redis 6.0, the newest DCS version that offers it on
 * master/standby); a generated password (secret); and a whitelist that admits only the VPC's
 * range and CCE's pod range (pods reach it from their own addresses), not the VPN's peers. DCS Redis 4.0 and later
 * have no security groups: the whitelist is their access control.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { cacheExporter } from "../../components/cacheExporter";
import { Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import * as dcs from "../../sdks/huaweicloud/dcs";
import { CCE_CONTAINER_CIDR, DEFAULT_DCS_REDIS_VERSION, huaweiConfigIssues } from "./catalog";
import { cutName, hwTags } from "./common";

/** Memory (GiB) per cloud-agnostic size. */
export const CACHE_CAPACITY_GB = { small: 1, medium: 4, large: 16 } as const;

/** DCS cache modes: master/standby over two zones, or one node. */
export function cacheMode(highAvailability: boolean): "ha" | "single" {
  return highAvailability ? "ha" : "single";
}

/** The first flavor DCS lists for the size and mode (codes differ by region and CPU). */
export function firstFlavor(flavors: readonly { name?: string }[] | undefined): string {
  const name = flavors?.find((f) => f.name)?.name;
  if (!name) throw new Error("DCS lists no flavor for the cache's size, version and mode here");
  return name;
}

export function huaweiCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const issues = huaweiConfigIssues({ cache: args.cache });
  if (args.cache.highAvailability && args.zones.length < 2) {
    const issue: Issue = {
      path: "zones",
      value: args.zones,
      message: "a master/standby DCS instance needs two zones",
    };
    issues.push(issue);
  }
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Cache arguments");
  const opts = { parent: scope.parent };
  const ha = args.cache.highAvailability;
  const capacity = CACHE_CAPACITY_GB[args.cache.size];
  // 8 to 64 characters of three kinds at least; DCS takes these specials.
  const password = new random.RandomPassword(
    `${scope.name}-password`,
    {
      length: 32,
      minLower: 2,
      minUpper: 2,
      minNumeric: 2,
      minSpecial: 2,
      overrideSpecial: "!@#^-_=+",
    },
    opts,
  );
  const engineVersion = args.cache.version ?? DEFAULT_DCS_REDIS_VERSION;
  const flavor = dcs
    .getFlavors(
      {
        engine: "Redis",
        engineVersion,
        capacity,
        cacheMode: cacheMode(ha),
        cpuArchitecture: "x86_64",
      },
      opts,
    )
    .apply((r) => firstFlavor(r.flavors));
  const subnetId = pulumi
    .all([args.network.databaseSubnetIds, args.network.privateSubnetIds])
    .apply(([db, priv]) => db[0] ?? priv[0]);
  const instance = new dcs.Instance(
    `${scope.name}-redis`,
    {
      name: cutName(scope.name, 64),
      description: `${scope.name}: platform cache`,
      engine: "Redis",
      engineVersion,
      capacity,
      flavor: args.cache.nodeType ?? flavor,
      availabilityZones: ha ? args.zones.slice(0, 2) : args.zones.slice(0, 1),
      vpcId: args.network.networkId,
      subnetId,
      port: 6379,
      password: password.result,
      sslEnable: true,
      whitelistEnable: true,
      whitelists: [
        {
          groupName: "nodes-and-pods",
          ipAddresses: args.network.cidr.apply((cidr) => [cidr, CCE_CONTAINER_CIDR]),
        },
      ],
      maintainBegin: "02:00:00",
      maintainEnd: "06:00:00",
      tags: hwTags(scope.tags),
    },
    { ...opts, protect: scope.protect },
  );
  // Pods reach it from CCE's container range, which the whitelist holds.
  cacheExporter(scope, args, {
    host: instance.domainName,
    port: instance.port,
    password: password.result,
    tls: {
      mode: "skip-verify",
      why: "DCS signs its SSL certificates with Huawei Cloud's own CA, downloaded from the DCS console (Configuring SSL: download the certificate); the provider exports no certificate",
    },
  });

  return {
    engine: pulumi.output("redis"),
    primaryEndpoint: instance.domainName,
    // The standby's read-only address (Redis 4.0 and later); the primary's without a standby.
    readerEndpoint: pulumi
      .all([instance.readonlyDomainName, instance.domainName])
      .apply(([reader, primary]) => (ha && reader ? reader : primary)),
    port: instance.port,
    authToken: pulumi.secret(password.result),
    securityGroupId: pulumi.output(""),
  };
}
