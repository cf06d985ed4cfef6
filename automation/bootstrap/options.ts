/** Options shared by every cloud's state store. */
import * as pulumi from "@pulumi/pulumi";

/**
 * Options of the stateful resources (bucket, key, vault): protected, and kept in the cloud even if
 * the program ever stops declaring them. `--destroy` (only after the bucket was found empty of
 * stacks) first runs an update with both off, then destroys.
 */
export function storeOptions(
  parent: pulumi.Resource,
  destroying = false,
): pulumi.CustomResourceOptions {
  return { parent, protect: !destroying, retainOnDelete: !destroying };
}

/**
 * Options of the secrets key and what reaches it (alias, key ring, vault and its resource group,
 * the deployer's grants on it): protected, and kept in the cloud by `--destroy` too. Stacks moved
 * to another backend keep `secretsprovider` and `encryptedkey` in their `Pulumi.<stack>.yaml`,
 * still pointing at this key; deleting it would make their secrets unreadable once the cloud's
 * deletion window ends. The user deletes it once no stack uses it.
 */
export function keptOptions(
  parent: pulumi.Resource,
  destroying = false,
): pulumi.CustomResourceOptions {
  return { parent, protect: !destroying, retainOnDelete: true };
}

/**
 * The names carry the account (project, subscription) the cloud CLI reported before the run;
 * the provider's credentials must be for the same one, or nothing is created.
 */
export function sameAccount(
  what: "AWS account" | "Azure subscription",
  actual: string,
  expected: string,
): string {
  if (actual !== expected)
    throw new pulumi.RunError(
      `the credentials are for ${what} ${actual}, but bootstrap was started for ${expected} (the names derive from it): log in to ${expected}, or run it again`,
    );
  return actual;
}
