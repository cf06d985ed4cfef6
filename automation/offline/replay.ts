/**
 * The SDK's floor for an offline plan: the plan's own resources replayed on the provider SDKs' bare
 * resource classes, with the same types, names, parents, providers and inputs, under the same mocks
 * and StackReference outputs, and none of the project's code (no config parsing, no components'
 * logic, no values builders). What a plan costs beyond this is the project's own overhead
 * (bench/plan.ts). It doubles as a check: an SDK constructor that refuses the recorded inputs
 * (a required input left unset because the mocks never resolved the output feeding it) is reported.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "./mocks";
import type { PlannedResource, PlannedStack } from "./plan";

type Ctor = new (
  name: string,
  args: unknown,
  opts: pulumi.CustomResourceOptions,
) => pulumi.Resource;

/** Kubernetes API groups as the SDK names its folders (`storage.k8s.io` -> `storage`, `helm.sh` -> `helm`). */
const k8sFolder = (group: string) => group.split(".")[0];

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The SDK module file a type token's class lives in: `aws:ec2/vpc:Vpc` -> `@pulumi/aws/ec2/vpc`,
 * `random:index/randomPassword:RandomPassword` -> `@pulumi/random/randomPassword`,
 * `azure-native:network:Subnet` -> `@pulumi/azure-native/network/subnet`,
 * `kubernetes:helm.sh/v3:Release` -> `@pulumi/kubernetes/helm/v3/release`,
 * `pulumi:providers:aws` -> `@pulumi/aws/provider`, `oci:ContainerEngine/nodePool:NodePool` ->
 * `@pulumi/oci/containerengine/nodePool` (OCI's module tokens are capitalised, its folders not).
 * Undefined for tokens no SDK defines.
 */
export function sdkModuleOf(type: string): { module: string; exportName: string } | undefined {
  const [pkg, mod, name] = type.split(":");
  if (!pkg || !mod || !name) return undefined;
  if (pkg === "pulumi") {
    return mod === "providers"
      ? { module: `@pulumi/${name}/provider`, exportName: "Provider" }
      : undefined;
  }
  if (pkg === "kubernetes") {
    const [group, version] = mod.split("/");
    return {
      module: `@pulumi/kubernetes/${k8sFolder(group)}/${version}/${lowerFirst(name)}`,
      exportName: name,
    };
  }
  const [folder, file] = mod.includes("/") ? mod.split("/") : [mod, lowerFirst(name)];
  return {
    module: `@pulumi/${pkg}/${folder === "index" ? "" : `${folder.toLowerCase()}/`}${file}`,
    exportName: name,
  };
}

const classes = new Map<string, Ctor | undefined>();

/** The SDK class of a type token, or undefined (the project's own bindings, CRDs, components). */
function sdkClass(type: string): Ctor | undefined {
  if (classes.has(type)) return classes.get(type);
  const where = sdkModuleOf(type);
  let ctor: Ctor | undefined;
  if (where) {
    try {
      ctor = require(where.module)[where.exportName] as Ctor | undefined;
    } catch {
      ctor = undefined;
    }
  }
  classes.set(type, ctor);
  return ctor;
}

class BareComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
  }
}

class BareCustom extends pulumi.CustomResource {
  constructor(
    type: string,
    name: string,
    inputs: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions,
  ) {
    super(type, name, inputs, opts);
  }
}

function construct(
  Sdk: Ctor,
  r: PlannedResource,
  opts: pulumi.CustomResourceOptions,
  refused: string[],
): pulumi.Resource {
  try {
    return new Sdk(r.name, r.inputs, opts);
  } catch (err) {
    refused.push(`${r.type} ${r.name}: ${(err as Error).message}`);
    return new BareCustom(r.type, r.name, r.inputs, opts);
  }
}

/** Thrown by the probe options once a constructor has passed its input checks. */
const PASSED = Symbol("passed the constructor's input checks");

/**
 * Resource options that let a generated SDK constructor run its required-input checks (which read
 * only `id` and `urn`) and stop it at the first other read, before anything is registered.
 */
const probeOptions = new Proxy({} as pulumi.CustomResourceOptions, {
  get: (_t, prop) => {
    if (prop === "id" || prop === "urn") return undefined;
    throw PASSED;
  },
  ownKeys: () => {
    throw PASSED;
  },
});

/**
 * The resources whose SDK class refuses their recorded inputs, as `<type> <name>: <error>`,
 * without registering anything: the check `replay` makes, at a fraction of its cost.
 */
export function refusedInputs(resources: readonly PlannedResource[]): string[] {
  const refused: string[] = [];
  for (const r of resources) {
    if (!r.custom || r.type === "pulumi:pulumi:StackReference") continue;
    const Sdk = sdkClass(r.type);
    if (!Sdk) continue;
    try {
      new Sdk(r.name, r.inputs, probeOptions);
      refused.push(`${r.type} ${r.name}: the constructor never read its options (probe failed)`);
    } catch (err) {
      if (err !== PASSED) refused.push(`${r.type} ${r.name}: ${(err as Error).message}`);
    }
  }
  return refused;
}

export interface ReplayResult {
  /** Resources the mocks recorded. */
  readonly resources: number;
  /** `<type> <name>: <error>` for each resource whose SDK constructor refused its recorded inputs. */
  readonly refused: string[];
}

/** Replays every layer stack of a plan, each in its own mock session; returns the resources recorded. */
export async function replay(stacks: readonly PlannedStack[]): Promise<ReplayResult> {
  const outputsByStack = new Map(stacks.map((s) => [s.name, s.outputs]));
  let total = 0;
  const refused: string[] = [];
  for (const stack of stacks) {
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    for (const r of stack.resources) {
      if (r.type !== "pulumi:pulumi:StackReference") continue;
      const full = String(r.inputs.name ?? r.name);
      stackOutputs[full] = outputsByStack.get(full.split("/").pop()!) ?? {};
    }
    const mocks = await installMocks({ stack: stack.name, stackOutputs });
    const byUrn = new Map<string, pulumi.Resource>();
    for (const r of stack.resources) {
      const parent = r.parent ? byUrn.get(r.parent) : undefined;
      const providerUrn = r.options.provider
        ? r.options.provider.split("::").slice(0, -1).join("::")
        : "";
      const provider = providerUrn
        ? (byUrn.get(providerUrn) as pulumi.ProviderResource)
        : undefined;
      let made: pulumi.Resource;
      if (r.type === "pulumi:pulumi:StackReference") {
        made = new pulumi.StackReference(
          r.name,
          { name: String(r.inputs.name ?? r.name) },
          { parent },
        );
      } else if (!r.custom) {
        made = new BareComponent(r.type, r.name, { parent, ...(provider ? { provider } : {}) });
      } else {
        const Sdk = sdkClass(r.type);
        const opts: pulumi.CustomResourceOptions = { parent, ...(provider ? { provider } : {}) };
        made = Sdk
          ? construct(Sdk, r, opts, refused)
          : new BareCustom(r.type, r.name, r.inputs, opts);
      }
      byUrn.set(r.urn, made);
    }
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    total += mocks.resources.length;
  }
  return { resources: total, refused };
}
