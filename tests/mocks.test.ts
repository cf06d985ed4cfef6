import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mockPulumi, one, settle } from "./harness";

describe("recording mocks", () => {
  it("records inputs and options, hiding secrets", async () => {
    const mocks = await mockPulumi();
    const key = new aws.kms.Key("k", { description: "d" }, { protect: true });
    new aws.s3.Bucket(
      "b",
      { bucket: "x", tags: { a: pulumi.secret("s") } },
      { dependsOn: [key], ignoreChanges: ["tags"] },
    );
    await settle();
    const k = one(mocks, "aws:kms/key:Key");
    expect(k.options.protect).toBe(true);
    const b = one(mocks, "aws:s3/bucket:Bucket");
    expect(b.inputs.bucket).toBe("x");
    expect((b.inputs.tags as any).a).toBe("[secret]");
    expect(b.options.ignoreChanges).toEqual(["tags"]);
    expect(b.options.dependsOn).toEqual([k.urn]);
    expect(b.options.protect).toBe(false);
  });
});
