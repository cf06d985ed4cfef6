/**
 * The bootstrap program: one cloud's state store, as an inline Pulumi program (the Automation API
 * runs it for real; the offline plan runs it under mocks). Only the chosen cloud's SDK is loaded.
 */
import type { AzurePrincipalType } from "./names";
import * as pulumi from "@pulumi/pulumi";
import { BootstrapNames, bootstrapNames, BootstrapTarget, bootstrapUrls } from "./names";

export interface BootstrapProgramOptions {
  readonly target: BootstrapTarget;
  /** Days old versions of state objects are kept. */
  readonly retentionDays: number;
  /** AWS: an existing IAM role the access policy is attached to. */
  readonly role?: string;
  /** GCP: an IAM member granted the bucket and secrets-key roles. */
  readonly member?: string;
  /** Azure: the deploying identity's object id. @default the identity running bootstrap */
  readonly principalId?: string;
  /** Azure: whether that identity is a user, a service principal or a group. @default User */
  readonly principalType?: AzurePrincipalType;
  /** Azure: what the identity running bootstrap is. @default principalType */
  readonly callerType?: AzurePrincipalType;
  /** `--destroy`'s first step: protection off (only after the bucket was found empty of stacks). */
  readonly destroying?: boolean;
}

/** What the program exports: the URLs, and where they point. */
export type BootstrapOutputs = {
  readonly backendUrl: string;
  /** Azure: pinned to the key's version, so an Output. */
  readonly secretsProvider: string | pulumi.Output<string>;
  readonly bucket: pulumi.Output<string>;
  /** AWS: the access policy's ARN and document. */
  readonly accessPolicyArn?: pulumi.Output<string>;
  readonly accessPolicy?: pulumi.Output<string>;
};

/** The component's logical name: fixed, so a rename never replaces a user's state bucket. */
export const STORE_NAME = "state";

/** The inline program for a target. */
export function bootstrapProgram(o: BootstrapProgramOptions): () => Promise<BootstrapOutputs> {
  return async () => {
    const names: BootstrapNames = bootstrapNames(o.target);
    const urls = bootstrapUrls(o.target, names);
    const common = { target: o.target, names, retentionDays: o.retentionDays };
    switch (o.target.cloud) {
      case "aws": {
        const { AwsStateStore } = await import("./aws");
        const store = new AwsStateStore(STORE_NAME, {
          ...common,
          role: o.role,
          destroying: o.destroying,
        });
        return {
          ...urls,
          bucket: store.bucket.bucket,
          accessPolicyArn: store.accessPolicy.arn,
          accessPolicy: store.policyDocument,
        };
      }
      case "gcp": {
        const { GcpStateStore } = await import("./gcp");
        const store = new GcpStateStore(STORE_NAME, {
          ...common,
          member: o.member,
          destroying: o.destroying,
        });
        return { ...urls, bucket: store.bucket.name };
      }
      case "azure": {
        const { AzureStateStore } = await import("./azure");
        const store = new AzureStateStore(STORE_NAME, {
          ...common,
          principalId: o.principalId,
          principalType: o.principalType ?? "User",
          callerType: o.callerType,
          destroying: o.destroying,
        });
        return { ...urls, secretsProvider: store.secretsProvider, bucket: store.container.name };
      }
    }
  };
}

/** Provider config the program's stack needs (the region the default provider works in). */
export function providerConfig(t: BootstrapTarget): Record<string, string> {
  switch (t.cloud) {
    case "aws":
      return { "aws:region": t.region };
    case "gcp":
      return { "gcp:project": t.account, "gcp:region": t.region };
    case "azure":
      return { "azure-native:location": t.region, "azure-native:subscriptionId": t.account };
  }
}
