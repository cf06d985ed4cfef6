/**
 * The pack as the Pulumi engine runs it: policy/index.ts started as its own process serves
 * @pulumi/policy's analyzer protocol; the test speaks it (GetAnalyzerInfo, Analyze, AnalyzeStack)
 * as `pulumi preview --policy-pack policy` would, and reads the violations back.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { POLICIES } from "../../policy/library";

const ROOT = path.resolve(__dirname, "..", "..");
let pack: ChildProcess;
let client: AnalyzerClient;

const call = <Req, Res>(
  method: (r: Req, cb: (e: Error | null, res: Res) => void) => void,
  req: Req,
) =>
  new Promise<Res>((resolve, reject) =>
    method.call(client, req, (e: Error | null, res: Res) => (e ? reject(e) : resolve(res))),
  );

beforeAll(async () => {
  pack = spawn(
    process.execPath,
    [require.resolve("ts-node/dist/bin.js"), "--swc", path.join(ROOT, "policy", "index.ts")],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  // The pack prints its port on stdout, which the engine reads.
  const port = await new Promise<number>((resolve, reject) => {
    pack.stdout!.on("data", (chunk: Buffer) => {
      const m = /^(\d+)\s*$/m.exec(chunk.toString());
      if (m) resolve(Number(m[1]));
    });
    pack.on("exit", (code) => reject(new Error(`policy pack exited with ${code}`)));
  });
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  pack?.kill();
});

function resource(type: string, name: string, props: Record<string, unknown>, protect = false) {
  const r = new analyzerpb.AnalyzerResource();
  r.setType(type);
  r.setName(name);
  r.setUrn(`urn:pulumi:prod-aws-storage::officeless::${type}::${name}`);
  r.setProperties(Struct.fromJavaScript(props as never));
  const opts = new analyzerpb.AnalyzerResourceOptions();
  opts.setProtect(protect);
  r.setOptions(opts);
  return r;
}

describe("the policy pack process", () => {
  it("describes every policy of the pack to the engine", async () => {
    const info = await call<Empty, analyzerpb.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
    expect(info.getName()).toBe("officeless");
    expect(
      info
        .getPoliciesList()
        .map((p) => p.getName())
        .sort(),
    ).toEqual(POLICIES.map((p) => p.name).sort());
  });

  it("reports a resource policy's violation on Analyze", async () => {
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
      metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 },
    });
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(template.getType());
    req.setName(template.getName());
    req.setUrn(template.getUrn());
    req.setProperties(template.getProperties());
    req.setOptions(template.getOptions());
    const res = await call<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>(
      client.analyze,
      req,
    );
    const found = res.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getMessage()]);
    expect(found).toEqual([
      ["aws-nodes-imdsv2", expect.stringContaining("metadataOptions.httpTokens must be required")],
    ]);
  });

  it("reports a stack policy's violation on AnalyzeStack, following property dependencies", async () => {
    const bucket = resource(
      "aws:s3/bucket:Bucket",
      "data",
      { tags: { environment: "prod" } },
      true,
    );
    const sse = resource(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "data-encryption",
      {
        bucket: "data-1234",
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
    );
    const deps = new analyzerpb.AnalyzerPropertyDependencies();
    deps.setUrnsList([bucket.getUrn()]);
    sse.getPropertydependenciesMap().set("bucket", deps);
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList([bucket, sse]);
    const res = await call<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>(
      client.analyzeStack,
      req,
    );
    const found = res
      .getDiagnosticsList()
      .map((d) => [d.getPolicyname(), d.getUrn(), d.getMessage()]);
    expect(found).toContainEqual([
      "aws-s3-customer-key",
      bucket.getUrn(),
      expect.stringContaining("bucket data is not encrypted with a customer KMS key"),
    ]);
    // The bucket is protected: the prod protection rule has nothing to say.
    expect(found.map((f) => f[0])).not.toContain("officeless-stateful-protected-in-prod");
  });
});
