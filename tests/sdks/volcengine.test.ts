import * as pulumi from "@pulumi/pulumi";
import { bindingSet } from "../../sdks/binding";
import { Provider, VOLCENGINE } from "../../sdks/volcengine";
import * as iam from "../../sdks/volcengine/iam";
import * as vke from "../../sdks/volcengine/vke";
import * as vpn from "../../sdks/volcengine/vpn";
import { mockPulumi, one, settle } from "../harness";
import { conformanceProblems, loadSchema } from "./conformance";

describe("volcengine bindings", () => {
  it("conform to the provider's schema facts (shared and supplement)", () => {
    const set = bindingSet(VOLCENGINE);
    expect(set.resources.size).toBeGreaterThan(30);
    expect(conformanceProblems(set, loadSchema("volcengine"))).toEqual([]);
  });

  it("name the v0.0.47 plugin and its GitHub release source", () => {
    expect(VOLCENGINE).toEqual({
      name: "volcengine",
      version: "0.0.47",
      pluginDownloadURL: "github://api.github.com/volcengine",
    });
  });

  it("register with the plugin options and mark the credentials the SDK leaves plain as secret", async () => {
    const mocks = await mockPulumi();
    const seen = new Map<string, pulumi.CustomResourceOptions>();
    const record = {
      transformations: [
        (a: pulumi.ResourceTransformationArgs) => (seen.set(a.name, a.opts), undefined),
      ],
    };
    new iam.AccessKey("ak", { userName: "u" }, record);
    new vke.Cluster(
      "c",
      {
        clusterConfig: { subnetIds: ["s"] },
        podsConfig: { podNetworkMode: "VpcCniShared" },
        servicesConfig: { serviceCidrsv4s: ["172.30.0.0/18"] },
      },
      record,
    );
    new vpn.Connection("conn", {
      customerGatewayId: "cgw",
      ikeConfigPsk: "psk-value",
      localSubnets: ["10.0.0.0/16"],
      remoteSubnets: ["192.168.0.0/16"],
    });
    await settle();
    // The generated SDK marks none of these: the access key's secret and VKE's admin kubeconfigs.
    expect(seen.get("ak")?.additionalSecretOutputs).toEqual(["secret"]);
    expect(seen.get("c")?.additionalSecretOutputs).toEqual([
      "kubeconfigPrivate",
      "kubeconfigPublic",
    ]);
    expect(seen.get("c")).toMatchObject({
      version: "0.0.47",
      pluginDownloadURL: "github://api.github.com/volcengine",
    });
    // The pre-shared key goes to the engine as a secret input.
    expect(one(mocks, "volcengine:vpn/connection:Connection").inputs.ikeConfigPsk).toBe("[secret]");
  });

  it("send the provider's object and boolean inputs JSON-encoded", async () => {
    const mocks = await mockPulumi();
    new Provider("p", { region: "cn-beijing", disableSsl: false });
    await settle();
    const provider = one(mocks, "pulumi:providers:volcengine");
    expect(provider.inputs.disableSsl).toBe("false");
    expect(provider.inputs.region).toBe("cn-beijing");
  });
});
