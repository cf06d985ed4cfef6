/**
 * Pieces every Azure layer shares: the deploying identity's subscription and tenant, one resource
 * group per layer, ARM ids built and read back, user-assigned identities, role assignments by
 * built-in role, Key Vaults with purge protection and RBAC, customer keys with yearly rotation,
 * globally unique names, and private endpoints with their private DNS zones.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as features from "@pulumi/azure-native/features";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";

/** Built-in role definition ids (the same in every tenant). */
export const ROLES = {
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  storageAccountContributor: "17d1049b-9a84-46fb-8f53-869881c3d3ab",
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
} as const;
export type RoleName = keyof typeof ROLES;

/** Throws one error listing every issue, like the shared validators, before any child exists. */
export function throwIfIssues(issues: Issue[], what: string): void {
  if (issues.length > 0) throw new ValidationError(issues, "args.", what);
}

/** The deploying identity: subscription, tenant and object id (one invoke per scope). */
export interface AzureClient {
  readonly subscriptionId: pulumi.Output<string>;
  readonly tenantId: pulumi.Output<string>;
  /** Object id of the identity running Pulumi (a user, or a service principal in CI). */
  readonly objectId: pulumi.Output<string>;
}

const clients = new WeakMap<pulumi.ComponentResource, AzureClient>();

export function azureClient(scope: Scope): AzureClient {
  const cached = clients.get(scope.parent);
  if (cached) return cached;
  const config = authorization.getClientConfigOutput({ parent: scope.parent });
  const client = {
    subscriptionId: config.subscriptionId,
    tenantId: config.tenantId,
    objectId: config.objectId,
  };
  clients.set(scope.parent, client);
  return client;
}

/**
 * The layer's own resource group, `${scope.name}-rg`, in the layer's region. `after` holds its
 * creation (and so every resource of the layer, which all live in it) until a check has passed.
 */
export function resourceGroup(
  scope: Scope,
  location: string,
  after?: pulumi.Output<unknown>,
): resources.ResourceGroup {
  const name = `${scope.name}-rg`;
  return new resources.ResourceGroup(
    name,
    { resourceGroupName: after ? after.apply(() => name) : name, location, tags: scope.tags },
    { parent: scope.parent },
  );
}

/** A subscription feature (preview flag) a layer needs, and why. */
export interface SubscriptionFeature {
  readonly namespace: string;
  readonly name: string;
  readonly neededFor: string;
}

/** Host encryption of node VMs (`enableEncryptionAtHost`) is refused until this is registered. */
export const ENCRYPTION_AT_HOST: SubscriptionFeature = {
  namespace: "Microsoft.Compute",
  name: "EncryptionAtHost",
  neededFor: "encryption at host on every AKS node pool",
};

/**
 * Why a feature in `state` stops the deployment (with the commands that fix it), or undefined once
 * it is Registered. A feature is registered per subscription and the resource provider must be
 * registered again afterwards for the flag to reach it.
 */
export function featureIssue(
  feature: SubscriptionFeature,
  state: string | undefined,
  cause?: string,
): string | undefined {
  if (state === "Registered") return undefined;
  const { namespace, name } = feature;
  const found = state ? `is ${state}` : `could not be read${cause ? ` (${cause})` : ""}`;
  return (
    `The subscription feature ${namespace}/${name}, needed for ${feature.neededFor}, ${found}. ` +
    `Register it once per subscription, then re-register the provider:\n` +
    `  az feature register --namespace ${namespace} --name ${name}\n` +
    `  az feature show --namespace ${namespace} --name ${name} --query properties.state   # until "Registered"\n` +
    `  az provider register --namespace ${namespace}`
  );
}

/**
 * Reads a subscription feature's registration and fails the deployment with `featureIssue` unless
 * it is Registered. Registering it from the program instead would make one layer's stack own a
 * subscription-wide flag (a destroy would unregister it for everyone), and the registration is
 * asynchronous and needs the provider re-registered, which azure-native has no resource for.
 * A feature never registered reads as an error (no registration exists), reported the same way.
 */
export function requireFeature(scope: Scope, feature: SubscriptionFeature): pulumi.Output<string> {
  return pulumi.output(readFeature(scope, feature)).apply(({ state, cause }) => {
    const issue = featureIssue(feature, state, cause);
    if (issue) throw new pulumi.RunError(issue);
    return state as string;
  });
}

/** A subscription feature's registration state, or why it could not be read. */
export function readFeature(
  scope: Scope,
  feature: SubscriptionFeature,
): Promise<{ state?: string; cause?: string }> {
  return features
    .getSubscriptionFeatureRegistration(
      { providerNamespace: feature.namespace, featureName: feature.name },
      { parent: scope.parent },
    )
    .then(
      (found) => ({ state: found.properties?.state }),
      (err: unknown) => ({ cause: err instanceof Error ? err.message : String(err) }),
    );
}

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/<provider>/<type>/<name>[/<type>/<name>...]`. */
export function formatArmId(
  subscriptionId: string,
  resourceGroupName: string,
  provider: string,
  ...path: string[]
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/${provider}/${path.join("/")}`;
}

/** Where `key` stands in an ARM id's segments, failing clearly when it is missing or has no name after it. */
function armIdSegments(id: string, key: string): { parts: string[]; at: number } {
  const parts = id.split("/");
  const at = parts.findIndex((p) => p.toLowerCase() === key.toLowerCase());
  if (at < 0 || !parts[at + 1])
    throw new Error(`"${id}" is not an Azure resource id with a ${key} segment`);
  return { parts, at };
}

/**
 * One segment of an ARM id: the value after `key` (case-insensitive), e.g. `resourceGroups` or
 * `virtualNetworks`. Upstream layers export ARM ids; downstream layers read names back from them.
 */
export function armIdPart(id: string, key: string): string {
  const { parts, at } = armIdSegments(id, key);
  return parts[at + 1];
}

/** The part of an ARM id up to and including `key/<name>`, e.g. a storage account's id from a container's. */
export function armIdPrefix(id: string, key: string): string {
  const { parts, at } = armIdSegments(id, key);
  return parts.slice(0, at + 2).join("/");
}

export interface RoleAssignmentArgs {
  readonly principalId: pulumi.Input<string>;
  readonly role: RoleName;
  /** The narrowest ARM id that works: a key, a container, a subnet. */
  readonly scope: pulumi.Input<string>;
  /** `ServicePrincipal` for managed identities: ARM then skips the directory lookup that fails right after creation. */
  readonly principalType?: "ServicePrincipal" | "User" | "Group";
}

/** A built-in role for one principal at one scope; ARM names it with a fresh GUID. */
export function roleAssignment(
  scope: Scope,
  name: string,
  args: RoleAssignmentArgs,
  opts: pulumi.CustomResourceOptions = {},
): authorization.RoleAssignment {
  const { subscriptionId } = azureClient(scope);
  return new authorization.RoleAssignment(
    `${scope.name}-${name}`,
    {
      principalId: args.principalId,
      principalType: args.principalType,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLES[args.role]}`,
      scope: args.scope,
    },
    { parent: scope.parent, ...opts },
  );
}

export interface UserAssignedIdentityArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  /** The identity's name in Azure. @default `${scope.name}-<role>` */
  readonly resourceName?: pulumi.Input<string>;
}

/** A user-assigned managed identity `${scope.name}-<role>-identity`; callers grant it roles one scope at a time. */
export function userAssignedIdentity(
  scope: Scope,
  role: string,
  args: UserAssignedIdentityArgs,
): managedidentity.UserAssignedIdentity {
  return new managedidentity.UserAssignedIdentity(
    `${scope.name}-${role}-identity`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      resourceName: args.resourceName ?? `${scope.name}-${role}`,
      tags: scope.tags,
    },
    { parent: scope.parent },
  );
}

/** An identity that wraps and unwraps with one customer key, and its grant (encrypted resources wait for it). */
export function keyEncryptionIdentity(
  scope: Scope,
  args: { resourceGroupName: pulumi.Input<string>; location: string; keyId: pulumi.Input<string> },
): { identity: managedidentity.UserAssignedIdentity; grant: authorization.RoleAssignment } {
  const identity = userAssignedIdentity(scope, "encryption", args);
  const grant = roleAssignment(scope, "encryption-key", {
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    role: "keyVaultCryptoServiceEncryptionUser",
    scope: args.keyId,
  });
  return { identity, grant };
}

/**
 * A short random suffix for names Azure wants globally unique (Key Vaults, storage accounts,
 * caches). Random rather than derived, because a destroyed Key Vault keeps its name reserved for
 * the 90 days of purge protection: a redeploy must pick a new one.
 */
export function nameSuffix(scope: Scope): pulumi.Output<string> {
  return new random.RandomString(
    `${scope.name}-suffix`,
    { length: 6, lower: true, upper: false, numeric: true, special: false },
    { parent: scope.parent },
  ).result;
}

/**
 * `base` cut to fit `maxLength` with `role` and `suffix` kept whole (`<base>-<role>-<suffix>`, or
 * run together when hyphens are not allowed): lowercase, invalid characters dropped, no leading,
 * trailing or doubled hyphens. Keeping the role whole keeps two accounts of one layer apart.
 */
export function uniqueName(
  base: string,
  suffix: pulumi.Input<string>,
  maxLength: number,
  { hyphens = true, role = "" }: { hyphens?: boolean; role?: string } = {},
): pulumi.Output<string> {
  const invalid = hyphens ? /[^a-z0-9-]/g : /[^a-z0-9]/g;
  const clean = (text: string) => text.toLowerCase().replace(invalid, "").replace(/-+/g, "-");
  return pulumi.output(suffix).apply((s) => {
    const tail = [clean(role), s].filter((part) => part.length > 0);
    const sep = hyphens ? "-" : "";
    const room = maxLength - tail.join(sep).length - sep.length;
    const head = clean(base)
      .slice(0, room)
      .replace(/^-+|-+$/g, "");
    return [head, ...tail].join(sep);
  });
}

export interface KeyVaultArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly suffix: pulumi.Input<string>;
  /**
   * Leave the vault's firewall open (access stays RBAC-only). AKS KMS with a public vault requires it;
   * otherwise the firewall denies everything but Azure's trusted services (disks, storage).
   */
  readonly openFirewall?: boolean;
}

/**
 * Days a deleted Key Vault stays recoverable (Azure allows 7-90, fixed at creation): the most where
 * stateful resources are protected (prod), the least elsewhere, so a destroyed dev stack's vaults
 * are gone after a week.
 */
export function keyVaultRetentionDays(scope: Pick<Scope, "protect">): 7 | 90 {
  return scope.protect ? 90 : 7;
}

/** A Key Vault: RBAC authorization, soft delete, purge protection, protected in prod. */
export function keyVault(scope: Scope, args: KeyVaultArgs): keyvault.Vault {
  const { tenantId } = azureClient(scope);
  return new keyvault.Vault(
    `${scope.name}-kv`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      vaultName: uniqueName(scope.name, args.suffix, 24),
      properties: {
        tenantId,
        sku: { family: "A", name: "standard" },
        // Access through Azure RBAC role assignments only: no access policies to drift.
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: keyVaultRetentionDays(scope),
        // Disk encryption sets and storage CMK require it (with soft delete); a deleted vault and
        // its keys cannot be purged early, so a destroyed dev vault lingers for the retention
        // above and its name stays taken: the name's random suffix (state) differs on a redeploy.
        enablePurgeProtection: true,
        publicNetworkAccess: "Enabled",
        networkAcls: {
          defaultAction: args.openFirewall ? "Allow" : "Deny",
          bypass: "AzureServices",
        },
      },
      tags: scope.tags,
    },
    // "Once set, the retention policy interval cannot be changed" (Key Vault soft-delete overview,
    // MicrosoftDocs/azure-docs#110047): vaults created before the 7-day default keep their 90.
    {
      parent: scope.parent,
      protect: scope.protect,
      ignoreChanges: ["properties.softDeleteRetentionInDays"],
    },
  );
}

/**
 * An RSA key rotated yearly by Key Vault. Old versions stay enabled (the policy sets no expiry), so
 * a consumer pinned to a version keeps working after a rotation. Which reference each takes:
 * - disk encryption sets: a versioned URL (`desKey`), moved to each new version by the service;
 * - Azure Managed Redis and AKS KMS: a versioned URL/id (`keyUriWithVersion`, both APIs require
 *   one); they follow a rotation when a `refresh` then `up` picks up the new version;
 * - storage accounts: key name and vault URI without a version, which is how they auto-rotate.
 */
export function vaultKey(
  scope: Scope,
  role: string,
  args: { vault: keyvault.Vault; resourceGroupName: pulumi.Input<string>; keySize?: number },
): keyvault.Key {
  return new keyvault.Key(
    `${scope.name}-${role}-key`,
    {
      resourceGroupName: args.resourceGroupName,
      vaultName: args.vault.name,
      keyName: role,
      properties: {
        kty: "RSA",
        keySize: args.keySize ?? 3072,
        keyOps: ["wrapKey", "unwrapKey", "encrypt", "decrypt"],
        rotationPolicy: {
          lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } }],
        },
      },
      tags: scope.tags,
    },
    { parent: scope.parent, protect: scope.protect },
  );
}

/**
 * A disk encryption set's key: the versioned URL the API requires (a versionless one is refused),
 * with rotation to the latest version turned on, so Azure moves the set to each new version.
 */
export function desKey(
  key: keyvault.Key,
  vault: keyvault.Vault,
): {
  activeKey: { keyUrl: pulumi.Output<string>; sourceVault: { id: pulumi.Output<string> } };
  rotationToLatestKeyVersionEnabled: true;
} {
  return {
    activeKey: { keyUrl: key.keyUriWithVersion, sourceVault: { id: vault.id } },
    rotationToLatestKeyVersionEnabled: true,
  };
}

/**
 * After a rotation Azure rewrites the set's key URL to the new version; without this, an `up` after
 * a `refresh` would see a diff and could move the set back to the version the program last read.
 */
export const DES_IGNORE_CHANGES = ["activeKey.keyUrl"];

/**
 * The subnet private endpoints go into: the isolated database tier when the network has one,
 * else the private (node) tier. Azure subnets are regional: each tier is one subnet.
 */
export function endpointSubnetId(subnets: {
  databaseSubnetIds: pulumi.Output<string[]>;
  privateSubnetIds: pulumi.Output<string[]>;
}): pulumi.Output<string> {
  return pulumi
    .all([subnets.databaseSubnetIds, subnets.privateSubnetIds])
    .apply(([database, privateIds]) => (database.length > 0 ? database[0] : privateIds[0]));
}

export interface PrivateEndpointArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly networkId: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
  /** The resource behind the endpoint and its sub-resource (`blob`, `file`, `redisEnterprise`). */
  readonly targetId: pulumi.Input<string>;
  readonly groupId: string;
  /** The privatelink zone its name resolves in, e.g. `privatelink.blob.core.windows.net`. */
  readonly dnsZone: string;
  /** Application security groups the endpoint's NIC joins. */
  readonly applicationSecurityGroupIds?: pulumi.Input<string>[];
}

/**
 * A private endpoint for one sub-resource, with its privatelink DNS zone linked to the network so
 * the service's public name resolves to the private address inside it. `ready` is the last piece
 * (the endpoint's DNS record): clients inside the network reach the service once it exists.
 */
export function privateEndpoint(
  scope: Scope,
  role: string,
  args: PrivateEndpointArgs,
): { endpoint: network.PrivateEndpoint; ready: network.PrivateDnsZoneGroup } {
  const opts = { parent: scope.parent };
  const zone = new privatedns.PrivateZone(
    `${scope.name}-${role}-dns`,
    {
      resourceGroupName: args.resourceGroupName,
      privateZoneName: args.dnsZone,
      location: "global",
      tags: scope.tags,
    },
    opts,
  );
  new privatedns.VirtualNetworkLink(
    `${scope.name}-${role}-dns-link`,
    {
      resourceGroupName: args.resourceGroupName,
      privateZoneName: zone.name,
      virtualNetworkLinkName: `${scope.name}-${role}`,
      location: "global",
      virtualNetwork: { id: args.networkId },
      // Only the endpoint's own record lives here; VMs do not register themselves.
      registrationEnabled: false,
      tags: scope.tags,
    },
    opts,
  );
  const endpoint = new network.PrivateEndpoint(
    `${scope.name}-${role}-pe`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      privateEndpointName: `${scope.name}-${role}-pe`,
      subnet: { id: args.subnetId },
      privateLinkServiceConnections: [
        {
          name: `${scope.name}-${role}`,
          privateLinkServiceId: args.targetId,
          groupIds: [args.groupId],
        },
      ],
      applicationSecurityGroups: args.applicationSecurityGroupIds?.map((id) => ({ id })),
      tags: scope.tags,
    },
    opts,
  );
  const ready = new network.PrivateDnsZoneGroup(
    `${scope.name}-${role}-pe-dns`,
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [
        { name: args.dnsZone.replace(/\./g, "-"), privateDnsZoneId: zone.id },
      ],
    },
    opts,
  );
  return { endpoint, ready };
}
