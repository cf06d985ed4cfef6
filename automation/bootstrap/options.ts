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
