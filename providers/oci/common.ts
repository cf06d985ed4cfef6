/**
 * Pieces every OCI layer shares: the settings (compartment, tenancy) every resource needs,
 * freeform tags, display names, availability domain names of the tenancy, a provider for IAM in
 * the home region, Vault keys with the service policies that let OCI services use them, and the
 * object storage namespace.
 */
import * as identity from "@pulumi/oci/identity";
import * as kms from "@pulumi/oci/kms";
import * as objectstorage from "@pulumi/oci/objectstorage";
import { Provider } from "@pulumi/oci/provider";
import * as pulumi from "@pulumi/pulumi";
import { propagationWait } from "../../components/propagation";
import { CommonArgs, OciSettings, Scope, Tags } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import { placementOf } from "./catalog";

/** The `officeless:oci` settings of a component's args; a component built without them fails first. */
export function ociSettings(args: CommonArgs): OciSettings {
  if (!args.oci) {
    const issue: Issue = {
      path: "oci",
      message: "is required on OCI (compartmentId, tenancyId)",
    };
    throw new ValidationError([issue], "args.", "Invalid OCI arguments");
  }
  return args.oci;
}

/**
 * Tags as OCI freeform tags: keys at most 100 characters without spaces or periods (replaced by
 * `_`), values at most 256.
 */
export function ociTags(tags: Tags): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags).map(([k, v]) => [k.replace(/[\s.]/g, "_").slice(0, 100), v.slice(0, 256)]),
  );
}

/** `${scope.name}-${role}`: display names are free text, not unique, changeable in place. */
export function displayName(scope: Scope, role: string): string {
  return `${scope.name}-${role}`;
}

/**
 * A DNS label (letters and digits, a letter first, at most 15): ForceNew on VCNs and subnets, so
 * it derives from the platform name only, which never changes for a stack.
 */
export function dnsLabel(text: string, max = 15): string {
  const clean = text.toLowerCase().replace(/[^a-z0-9]/g, "");
  return (/^[a-z]/.test(clean) ? clean : `o${clean}`).slice(0, max);
}

/**
 * The tenancy's full availability domain names of the configured zones. AD names carry a
 * tenancy-specific prefix (`Uocm:EU-FRANKFURT-1-AD-1`); the zones are their short names, so the
 * full ones are looked up once per layer.
 */
export function availabilityDomainNames(
  scope: Scope,
  settings: OciSettings,
  region: string,
  zones: readonly string[],
): pulumi.Output<string[]> {
  const ads = identity.getAvailabilityDomainsOutput(
    { compartmentId: settings.tenancyId },
    { parent: scope.parent },
  );
  return ads.availabilityDomains.apply((list) =>
    zones.map((zone) => {
      const short = placementOf(region, zone).ad;
      const found = list.find((ad) => ad.name === short || ad.name.endsWith(`:${short}`));
      if (!found)
        throw new Error(
          `availability domain ${short} not found in the tenancy's ${region} (got ${list.map((ad) => ad.name).join(", ")})`,
        );
      return found.name;
    }),
  );
}

/**
 * Options for IAM resources (users, groups, dynamic groups, policies): IAM is written in the
 * tenancy's home region only, so outside it they go through a provider for the home region.
 */
export function iamOptions(
  scope: Scope,
  settings: OciSettings,
  region: string,
): pulumi.CustomResourceOptions {
  if (!settings.homeRegion || settings.homeRegion === region) return { parent: scope.parent };
  const home = new Provider(
    `${scope.name}-home-region`,
    { region: settings.homeRegion },
    { parent: scope.parent },
  );
  return { parent: scope.parent, provider: home };
}

/** `compartment id <ocid>`: where the platform's policies apply. */
export function inCompartment(settings: OciSettings): string {
  return `compartment id ${settings.compartmentId}`;
}

export interface VaultKey {
  readonly vault: kms.Vault;
  readonly key: kms.Key;
}

/**
 * A Vault (DEFAULT: shared HSM, no charge) and an AES-256 HSM key, both protected in prod. Deleting either only schedules it (7 to 30 days): a dev stack's destroy
 * leaves them pending deletion, which OCI finishes by itself.
 */
export function vaultKey(scope: Scope, role: string, settings: OciSettings): VaultKey {
  const opts = { parent: scope.parent, protect: scope.protect };
  const freeformTags = ociTags(scope.tags);
  const vault = new kms.Vault(
    `${scope.name}-${role}-vault`,
    {
      compartmentId: settings.compartmentId,
      displayName: displayName(scope, `${role}-vault`),
      vaultType: "DEFAULT",
      freeformTags,
    },
    opts,
  );
  const key = new kms.Key(
    `${scope.name}-${role}-key`,
    {
      compartmentId: settings.compartmentId,
      displayName: displayName(scope, `${role}-key`),
      managementEndpoint: vault.managementEndpoint,
      keyShape: { algorithm: "AES", length: 32 },
      protectionMode: "HSM",
      freeformTags,
    },
    opts,
  );
  return { vault, key };
}

/**
 * A policy of the platform in its compartment. Policies are IAM: they go to the home region
 * (`iamOptions`). Statements take effect within seconds in that region but are eventually
 * consistent, so resources that need them depend on what this returns: the policy, or outside the
 * home region a wait after it.
 */
export function policy(
  scope: Scope,
  role: string,
  settings: OciSettings,
  iam: pulumi.CustomResourceOptions,
  description: string,
  statements: pulumi.Input<pulumi.Input<string>[]>,
): pulumi.Resource {
  const grant = new identity.Policy(
    `${scope.name}-${role}-policy`,
    {
      compartmentId: settings.compartmentId,
      description,
      statements,
      freeformTags: ociTags(scope.tags),
    },
    iam,
  );
  if (!iam.provider) return grant;
  // Written in the home region: OCI says other regions may see an IAM change only "several
  // minutes" later, so what uses the grant waits (again only when its statements change).
  return propagationWait(
    `${scope.name}-${role}-policy-propagation`,
    CROSS_REGION_IAM_SECONDS,
    [grant.id, grant.statements],
    { parent: scope.parent, dependsOn: [grant] },
  );
}

/** How long a grant written in the home region is given to reach the deployment's region. */
export const CROSS_REGION_IAM_SECONDS = 300;

/** `where target.key.id = '<key>'`: a statement limited to one key. */
export function onKey(key: kms.Key): pulumi.Output<string> {
  return pulumi.interpolate`where target.key.id = '${key.id}'`;
}

/** The tenancy's Object Storage namespace (bucket names and the S3 endpoint need it). */
export function objectStorageNamespace(scope: Scope, settings: OciSettings): pulumi.Output<string> {
  return objectstorage.getNamespaceOutput(
    { compartmentId: settings.compartmentId },
    { parent: scope.parent },
  ).namespace;
}
