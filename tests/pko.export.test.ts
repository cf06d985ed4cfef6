/**
 * `officeless export pko`: every Stack object of every example stack passes the operator's real CRD
 * schema (v2.9.0, vendored), its prerequisites are the runner's graph, its config is what the
 * runner writes, secrets and credentials come from Kubernetes Secrets, and the output is stable.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import { parse as parseYaml, parseAllDocuments, stringify } from "yaml";
import {
  exportPko,
  MAX_STACK_OBJECT_NAME,
  PkoExportOptions,
  renderPko,
} from "../automation/pko/export";
import { CliIo, runCli } from "../automation/runner/cli";
import { AutomationEngine } from "../automation/runner/engines/automation";
import { buildStackGraph } from "../automation/runner/graph";
import { renderGraph } from "../automation/runner/render";
import { loadBaseStacks } from "../automation/runner/stacks";
import { CLOUD_CREDENTIALS } from "../automation/pko/credentials";
import { secretsProviderOf } from "../automation/runner/engines/automation";
import { EXAMPLE_STACKS, ROOT } from "./plan/worstCase";

const CRD_FILE = "pulumi-kubernetes-operator-v2.9.0-pulumi.com_stacks.yaml";
const CRD_DIR = path.join(__dirname, "data", "crds");
const SHARED_CRD_DIR = path.resolve(ROOT, "..", "shared", "crds");

type Obj = Record<string, any>;

/**
 * The CRD's schema as the API server applies it: a structural schema prunes fields it does not
 * declare, so an object with `properties` and no `additionalProperties` or
 * `x-kubernetes-preserve-unknown-fields` accepts no other field here (a typo fails instead of
 * silently vanishing on apply).
 */
function structural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structural);
  if (!schema || typeof schema !== "object") return schema;
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema)) out[k] = structural(v);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out["x-kubernetes-preserve-unknown-fields"]
  )
    out.additionalProperties = false;
  return out;
}

function stackValidator(): { validate: ValidateFunction; crd: Obj } {
  const crd = parseYaml(fs.readFileSync(path.join(CRD_DIR, CRD_FILE), "utf8")) as Obj;
  const version = crd.spec.versions.find((v: Obj) => v.name === "v1");
  // Kubernetes' own keywords and formats are not JSON Schema's: ajv ignores the keywords, and the
  // formats are checked by type (int64/int32 are integers, date-time strings).
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  return { validate: ajv.compile(structural(version.schema.openAPIV3Schema) as object), crd };
}

const { validate, crd } = stackValidator();

/** The CRD's CEL rules, which a JSON Schema validator does not run: checked here one by one. */
function celProblems(object: Obj): string[] {
  const name = String(object.metadata?.name ?? "");
  return name.length > MAX_STACK_OBJECT_NAME ? [`metadata.name ${name}: over 42`] : [];
}

function schemaErrors(object: Obj): string[] {
  const ok = validate(object);
  return [
    ...(ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)),
    ...celProblems(object),
  ];
}

const BASE: Omit<PkoExportOptions, "stacks"> = {
  repo: "https://github.com/acme/platform.git",
  branch: "main",
  projectDir: ROOT,
  backendUrl: "s3://acme-pulumi-state?region=eu-west-1",
};

describe("the vendored CRD", () => {
  it("is the operator's v2.9.0 Stack CRD, served and stored as v1, with the one CEL rule checked here", () => {
    expect(crd.spec.names.kind).toBe("Stack");
    const v1 = crd.spec.versions.find((v: Obj) => v.name === "v1");
    expect(v1).toMatchObject({ served: true, storage: true });
    // A new CEL rule upstream would go unchecked by ajv: this fails so celProblems learns it.
    expect(v1.schema.openAPIV3Schema["x-kubernetes-validations"]).toEqual([
      {
        message: "Stack name must be no more than 42 characters in length.",
        rule: "size(self.metadata.name) <= 42",
      },
    ]);
  });

  (fs.existsSync(SHARED_CRD_DIR) ? it : it.skip)("is byte-identical to shared/crds", () => {
    const copy = fs.readFileSync(path.join(CRD_DIR, CRD_FILE));
    expect(copy.equals(fs.readFileSync(path.join(SHARED_CRD_DIR, CRD_FILE)))).toBe(true);
  });

  it("rejects what the API server would: an unknown field, a wrong type, a bad enum, a long name", () => {
    const [good] = exportPko({ ...BASE, stacks: ["dev-aws"] }).stackObjects as Obj[];
    expect(schemaErrors(good)).toEqual([]);
    const bad = (edit: (o: Obj) => void) => {
      const o = structuredClone(good);
      edit(o);
      return schemaErrors(o);
    };
    expect(bad((o) => (o.spec.destroyOnFinalise = false))).not.toEqual([]);
    expect(bad((o) => (o.spec.resyncFrequencySeconds = "600"))).not.toEqual([]);
    expect(bad((o) => (o.spec.workspaceReclaimPolicy = "Keep"))).not.toEqual([]);
    expect(bad((o) => (o.spec.prerequisites = [{ stack: "x" }]))).not.toEqual([]);
    expect(bad((o) => (o.spec.envRefs.AWS_ACCESS_KEY_ID = { secret: { name: "a" } }))).not.toEqual(
      [],
    );
    expect(bad((o) => (o.metadata.name = "x".repeat(43)))).not.toEqual([]);
  });
});

describe.each(EXAMPLE_STACKS)("export pko --stack %s", (base) => {
  const result = exportPko({ ...BASE, stacks: [base] });
  const stacks = result.stackObjects as Obj[];
  const graph = buildStackGraph(loadBaseStacks([base], ROOT));

  it("writes one Stack per layer stack of the runner's graph, each passing the CRD schema", () => {
    expect(stacks.map((s) => s.metadata.name).sort()).toEqual([...graph.nodes.keys()].sort());
    for (const s of stacks)
      expect({ name: s.metadata.name, errors: schemaErrors(s) }).toEqual({
        name: s.metadata.name,
        errors: [],
      });
  });

  it("gives each Stack the runner's graph edges as prerequisites, upstream Stacks first", () => {
    const seen = new Set<string>();
    for (const s of stacks) {
      const deps = graph.nodes.get(s.metadata.name)!.deps;
      expect((s.spec.prerequisites ?? []).map((p: Obj) => p.name)).toEqual([...deps].sort());
      for (const d of deps) expect(seen).toContain(d);
      seen.add(s.metadata.name);
    }
    // `officeless graph` draws the same edges.
    const mermaid = renderGraph("mermaid", graph);
    for (const s of stacks)
      for (const p of s.spec.prerequisites ?? [])
        expect(mermaid).toContain(
          `${p.name.replace(/[^A-Za-z0-9_]/g, "_")} --> ${s.metadata.name.replace(/[^A-Za-z0-9_]/g, "_")}`,
        );
  });

  it("sets the config the runner writes into each layer stack, lists and maps typed", () => {
    const engine = new AutomationEngine({ projectDir: ROOT, backendUrl: BASE.backendUrl });
    for (const s of stacks) {
      const plan = engine.planLayerStack(graph.nodes.get(s.metadata.name)!);
      expect(s.spec.config).toEqual(plan.settings.config);
      expect(Array.isArray(s.spec.config["officeless:zones"])).toBe(true);
      expect(s.spec.config["officeless:layer"]).toBe(graph.nodes.get(s.metadata.name)!.layer);
      expect(s.spec.config["officeless:stackReference"]).toMatchObject({ baseStack: base });
    }
  });

  it("keeps the cloud resources when a Stack object goes, and prod's from GitOps pruning", () => {
    for (const s of stacks) {
      expect(s.spec.destroyOnFinalize).toBe(false);
      expect(s.spec.config["officeless:environment"]).toBe(base.split("-")[0]);
      if (base.startsWith("prod-"))
        expect(s.metadata.annotations).toEqual({
          "argocd.argoproj.io/sync-options": "Delete=false,Prune=false",
          "kustomize.toolkit.fluxcd.io/prune": "disabled",
        });
      else expect(s.metadata.annotations).toBeUndefined();
    }
  });

  it("reads the passphrase and the cloud's credentials from Secrets, never inline", () => {
    const cloud = String(stacks[0].spec.config["officeless:cloud"]);
    // The base stack's own provider; a file with secure values and no key of its own (the on-prem
    // examples' placeholders) is on Pulumi Cloud's per-stack provider, which the Stack leaves unset.
    const file = parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${base}.yaml`), "utf8")) as Obj;
    const hasSecure = JSON.stringify(file.config ?? {}).includes('"secure"');
    const own = secretsProviderOf({
      encryptionSalt: file.encryptionsalt,
      secretsProvider: file.secretsprovider,
    });
    const provider = own ?? (hasSecure ? undefined : "passphrase");
    for (const s of stacks) {
      expect(s.spec.secretsProvider).toBe(provider);
      expect(s.spec).toMatchObject({
        backend: BASE.backendUrl,
        projectRepo: BASE.repo,
        branch: "main",
        serviceAccountName: "pulumi",
        refresh: true,
        retryOnUpdateConflict: true,
        resyncFrequencySeconds: 600,
      });
      const refs = Object.values(s.spec.envRefs) as Obj[];
      expect(refs.every((r) => r.type === "Secret" && !("literal" in r))).toBe(true);
      if (provider === "passphrase")
        expect(s.spec.envRefs.PULUMI_CONFIG_PASSPHRASE.secret).toEqual({
          name: "officeless-passphrase",
          key: "PULUMI_CONFIG_PASSPHRASE",
        });
      const names = new Set(refs.map((r) => r.secret.name));
      // The stack's cloud (on-prem reaches its cluster with the kubeconfig in its own config), and
      // AWS for the S3 backend.
      if (CLOUD_CREDENTIALS[cloud].length > 0)
        expect(names).toContain(`officeless-${cloud}-credentials`);
      else expect(names).not.toContain(`officeless-${cloud}-credentials`);
      expect(names).toContain("officeless-aws-credentials");
    }
  });
});

describe("export pko: secrets, backends, determinism, CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-pko-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const doc = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.dev-gcp.yaml"), "utf8")) as Obj;
    doc.encryptionsalt = "v1:c2FsdA==:v1:aXY=:dGFn";
    doc.config["officeless:vpn"] = {
      enabled: true,
      peers: [
        {
          name: "office",
          publicIp: "198.51.100.7",
          cidrs: ["192.168.0.0/16"],
          preSharedKey: { secure: "v1:CIPHERTEXT-PSK" },
        },
      ],
    };
    doc.config["gcp:credentials"] = { secure: "v1:CIPHERTEXT-CREDS" };
    fs.writeFileSync(path.join(dir, "Pulumi.dev-gcp.yaml"), stringify(doc));
    // The same stack with its config keys in reverse order.
    const reversed = { ...doc, config: Object.fromEntries(Object.entries(doc.config).reverse()) };
    fs.mkdirSync(path.join(dir, "reversed"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "reversed", "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "reversed", "Pulumi.dev-gcp.yaml"), stringify(reversed));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const opts = (extra: Partial<PkoExportOptions> = {}): PkoExportOptions => ({
    ...BASE,
    projectDir: dir,
    backendUrl: "gs://acme-state",
    stacks: ["dev-gcp"],
    ...extra,
  });

  it("reads every key holding a secret from the base stack's Secret, and never prints ciphertext", () => {
    const result = exportPko(opts());
    const text = renderPko(result.objects);
    expect(text).not.toContain("CIPHERTEXT");
    for (const s of result.stackObjects as Obj[]) {
      expect(s.spec.config["officeless:vpn"]).toBeUndefined();
      expect(s.spec.secretsRef).toEqual({
        "gcp:credentials": {
          type: "Secret",
          secret: { name: "dev-gcp-config", key: "gcp.credentials" },
        },
        "officeless:vpn": {
          type: "Secret",
          secret: { name: "dev-gcp-config", key: "officeless.vpn" },
        },
      });
      expect(schemaErrors(s)).toEqual([]);
    }
    expect(result.secrets.map((s) => `${s.name}/${s.key}`)).toEqual([
      "dev-gcp-config/gcp.credentials",
      "dev-gcp-config/officeless.vpn",
      "officeless-gcp-credentials/GOOGLE_CREDENTIALS",
      "officeless-passphrase/PULUMI_CONFIG_PASSPHRASE",
    ]);
    // The VPN layer exists (enabled in the fixture) and waits for the network.
    const vpn = (result.stackObjects as Obj[]).find((s) => s.metadata.name === "dev-gcp-vpn")!;
    expect(vpn.spec.prerequisites).toEqual([{ name: "dev-gcp-network" }]);
  });

  it("prints the same bytes every time, whatever the order of the stack file's keys", () => {
    const a = renderPko(exportPko(opts()).objects);
    expect(renderPko(exportPko(opts()).objects)).toBe(a);
    expect(renderPko(exportPko(opts({ projectDir: path.join(dir, "reversed") })).objects)).toBe(a);
    expect(a).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(parseAllDocuments(a).every((d) => d.errors.length === 0)).toBe(true);
  });

  it("refuses the file backend, which the operator's pods cannot share", () => {
    expect(() => exportPko(opts({ backendUrl: "file:///tmp/state" }))).toThrow(
      /cannot share the file backend/,
    );
  });

  it("on Pulumi Cloud reads the access token from a Secret; --no-credentials leaves identity to the service account", () => {
    const result = exportPko(
      opts({ backendUrl: "https://api.pulumi.com", credentials: false, stacks: ["dev-gcp"] }),
    );
    const s = (result.stackObjects as Obj[])[0];
    expect(Object.keys(s.spec.envRefs).sort()).toEqual([
      "PULUMI_ACCESS_TOKEN",
      "PULUMI_CONFIG_PASSPHRASE",
    ]);
  });

  it("takes --layer and --exclude like the runner, and refuses names over the CRD's 42 characters", () => {
    const only = exportPko(opts({ layers: ["kubernetes"] })).stackObjects as Obj[];
    expect(only.map((s) => s.metadata.name)).toEqual(["dev-gcp-network", "dev-gcp-kubernetes"]);
    const without = exportPko(opts({ exclude: ["kubernetes"] })).stackObjects as Obj[];
    expect(without.map((s) => s.metadata.name)).toEqual(["dev-gcp-network", "dev-gcp-vpn"]);
    const long = "a-very-long-base-stack-name-for-the-crd";
    fs.copyFileSync(path.join(dir, "Pulumi.dev-gcp.yaml"), path.join(dir, `Pulumi.${long}.yaml`));
    expect(() => exportPko(opts({ stacks: [long] }))).toThrow(/at most 42 characters/);
  });

  it("refuses a namespace Kubernetes would refuse and a resync the operator would raise", () => {
    expect(() => exportPko(opts({ namespace: "platform.ops" }))).toThrow(
      /not a Kubernetes namespace/,
    );
    expect(() => exportPko(opts({ namespace: "n".repeat(64) }))).toThrow(
      /not a Kubernetes namespace/,
    );
    expect(() => exportPko(opts({ resyncFrequencySeconds: 30 }))).toThrow(/at least 60/);
  });

  class Capture {
    text = "";
    write(s: string) {
      this.text += s;
      return true;
    }
  }
  const io = (): { io: CliIo; out: Capture; err: Capture } => {
    const out = new Capture();
    const err = new Capture();
    return {
      io: {
        stdout: out as unknown as NodeJS.WritableStream,
        stderr: err as unknown as NodeJS.WritableStream,
        interactive: false,
      },
      out,
      err,
    };
  };
  const argv = ["export", "pko", "--stack", "dev-gcp", "--repo", BASE.repo, "--branch", "main"];

  it("officeless export pko prints the manifests and lists the Secrets to create", async () => {
    const c = io();
    const code = await runCli(
      [...argv, "--project-dir", dir, "--backend", "gs://acme-state", "--resync-seconds", "120"],
      c.io,
    );
    expect(code).toBe(0);
    const docs = parseAllDocuments(c.out.text).map((d) => d.toJS() as Obj);
    expect(docs.map((d) => d.kind)).toEqual([
      "Namespace",
      "ServiceAccount",
      "ClusterRoleBinding",
      ...Array(7).fill("Stack"),
    ]);
    expect(docs[3].spec.resyncFrequencySeconds).toBe(120);
    expect(c.err.text).toContain("dev-gcp-config / officeless.vpn");
  });

  it("officeless export pko --out writes one file per object and a kustomization", async () => {
    const c = io();
    const out = path.join(dir, "manifests");
    const code = await runCli(
      [...argv, "--project-dir", dir, "--backend", "gs://acme-state", "--out", out],
      c.io,
    );
    expect(code).toBe(0);
    const kustomization = parseYaml(fs.readFileSync(path.join(out, "kustomization.yaml"), "utf8"));
    expect(kustomization.resources).toContain("dev-gcp-network.yaml");
    for (const file of kustomization.resources)
      expect(fs.existsSync(path.join(out, file))).toBe(true);
  });

  it("officeless export pko without a backend other than the file default fails naming the fix", async () => {
    const c = io();
    expect(await runCli([...argv, "--project-dir", dir], c.io)).toBe(1);
    expect(c.err.text).toContain("pass --backend");
  });
});
