/**
 * OCI cache layer: an OCI Cache cluster (Valkey by default, Redis on request), non-sharded with a
 * primary and `replicas` replicas (OCI spreads the nodes over availability or fault domains and
 * fails over by itself), in the database subnet (the workers subnet when the database tier is
 * off), behind an NSG that admits only the cluster's nodes and pods (one NSG, the kubernetes
 * layer's) on 6379. OCI Cache serves TLS only. Clients authenticate as an OCI Cache user whose
 * password is generated here, stored only as its SHA-256 hash on the OCI side and exported as a
 * secret; the cluster is protected in prod.
 */
import { createHash } from "crypto";
import * as redis from "@pulumi/oci/redis";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheArgs, CacheOutputs } from "../../components/cache";
import { CACHE_EXPORTER_ACL, cacheExporter } from "../../components/cacheExporter";
import { Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { CACHE_MEMORY_GB, cacheSoftwareVersion, ociConfigIssues } from "./catalog";
import { displayName, ociSettings, ociTags } from "./common";
import { flowRules, nsg } from "./nsg";

export const CACHE_PORT = 6379;
/** The cache user applications connect as. */
export const CACHE_USER = "officeless";
/**
 * The exporter's user: INFO, CLIENT LIST and the like are `@dangerous`, which CACHE_ACL denies.
 * It exists whether or not the exporter runs, so turning the observability layer on or off
 * never touches the cluster's user attachments (create-only: ForceNew, and a no-op delete in
 * terraform-provider-oci's redis_cluster_attach_oci_cache_user).
 */
export const METRICS_USER = `${CACHE_USER}-metrics`;
/** Full access to keys and commands, except the ones that reconfigure or wipe the server. */
export const CACHE_ACL = "~* &* +@all -@dangerous";

/** The node memory in GB: `nodeType` when set, else the size's. */
export function cacheMemoryGb(args: CacheArgs["cache"]): number {
  return args.nodeType !== undefined ? Number(args.nodeType) : CACHE_MEMORY_GB[args.size];
}

export function ociCache(scope: Scope, args: CacheArgs): CacheOutputs {
  const settings = ociSettings(args);
  const issues = ociConfigIssues({ cache: args.cache });
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid Cache arguments");
  const softwareVersion = cacheSoftwareVersion(args.cache.engine, args.cache.version)!;
  const compartmentId = settings.compartmentId;
  const freeformTags = ociTags(scope.tags);
  const opts = { parent: scope.parent };

  const cacheNsg = nsg(scope, "cache", compartmentId, args.network.networkId);
  const rules = flowRules(scope, new Map([[cacheNsg, "cache"]]), [
    {
      name: "clients",
      from: { nsgId: args.kubernetes.nodeSecurityGroupId },
      to: { nsg: cacheNsg },
      protocol: "tcp",
      ports: [CACHE_PORT, CACHE_PORT],
    },
  ]);
  const subnetId = pulumi
    .all([args.network.databaseSubnetIds, args.network.privateSubnetIds])
    .apply(([database, workers]) => database[0] ?? workers[0]);

  const cluster = new redis.RedisCluster(
    `${scope.name}-cluster`,
    {
      compartmentId,
      displayName: displayName(scope, "cache"),
      clusterMode: "NONSHARDED",
      nodeCount: 1 + args.cache.replicas,
      nodeMemoryInGbs: cacheMemoryGb(args.cache),
      softwareVersion,
      subnetId,
      nsgIds: [cacheNsg.id],
      freeformTags,
    },
    { parent: scope.parent, protect: scope.protect, dependsOn: rules },
  );

  const password = new random.RandomPassword(
    `${scope.name}-password`,
    { length: 32, special: false },
    opts,
  );
  const user = new redis.OciCacheUser(
    `${scope.name}-user`,
    {
      compartmentId,
      name: CACHE_USER,
      description: `${scope.name}: the platform's applications`,
      aclString: CACHE_ACL,
      status: "ON",
      authenticationMode: {
        authenticationType: "PASSWORD",
        hashedPasswords: [
          pulumi.secret(password.result.apply((p) => createHash("sha256").update(p).digest("hex"))),
        ],
      },
      freeformTags,
    },
    { ...opts, additionalSecretOutputs: ["authenticationMode"] },
  );
  const attach = new redis.RedisClusterAttachOciCacheUser(
    `${scope.name}-user-attach`,
    { redisClusterId: cluster.id, ociCacheUsers: [user.id] },
    opts,
  );

  const metricsPassword = new random.RandomPassword(
    `${scope.name}-metrics-password`,
    { length: 32, special: false },
    opts,
  );
  const metricsUser = new redis.OciCacheUser(
    `${scope.name}-metrics-user`,
    {
      compartmentId,
      name: METRICS_USER,
      description: `${scope.name}: the metrics exporter`,
      aclString: CACHE_EXPORTER_ACL,
      status: "ON",
      authenticationMode: {
        authenticationType: "PASSWORD",
        hashedPasswords: [
          pulumi.secret(
            metricsPassword.result.apply((p) => createHash("sha256").update(p).digest("hex")),
          ),
        ],
      },
      freeformTags,
    },
    { ...opts, additionalSecretOutputs: ["authenticationMode"] },
  );
  // Its own attachment: adding it to the first would replace that one (ForceNew). After the
  // first: two attach work requests on one cluster at once may conflict.
  const metricsAttach = new redis.RedisClusterAttachOciCacheUser(
    `${scope.name}-metrics-user-attach`,
    { redisClusterId: cluster.id, ociCacheUsers: [metricsUser.id] },
    { ...opts, dependsOn: [attach] },
  );
  // Pods take VCN addresses (VCN-native pod networking) and carry the nodes' NSG, which the rule
  // above admits. Verified against the image's public CAs: OCI's "Connecting with the Valkey CLI"
  // uses `--tls` with no CA file. Not confirmed on a live cluster; a private chain would show as
  // CacheDown (the exporter logs the x509 error), and `skip-verify` is then the setting.
  cacheExporter(scope, args, {
    host: metricsAttach.id.apply(() => cluster.primaryFqdn),
    port: CACHE_PORT,
    user: METRICS_USER,
    password: metricsPassword.result,
    tls: { mode: "system" },
  });

  const ready = attach.id.apply(() => true);
  return {
    engine: pulumi.output(args.cache.engine),
    primaryEndpoint: ready.apply(() => cluster.primaryFqdn),
    readerEndpoint: cluster.replicasFqdn,
    port: pulumi.output(CACHE_PORT),
    authToken: pulumi.secret(password.result),
    securityGroupId: cacheNsg.id,
  };
}
