/**
 * A wait for an eventually consistent control plane (IAM grants that other services or regions
 * see minutes later): a local `sleep` that runs when created and again only when one of its
 * triggers changes, so routine runs do not wait. `sleep` is on every Linux and macOS runner.
 */
import * as local from "@pulumi/command/local";
import * as pulumi from "@pulumi/pulumi";

export function propagationWait(
  name: string,
  seconds: number,
  triggers: pulumi.Input<unknown>[],
  opts: pulumi.CustomResourceOptions,
): local.Command {
  return new local.Command(name, { create: `sleep ${seconds}`, triggers }, opts);
}
