/**
 * Pulumi mocks that record every registered resource with its inputs and options, and answer with
 * plausible computed outputs (ids, ARNs, endpoints) so downstream wiring runs as it would for real.
 * Used by the offline plan and by every unit test: one source of truth for what "under mocks" means.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  dependsOn: string[];
}

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  options: RecordedOptions;
}

export interface MockSettings {
  project?: string;
  stack?: string;
  /** Outputs returned for a StackReference, keyed by the referenced stack's full name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Names of outputs per referenced stack that are secrets. */
  stackSecretOutputs?: Record<string, string[]>;
  /** Region the mocked AWS invokes report. */
  region?: string;
  /** Run as a preview (dry run). Default false so apply callbacks run. */
  preview?: boolean;
}

const ACCOUNT_ID = "123456789012";

/** A fixed, recognisable fake account id used by all mocked ARNs. */
export const MOCK_ACCOUNT_ID = ACCOUNT_ID;

function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** Computed outputs for resource types whose downstream consumers read more than their inputs. */
function computedOutputs(type: string, name: string, inputs: Record<string, any>, region: string): Record<string, unknown> {
  const physical = (inputs.name as string) ?? name;
  switch (type) {
    case "aws:eks/cluster:Cluster": {
      const id = shortHash(name);
      return {
        name: physical,
        endpoint: `https://${id}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`mock-ca-${name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` }] }],
        vpcConfig: { ...(inputs.vpcConfig ?? {}), clusterSecurityGroupId: `sg-${id.toLowerCase()}cluster` },
        version: inputs.version ?? "1.33",
      };
    }
    case "aws:ec2/eip:Eip":
      return {
        publicIp: `203.0.113.${(parseInt(shortHash(name), 16) % 250) + 1}`,
        allocationId: `eipalloc-${shortHash(name).toLowerCase()}`,
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      return {
        primaryEndpointAddress: `master.${physical}.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${physical}.cache.amazonaws.com`,
        port: inputs.port ?? 6379,
      };
    case "aws:ec2/vpnConnection:VpnConnection":
      return {
        tunnel1Address: "198.51.100.10",
        tunnel2Address: "198.51.100.11",
        tunnel1PresharedKey: inputs.tunnel1PresharedKey ?? `mock-psk1-${shortHash(name)}`,
        tunnel2PresharedKey: inputs.tunnel2PresharedKey ?? `mock-psk2-${shortHash(name)}`,
      };
    // Autonamed `name`s that other resources reference (a vault by its plan, a subnet group by its cache).
    case "aws:backup/vault:Vault":
    case "aws:elasticache/subnetGroup:SubnetGroup":
      return { name: physical };
    case "aws:s3/bucket:Bucket":
      return { bucket: inputs.bucket ?? physical };
    case "random:index/randomPassword:RandomPassword":
      return { result: `mock-${shortHash(name)}-password-0123456789abcdef` };
    case "kubernetes:helm.sh/v3:Release":
      return { name: inputs.name ?? physical, namespace: inputs.namespace ?? "default", status: { status: "deployed" } };
    default:
      return {};
  }
}

const INVOKES: Record<string, (inputs: any, region: string) => Record<string, unknown>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/officeless-plan`,
    userId: "AIDAOFFICELESSPLAN",
    id: ACCOUNT_ID,
  }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
  "aws:index/getRegion:getRegion": (_i, region) => ({ name: region, region, id: region }),
};

/** Mocks that record what a program registers. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  public readonly resources: RecordedResource[] = [];

  constructor(private readonly settings: MockSettings = {}) {}

  private get region(): string {
    return this.settings.region ?? "us-east-1";
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    if (args.type === "pulumi:pulumi:StackReference") {
      const stackName = String(inputs.name ?? args.name);
      const outputs = this.settings.stackOutputs?.[stackName];
      if (!outputs) {
        throw new Error(`offline plan: no outputs recorded for upstream stack "${stackName}"`);
      }
      const secretNames = this.settings.stackSecretOutputs?.[stackName] ?? [];
      return { id: stackName, state: { name: stackName, outputs, secretOutputNames: secretNames } };
    }
    const id = `${args.name}-id`;
    const arnService = args.type.split(":")[1]?.split("/")[0] ?? "resource";
    const state = {
      ...inputs,
      id,
      arn: `arn:aws:${arnService}:${this.region}:${ACCOUNT_ID}:${args.name}`,
      ...computedOutputs(args.type, args.name, inputs as Record<string, any>, this.region),
    };
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const invoke = INVOKES[args.token];
    if (!invoke) {
      throw new Error(`offline plan: invoke ${args.token} is not mocked; add it to automation/offline/mocks.ts`);
    }
    return invoke(args.inputs, this.region);
  }

  /** Resources of a type, optionally filtered by logical name. */
  byType(type: string, name?: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  }
}

/** Special signature keys of Pulumi's wire format. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG_RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The secret placeholder: secret values never appear in recorded inputs or plans. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Wire-format value to plain JSON: secrets become "[secret]", resource references their URN. */
export function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValue);
  if (value === UNKNOWN) return "[unknown]";
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SIG_SECRET) return SECRET_PLACEHOLDER;
    if (obj[SIG_KEY] === SIG_RESOURCE) return obj.urn;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = plainValue(v);
    return out;
  }
  return value;
}

/**
 * Installs the mocks for one program run and patches the mock monitor so each registration's
 * options (protect, retainOnDelete, ignoreChanges, dependsOn, parent) are recorded too: the SDK's
 * mock interface only passes inputs.
 */
export async function installMocks(settings: MockSettings = {}): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(settings);
  // "organization" is what the Pulumi CLI reports for self-managed (DIY) backends.
  await pulumi.runtime.setMocks(mocks, settings.project ?? "officeless", settings.stack ?? "test", settings.preview ?? false, "organization");
  const monitor = (pulumi.runtime as any).getMonitor();
  // Registered resources carry options; read resources (StackReferences) carry only their inputs.
  const record = (req: any, urn: string, inputs: any, custom: boolean, withOptions: boolean) => {
    mocks.resources.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() ?? "",
      custom,
      inputs: plainValue(inputs?.toJavaScript() ?? {}) as Record<string, unknown>,
      options: {
        protect: withOptions && req.getProtect() === true,
        retainOnDelete: withOptions && req.getRetainondelete() === true,
        ignoreChanges: withOptions ? (req.getIgnorechangesList() ?? []) : [],
        dependsOn: withOptions ? (req.getDependenciesList() ?? []) : [],
      },
    });
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
    register(req, (err: any, resp: any) => {
      if (!err && resp) record(req, resp.getUrn(), req.getObject(), req.getCustom(), true);
      callback(err, resp);
    });
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req: any, callback: (err: any, resp: any) => void) =>
    read(req, (err: any, resp: any) => {
      if (!err && resp) record(req, resp.getUrn(), req.getProperties(), true, false);
      callback(err, resp);
    });
  return mocks;
}
