/**
 * Thin typed bindings to Pulumi providers whose Node.js SDK cannot be installed from npm (Huawei
 * Cloud, Volcengine). A binding is a runtime descriptor (type token, every input with its schema type
 * and whether it is required, the outputs, the secrets); the `Args` and output types are derived from
 * it, and the resource class registers exactly what it describes. One descriptor is therefore both what
 * the compiler checks the call sites against and what tests/sdks/conformance.ts checks against the
 * provider's schema facts: the two cannot drift apart the way a hand-written interface and a separate
 * list of names would, and the checker needs no TypeScript parser.
 *
 * Registration mirrors a generated SDK: required inputs are checked, secret inputs wrapped in
 * `pulumi.secret`, output-only properties registered as `undefined` so the engine fills them, secret
 * outputs listed in `additionalSecretOutputs`, and the plugin `version` / `pluginDownloadURL` passed
 * as resource options (what `utilities.resourceOptsDefaults()` does), so `pulumi up` installs the
 * provider plugin on first use.
 */
import * as pulumi from "@pulumi/pulumi";

// ---- schema types -------------------------------------------------------------------------------

export type ScalarKind = "string" | "integer" | "number" | "boolean" | "any";

/** One property: its schema type, and whether the schema requires it / the binding treats it as secret. */
export type Spec =
  | { readonly kind: ScalarKind; readonly required?: true; readonly secret?: true }
  | {
      readonly kind: "array" | "map";
      readonly items: Spec;
      readonly required?: true;
      readonly secret?: true;
    }
  | {
      readonly kind: "object";
      readonly token: string;
      readonly props: Props;
      readonly required?: true;
      readonly secret?: true;
    };

export type Props = { readonly [name: string]: Spec };

/** Builders: `t.string`, `t.array(t.string)`, `t.object(token, {...})`, `req(t.string)`. */
export const t = {
  string: { kind: "string" },
  integer: { kind: "integer" },
  number: { kind: "number" },
  boolean: { kind: "boolean" },
  any: { kind: "any" },
  array: <const S extends Spec>(items: S) => ({ kind: "array", items }) as const,
  map: <const S extends Spec>(items: S) => ({ kind: "map", items }) as const,
  object: <const P extends Props>(token: string, props: P) =>
    ({ kind: "object", token, props }) as const,
} as const;

/** Required in the schema (a binding may also require what the schema leaves optional). */
export const req = <const S extends Spec>(spec: S): S & { readonly required: true } => ({
  ...spec,
  required: true,
});

/** Secret: wrapped in `pulumi.secret` as an input, listed in `additionalSecretOutputs` as an output. */
export const secret = <const S extends Spec>(spec: S): S & { readonly secret: true } => ({
  ...spec,
  secret: true,
});

// ---- derived TypeScript types -------------------------------------------------------------------

/** The plain (resolved) value of a spec. */
export type Plain<S> = S extends { kind: "string" }
  ? string
  : S extends { kind: "integer" | "number" }
    ? number
    : S extends { kind: "boolean" }
      ? boolean
      : S extends { kind: "array"; items: infer I }
        ? Plain<I>[]
        : S extends { kind: "map"; items: infer I }
          ? Record<string, Plain<I>>
          : S extends { kind: "object"; props: infer P }
            ? { [K in keyof P]?: Plain<P[K]> }
            : unknown;

/** The input form of a spec, `pulumi.Input` at every level as generated SDKs type them. */
export type In<S> = pulumi.Input<
  S extends { kind: "array"; items: infer I }
    ? In<I>[]
    : S extends { kind: "map"; items: infer I }
      ? Record<string, In<I>>
      : S extends { kind: "object"; props: infer P }
        ? ArgsOf<P>
        : Plain<S>
>;

type RequiredKeys<P> = { [K in keyof P]: P[K] extends { required: true } ? K : never }[keyof P];

/** An `Args` interface: required properties required, the others optional. */
export type ArgsOf<P> = { [K in RequiredKeys<P>]: In<P[K]> } & {
  [K in Exclude<keyof P, RequiredKeys<P>>]?: In<P[K]>;
};

// ---- packages, resources, providers -------------------------------------------------------------

/** The provider plugin a binding's resources are served by. */
export interface PluginPackage {
  /** Package name: the token prefix and the `pulumi:providers:<name>` provider type. */
  readonly name: string;
  /** Plugin version, without `v`. */
  readonly version: string;
  /** Where the CLI downloads the plugin from (`${VERSION}` is expanded by the CLI). */
  readonly pluginDownloadURL: string;
}

export interface ResourceDescriptor {
  readonly token: string;
  readonly inputs: Props;
  /** Output-only properties (every input is also an output). */
  readonly outputs: Props;
}

export interface ProviderDescriptor {
  /** Provider config inputs; `jsonEncoded` ones are sent as JSON strings like a generated SDK does. */
  readonly inputs: Props;
  readonly jsonEncoded: readonly string[];
  /**
   * Environment variables the binding reads for an unset input, first set wins, as a generated SDK
   * does where the schema has `defaultInfo` (Volcengine). Leave out where the plugin reads them
   * itself (Huawei).
   */
  readonly env?: Readonly<Record<string, readonly string[]>>;
}

/** Everything a package's conformance test checks: filled as the binding modules load. */
export interface BindingSet {
  readonly pkg: PluginPackage;
  readonly resources: Map<string, ResourceDescriptor>;
  /** Data sources (invokes): the same shape, inputs and the outputs read. */
  readonly functions: Map<string, ResourceDescriptor>;
  provider?: ProviderDescriptor;
}

const SETS = new Map<string, BindingSet>();

/** The bindings registered for a package so far (import the package's index first). */
export function bindingSet(pkg: PluginPackage): BindingSet {
  let set = SETS.get(pkg.name);
  if (!set) {
    set = { pkg, resources: new Map(), functions: new Map() };
    SETS.set(pkg.name, set);
  } else if (set.pkg !== pkg) {
    throw new Error(`Two binding packages are named "${pkg.name}".`);
  }
  return set;
}

/** `version` and `pluginDownloadURL` first, so a caller's options win as with a generated SDK. */
function pluginOptions<O extends pulumi.ResourceOptions>(pkg: PluginPackage, opts?: O): O {
  return pulumi.mergeOptions(
    { version: pkg.version, pluginDownloadURL: pkg.pluginDownloadURL },
    opts,
  ) as O;
}

/** Names of the secret properties of a descriptor's top level. */
function secretNames(props: Props): string[] {
  return Object.entries(props)
    .filter(([, spec]) => spec.secret)
    .map(([name]) => name);
}

/** The `Args` of a bound resource class: `Args<typeof vpc.Subnet>`. */
export type Args<C extends { readonly descriptor: ResourceDescriptor }> = ArgsOf<
  C["descriptor"]["inputs"]
>;

/** Every property a resource exposes: its inputs and its output-only properties. */
export type ResourceProps<D extends ResourceDescriptor> = D["inputs"] & D["outputs"];

/** An instance: a CustomResource whose every declared property is a typed Output. */
export type BoundResource<D extends ResourceDescriptor> = pulumi.CustomResource & {
  readonly [K in keyof ResourceProps<D>]: pulumi.Output<Plain<ResourceProps<D>[K]>>;
};

export interface BoundResourceClass<D extends ResourceDescriptor> {
  new (
    name: string,
    args: ArgsOf<D["inputs"]>,
    opts?: pulumi.CustomResourceOptions,
  ): BoundResource<D>;
  /** Adopts an existing resource's state by id, as generated SDKs' `get`. */
  get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts?: pulumi.CustomResourceOptions,
  ): BoundResource<D>;
  isInstance(obj: unknown): obj is BoundResource<D>;
  readonly descriptor: D;
}

/** Defines a resource class for `descriptor`, served by `pkg`'s plugin. */
export function defineResource<const D extends ResourceDescriptor>(
  pkg: PluginPackage,
  descriptor: D,
): BoundResourceClass<D> {
  const set = bindingSet(pkg);
  if (set.resources.has(descriptor.token))
    throw new Error(`Binding ${descriptor.token} is defined twice.`);
  set.resources.set(descriptor.token, descriptor);

  const inputNames = Object.keys(descriptor.inputs);
  const required = inputNames.filter((n) => descriptor.inputs[n].required);
  const secretInputs = new Set(secretNames(descriptor.inputs));
  const secretOutputs = [...secretInputs, ...secretNames(descriptor.outputs)];

  class Bound extends pulumi.CustomResource {
    static readonly descriptor = descriptor;

    static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions) {
      return new Bound(name, undefined, { ...opts, id });
    }

    static override isInstance(obj: unknown): obj is Bound {
      return (
        obj !== undefined &&
        obj !== null &&
        (obj as { __pulumiType?: string }).__pulumiType === descriptor.token
      );
    }

    constructor(
      name: string,
      args: Record<string, unknown> | undefined,
      opts?: pulumi.CustomResourceOptions,
    ) {
      const props: pulumi.Inputs = {};
      if (opts?.id === undefined) {
        for (const key of required) {
          if (args?.[key] === undefined && !opts?.urn)
            throw new Error(`Missing required property '${key}'`);
        }
        for (const key of inputNames) {
          const value = args?.[key];
          props[key] = secretInputs.has(key) && value !== undefined ? pulumi.secret(value) : value;
        }
      } else {
        for (const key of inputNames) props[key] = undefined;
      }
      for (const key of Object.keys(descriptor.outputs)) props[key] = undefined;
      const merged = pluginOptions(
        pkg,
        secretOutputs.length
          ? pulumi.mergeOptions(opts, { additionalSecretOutputs: secretOutputs })
          : opts,
      );
      super(descriptor.token, name, props, merged);
    }
  }
  return Bound as unknown as BoundResourceClass<D>;
}

export type BoundProvider<P extends Props> = pulumi.ProviderResource & {
  readonly [K in keyof P]: pulumi.Output<string | undefined>;
};

export interface BoundProviderClass<P extends Props> {
  new (name: string, args?: ArgsOf<P>, opts?: pulumi.ResourceOptions): BoundProvider<P>;
  readonly descriptor: ProviderDescriptor;
}

/** Defines the package's explicit provider resource (`pulumi:providers:<name>`). */
export function defineProvider<const P extends Props>(
  pkg: PluginPackage,
  inputs: P,
  jsonEncoded: readonly (keyof P & string)[],
  env: Partial<Record<keyof P & string, readonly string[]>> = {},
): BoundProviderClass<P> {
  const set = bindingSet(pkg);
  const descriptor: ProviderDescriptor = {
    inputs,
    jsonEncoded,
    env: env as Record<string, readonly string[]>,
  };
  set.provider = descriptor;
  const encoded = new Set<string>(jsonEncoded);
  const secrets = new Set(secretNames(inputs));

  class Provider extends pulumi.ProviderResource {
    static readonly descriptor = descriptor;
    constructor(name: string, args?: Record<string, unknown>, opts?: pulumi.ResourceOptions) {
      const props: pulumi.Inputs = {};
      for (const key of Object.keys(inputs)) {
        const fromEnv = descriptor.env?.[key]
          ?.map((v) => process.env[v])
          .find((v) => v !== undefined);
        const value = args?.[key] ?? fromEnv;
        let prop: pulumi.Input<unknown> = encoded.has(key)
          ? (pulumi.output(value as pulumi.Input<object>) as pulumi.Output<unknown>).apply((v) =>
              v === undefined ? undefined : JSON.stringify(v),
            )
          : value;
        if (secrets.has(key) && value !== undefined) prop = pulumi.secret(prop);
        props[key] = prop;
      }
      super(pkg.name, name, props, pluginOptions(pkg, opts));
    }
  }
  return Provider as unknown as BoundProviderClass<P>;
}

/** A data source's result: the declared outputs, resolved. */
export type FunctionResult<D extends ResourceDescriptor> = {
  readonly [K in keyof D["outputs"]]: Plain<D["outputs"][K]>;
};

/**
 * Defines a data source (an invoke) served by `pkg`'s plugin, with the plugin options a generated
 * SDK's `xxxOutput` function passes, so the invoke reaches the same plugin as the resources.
 */
export function defineFunction<const D extends ResourceDescriptor>(
  pkg: PluginPackage,
  descriptor: D,
): (
  args: ArgsOf<D["inputs"]>,
  opts?: pulumi.InvokeOutputOptions,
) => pulumi.Output<FunctionResult<D>> {
  const set = bindingSet(pkg);
  if (set.functions.has(descriptor.token))
    throw new Error(`Binding ${descriptor.token} is defined twice.`);
  set.functions.set(descriptor.token, descriptor);
  return (args, opts) =>
    pulumi.runtime.invokeOutput(
      descriptor.token,
      args as pulumi.Inputs,
      pulumi.mergeOptions(
        { version: pkg.version, pluginDownloadURL: pkg.pluginDownloadURL },
        opts,
      ) as pulumi.InvokeOutputOptions,
    ) as pulumi.Output<FunctionResult<D>>;
}
