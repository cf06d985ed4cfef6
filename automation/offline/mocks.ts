/**
 * Pulumi mocks that record every registered resource with its inputs and options, and answer with
 * plausible computed outputs (ids, ARNs, endpoints) so downstream wiring runs as it would for real.
 * Used by the offline plan and by every unit test: one source of truth for what "under mocks" means.
 */
import * as pulumi from "@pulumi/pulumi";
import { MOCK_ACCOUNT_ID } from "./clouds/aws";
import { cloudMocksFor } from "./clouds";
import { shortHash } from "./clouds/common";

/** The id the mocks give a resource: its logical name and `-id` (the policy adapter resolves references by it). */
export function mockIdOf(name: string): string {
  return `${name}-id`;
}

export interface RecordedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  dependsOn: string[];
  /** Replacement deletes the old resource first (singletons whose id is their parent's). */
  deleteBeforeReplace: boolean;
  /** The provider reference (`<urn>::<id>`), empty for the default provider. */
  provider: string;
  /** Names (or URNs) of the resource's aliases, when it has any. */
  aliases?: string[];
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
  /** The account's zones as `aws.getAvailabilityZones` reports them (default: mockZones). */
  availabilityZones?: { names: string[]; zoneIds: string[] };
}

export { MOCK_ACCOUNT_ID, mockZones } from "./clouds/aws";
export {
  MOCK_AZURE_OBJECT_ID,
  MOCK_AZURE_SUBSCRIPTION_ID,
  MOCK_AZURE_TENANT_ID,
} from "./clouds/azure";
export { MOCK_GCP_PROJECT, MOCK_GCP_PROJECT_NUMBER } from "./clouds/gcp";

/** A PEM block whose body names the resource (not a real key or certificate). */
function mockPem(label: string, name: string): string {
  const body = Buffer.from(`mock ${label.toLowerCase()} of ${name}`).toString("base64");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** Computed outputs: the resource's cloud first, then the cloud-neutral providers. */
function computedOutputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
): Record<string, unknown> {
  const fromCloud = cloudMocksFor(type)?.outputs(type, name, inputs, region);
  if (fromCloud) return fromCloud;
  const physical = (inputs.name as string) ?? name;
  switch (type) {
    case "random:index/randomString:RandomString":
      return {
        result: shortHash(name)
          .toLowerCase()
          .repeat(4)
          .slice(0, Number(inputs.length ?? 8)),
      };
    case "random:index/randomPassword:RandomPassword":
      return { result: `mock-${shortHash(name)}-password-0123456789abcdef` };
    // The tls provider's keys and certificates: PEM-shaped placeholders named after the resource.
    case "tls:index/privateKey:PrivateKey":
      return {
        privateKeyPem: mockPem("PRIVATE KEY", name),
        publicKeyPem: mockPem("PUBLIC KEY", name),
      };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: mockPem("CERTIFICATE REQUEST", name) };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: mockPem("CERTIFICATE", name), readyForRenewal: false };
    case "kubernetes:helm.sh/v3:Release":
      return {
        name: inputs.name ?? physical,
        namespace: inputs.namespace ?? "default",
        status: { status: "deployed" },
      };
    case "kubernetes:core/v1:Secret":
      // A Secret read by id (no data of its own): an S3 key pair, as Rook writes into an
      // ObjectBucketClaim's Secret (on-prem observability reads them).
      return inputs.data || inputs.stringData
        ? {}
        : {
            data: {
              AWS_ACCESS_KEY_ID: Buffer.from(`MOCK${shortHash(name).toUpperCase()}`).toString(
                "base64",
              ),
              AWS_SECRET_ACCESS_KEY: Buffer.from(`mock-${shortHash(name)}-secret`).toString(
                "base64",
              ),
            },
          };
    default:
      return {};
  }
}

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
    const id = mockIdOf(args.name);
    const arnService = args.type.split(":")[1]?.split("/")[0] ?? "resource";
    // AWS resources may name their own region (provider v7's per-resource `region`, e.g. replicas).
    const region =
      args.type.startsWith("aws:") && typeof inputs.region === "string"
        ? inputs.region
        : this.region;
    const state = {
      ...inputs,
      id,
      arn: `arn:aws:${arnService}:${region}:${MOCK_ACCOUNT_ID}:${args.name}`,
      ...computedOutputs(args.type, args.name, inputs as Record<string, any>, region),
    };
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const invoke = cloudMocksFor(args.token)?.invokes[args.token];
    if (!invoke) {
      throw new Error(
        `offline plan: invoke ${args.token} is not mocked; add it to its cloud's automation/offline/clouds/<cloud>.ts`,
      );
    }
    return invoke(args.inputs, this.region, this.settings);
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
 * options (protect, retainOnDelete, ignoreChanges, dependsOn, deleteBeforeReplace, provider,
 * parent) are recorded too: the SDK's
 * mock interface only passes inputs.
 */
export async function installMocks(settings: MockSettings = {}): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(settings);
  // "organization" is what the Pulumi CLI reports for self-managed (DIY) backends.
  await pulumi.runtime.setMocks(
    mocks,
    settings.project ?? "officeless",
    settings.stack ?? "test",
    settings.preview ?? false,
    "organization",
  );
  const monitor = (pulumi.runtime as any).getMonitor();
  // Registered resources carry options; read resources (StackReferences, `get`s) carry only their
  // inputs and dependencies.
  const aliasesOf = (req: any): string[] =>
    (req.getAliasesList?.() ?? []).map((a: any) =>
      a.hasSpec?.() ? a.getSpec().getName() : a.getUrn(),
    );
  const record = (req: any, urn: string, inputs: any, custom: boolean, withOptions: boolean) => {
    const aliases = withOptions ? aliasesOf(req) : [];
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
        // Reads (`Resource.get`) carry their dependencies too: what they must wait for.
        dependsOn: req.getDependenciesList?.() ?? [],
        deleteBeforeReplace: withOptions && req.getDeletebeforereplace() === true,
        provider: (withOptions && req.getProvider()) || "",
        ...(aliases.length > 0 ? { aliases } : {}),
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
