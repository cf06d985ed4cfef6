/**
 * The registry loads a cloud's SDK only when its backend is first used. Checked in a child process,
 * where Node's real module cache shows exactly which SDKs were loaded.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { backendFor, isCloudId, plannedClouds, supportedClouds } from "../providers/registry";
import { CLOUDS } from "../components/types";

const root = path.resolve(__dirname, "..");

function probe(script: string): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "-e", script],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
    },
  );
  return JSON.parse(out.trim().split("\n").pop()!);
}

const loadedSdks = `
  const sdks = () => [...new Set(Object.keys(require.cache)
    .map((p) => /node_modules\\/@pulumi\\/([^/]+)\\//.exec(p)?.[1]).filter(Boolean))].sort();`;

describe("provider registry", () => {
  it("keys every cloud id and splits them into supported and planned", () => {
    expect([...supportedClouds(), ...plannedClouds()].sort()).toEqual([...CLOUDS].sort());
    expect(supportedClouds()).toContain("aws");
    expect(isCloudId("aws")).toBe(true);
    expect(isCloudId("digitalocean")).toBe(false);
  });

  it("supports every one of the eight targets: none is left planned", () => {
    expect(plannedClouds()).toEqual([]);
    expect(supportedClouds().sort()).toEqual([...CLOUDS].sort());
  });

  it("refuses an unknown id, listing the supported ones", () => {
    expect(() => backendFor("digitalocean" as never)).toThrow(
      /Unknown cloud "digitalocean"\. Supported: aws/,
    );
  });

  it("answers region questions without loading an SDK", () => {
    const result = probe(`${loadedSdks}
      const { catalogFor } = require("./providers/registry");
      const zones = catalogFor("aws").regions["eu-west-1"];
      console.log(JSON.stringify({ zones, sdks: sdks() }));`);
    expect(result.zones).toEqual(
      expect.arrayContaining(["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
    );
    expect(result.sdks).toEqual([]);
    const oci = probe(`${loadedSdks}
      const { catalogFor } = require("./providers/registry");
      const ads = catalogFor("oci").regions["eu-frankfurt-1"];
      console.log(JSON.stringify({ ads, sdks: sdks() }));`);
    expect(oci).toEqual({
      ads: ["EU-FRANKFURT-1-AD-1", "EU-FRANKFURT-1-AD-2", "EU-FRANKFURT-1-AD-3"],
      sdks: [],
    });
  });

  it("loads the AWS SDK only on first use of the AWS backend, and no other cloud's", () => {
    const result = probe(`${loadedSdks}
      const registry = require("./providers/registry");
      const before = sdks();
      const backend = registry.backendFor("aws");
      console.log(JSON.stringify({ before, after: sdks(), cloud: backend.cloud, same: registry.backendFor("aws") === backend }));`);
    expect(result.before).toEqual([]);
    expect(result.after).toContain("aws");
    expect(result.after).not.toContain("gcp");
    expect(result.after).not.toContain("azure-native");
    expect(
      (result.after as string[]).filter(
        // random and tls: cloud-neutral providers of the shared components (passwords, the private CA).
        (s) => !["pulumi", "aws", "kubernetes", "random", "tls"].includes(s),
      ),
    ).toEqual([]);
    expect(result.cloud).toBe("aws");
    expect(result.same).toBe(true);
  });

  it.each([
    ["gcp", "gcp", ["aws", "azure-native", "alicloud", "oci"]],
    ["azure", "azure-native", ["aws", "gcp", "alicloud", "oci"]],
    ["alibaba", "alicloud", ["aws", "gcp", "azure-native", "oci"]],
    ["oci", "oci", ["aws", "gcp", "azure-native", "alicloud"]],
  ])("loads only %s's SDK for the %s backend", (cloud, sdk, others) => {
    const result = probe(`${loadedSdks}
      const backend = require("./providers/registry").backendFor("${cloud}");
      console.log(JSON.stringify({ after: sdks(), cloud: backend.cloud }));`);
    expect(result.cloud).toBe(cloud);
    expect(result.after).toContain(sdk);
    for (const other of others as string[]) expect(result.after).not.toContain(other);
  });
});
