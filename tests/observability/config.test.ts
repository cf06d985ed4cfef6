/** The `officeless:observability` section: defaults, and bad combinations refused with the key named. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  observabilitySettings,
  OBSERVABILITY_DEFAULTS,
} from "../../components/observabilitySettings";
import { DEFAULTS, parseConfig, readStackFile } from "../../programs/config";

const ROOT = path.resolve(__dirname, "..", "..");
const base = () => readStackFile(path.join(ROOT, "Pulumi.dev-aws.yaml")).raw;

function parse(observability: Record<string, unknown>, secretKeys: string[] = []) {
  return parseConfig(
    { ...base(), observability: { enabled: true, ...observability } },
    { secretKeys: new Set(secretKeys) },
  );
}
const problems = (observability: Record<string, unknown>, secretKeys: string[] = []) => {
  try {
    parse(observability, secretKeys);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("observability defaults", () => {
  it("live in one place and resolve per environment", () => {
    expect(DEFAULTS.observability).toBe(OBSERVABILITY_DEFAULTS);
    const dev = observabilitySettings(parse({}).observability, "dev");
    expect(dev).toMatchObject({
      mode: "local",
      retentionDays: { metrics: 30, logs: 30, traces: 30 },
      preset: "small",
      autoscaling: true,
      receivers: [],
      remoteTenants: [],
    });
    expect(dev.grafana.enabled).toBe(true);
    expect(observabilitySettings(parse({}).observability, "prod").preset).toBe("large");
    const remote = observabilitySettings(
      parse({ mode: "remote", remote: { stack: "acme/officeless/prod-aws" } }).observability,
      "dev",
    );
    expect(remote.grafana.enabled).toBe(false);
  });

  it("overrides retention per signal", () => {
    const s = observabilitySettings(
      parse({ retentionDays: 14, retention: { logs: 7 } }).observability,
      "dev",
    );
    expect(s.retentionDays).toEqual({ metrics: 14, logs: 7, traces: 14 });
  });

  it("keeps receivers' keys and OIDC's client secret as Pulumi secrets", async () => {
    const config = parse(
      {
        alerting: { receivers: [{ name: "oncall", type: "pagerduty", routingKey: "k" }] },
        grafana: {
          rootUrl: "https://g.example.com",
          oidc: {
            clientId: "c",
            clientSecret: "s",
            authUrl: "https://i/a",
            tokenUrl: "https://i/t",
            apiUrl: "https://i/u",
          },
        },
      },
      ["observability"],
    );
    const receiver = config.observability.alerting!.receivers[0] as {
      routingKey: pulumi.Output<string>;
    };
    expect(await pulumi.isSecret(receiver.routingKey)).toBe(true);
    expect(await pulumi.isSecret(config.observability.grafana!.oidc!.clientSecret)).toBe(true);
  });
});

describe("observability validation", () => {
  it.each([
    [{ mode: "remote" }, /observability\.remote\.stack: is required in mode "remote"/],
    [
      { mode: "remote", remote: { stack: "a/b/c" }, retention: { logs: 3 } },
      /observability\.retention = .*is not used in mode "remote"/,
    ],
    [
      { mode: "remote", remote: { stack: "a/b/c" }, grafana: { enabled: true } },
      /observability\.grafana\.enabled = true: is not used in mode "remote"/,
    ],
    [{ mode: "central" }, /observability\.central\.tenants: is required in mode "central"/],
    [
      { mode: "central", central: { tenants: ["a"] } },
      /observability\.central\.hostname: is required in mode "central": the private DNS name remote platforms dial/,
    ],
    [
      { grafana: { exposure: "public" } },
      /observability\.grafana\.exposure = "public": must be one of: none, private/,
    ],
    [
      { grafana: { exposure: "private" } },
      /observability\.grafana\.rootUrl: is required with grafana\.exposure "private"/,
    ],
    [
      { grafana: { exposure: "private", rootUrl: "http://grafana.internal.example.com" } },
      /observability\.grafana\.rootUrl = "http:\/\/grafana\.internal\.example\.com": is required with grafana\.exposure "private", as https:/,
    ],
    [
      { grafana: { allowedCidrs: ["10.0.0.0/8"] } },
      /observability\.grafana\.allowedCidrs: is used only with grafana\.exposure "private"/,
    ],
    [
      {
        grafana: {
          exposure: "private",
          rootUrl: "https://grafana.internal.example.com",
          allowedCidrs: ["10.0.0.0"],
        },
      },
      /observability\.grafana\.allowedCidrs\[0\] = "10.0.0.0": is not an IPv4 CIDR/,
    ],
    [
      {
        mode: "remote",
        remote: { stack: "a/b/c" },
        grafana: { exposure: "private", rootUrl: "https://g.example.com" },
      },
      /observability\.grafana\.exposure = "private": is set but Grafana is off/,
    ],
    [
      { mode: "central", central: { tenants: ["a"], allowedCidrs: ["10.30.0.0"] } },
      /observability\.central\.allowedCidrs\[0\] = "10.30.0.0": is not an IPv4 CIDR/,
    ],
    [
      { mode: "central", central: { tenants: ["officeless-dev"] } },
      /observability\.central\.tenants\[0\] = "officeless-dev": is this platform's own tenant/,
    ],
    [{ central: { tenants: ["x"] } }, /observability\.central = .*is not used in mode "local"/],
    [{ remote: { stack: "a/b/c" } }, /observability\.remote = .*is not used in mode "local"/],
    [
      { mode: "remote", remote: { stack: "prod-aws" } },
      /observability\.remote\.stack = "prod-aws": must be the central stack's full name/,
    ],
    [
      { mode: "federated" },
      /observability\.mode = "federated": must be one of: local, central, remote/,
    ],
    [
      { collectorPreset: "huge" },
      /observability\.collectorPreset = "huge": must be one of: small, large/,
    ],
    [{ retention: { metric: 3 } }, /observability\.retention\.metric .*did you mean "metrics"/],
    [
      {
        grafana: {
          oidc: {
            clientId: "c",
            clientSecret: "s",
            authUrl: "https://a",
            tokenUrl: "https://t",
            apiUrl: "https://u",
          },
        },
      },
      /observability\.grafana\.rootUrl: is required with grafana\.oidc/,
    ],
    [
      {
        alerting: {
          receivers: [
            { name: "a", type: "webhook", url: "https://x" },
            { name: "a", type: "webhook", url: "https://y" },
          ],
        },
      },
      /observability\.alerting\.receivers\[1\]\.name = "a": is used by another receiver/,
    ],
    [
      {
        alerting: {
          receivers: [{ name: "m", type: "email", to: "nobody", from: "a@b", smarthost: "h:25" }],
        },
      },
      /observability\.alerting\.receivers\[0\]\.to = "nobody": must be an email address/,
    ],
    [
      { alerting: { receivers: [{ name: "s", type: "slak", channel: "#a", apiUrl: "x" }] } },
      /observability\.alerting\.receivers\[0\]\.type/,
    ],
  ])("refuses %j", (observability, message) => {
    // Not stored as secrets, so values show (the secret-field rule adds its own problem).
    expect(problems(observability as Record<string, unknown>)).toMatch(message);
  });

  it("asks for receivers' keys to be stored encrypted, without showing them", () => {
    const message = problems({
      alerting: {
        receivers: [{ name: "hook", type: "webhook", url: "https://hooks.example.com/t0ken" }],
      },
    });
    expect(message).toMatch(
      /officeless:observability\.alerting\.receivers\[0\]\.url: must be stored as a secret: pulumi config set --secret --path/,
    );
    expect(message).not.toContain("t0ken");
  });

  it("accepts the documented central and remote layouts", () => {
    expect(
      problems({
        mode: "central",
        central: { tenants: ["officeless-dev-remote"], hostname: "obs.internal.example.com" },
        grafana: { exposure: "private", rootUrl: "https://grafana.internal.example.com" },
      }),
    ).toBe("");
    expect(problems({ mode: "remote", remote: { stack: "acme/officeless/prod-aws" } })).toBe("");
  });
});

describe("the user's own certificate for a private endpoint", () => {
  const pem = (file: string) =>
    fs.readFileSync(path.join(__dirname, "..", "data", "tls", file), "utf8");
  const own = {
    certificate: pem("server.crt"),
    privateKey: pem("server.key"),
    caCertificate: pem("ca.crt"),
  };
  const central = (tls: Record<string, string>, hostname = "obs.internal.example.com") => ({
    mode: "central",
    central: { tenants: ["officeless-dev-remote"], hostname, tls },
  });

  it("is accepted when it parses, matches its key, names the host and chains to the CA", async () => {
    expect(problems(central(own), ["observability"])).toBe("");
    const config = parse(central(own), ["observability"]);
    expect(await pulumi.isSecret(config.observability.central!.tls!.privateKey)).toBe(true);
    const grafana = parse(
      {
        grafana: { exposure: "private", rootUrl: "https://grafana.internal.example.com", tls: own },
      },
      ["observability"],
    );
    expect(grafana.observability.grafana!.tls!.certificate).toBe(own.certificate);
  });

  it.each([
    [
      { ...own, certificate: "not a certificate" },
      undefined,
      /central\.tls\.certificate: is not a PEM certificate/,
    ],
    [
      { ...own, privateKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" },
      undefined,
      /central\.tls\.privateKey: is not a PEM private key/,
    ],
    [
      { ...own, privateKey: pem("other.key") },
      undefined,
      /central\.tls\.privateKey: is not the key of the certificate/,
    ],
    [
      own,
      "obs.elsewhere.example.com",
      /central\.tls\.certificate: does not name obs\.elsewhere\.example\.com/,
    ],
    [
      { ...own, caCertificate: pem("other-ca.crt") },
      undefined,
      /central\.tls\.caCertificate: did not issue the certificate/,
    ],
  ])("refuses a certificate that does not fit (%#)", (tls, hostname, message) => {
    const text = problems(central(tls, hostname), ["observability"]);
    expect(text).toMatch(message);
    // The key never shows in a message.
    expect(text).not.toContain("BEGIN PRIVATE KEY");
  });

  it("asks for the private key to be stored encrypted", () => {
    expect(problems(central(own))).toMatch(
      /observability\.central\.tls\.privateKey: must be stored as a secret/,
    );
  });
});

describe("private load balancers per target", () => {
  const onCloud = (file: string, observability: Record<string, unknown>) => {
    try {
      parseConfig(
        {
          ...readStackFile(path.join(ROOT, file)).raw,
          observability: { enabled: true, ...observability },
        },
        // The on-prem example's SSH key is a secret there.
        { secretKeys: new Set(["onprem"]) },
      );
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  };
  const privateGrafana = {
    grafana: { exposure: "private", rootUrl: "https://grafana.internal.example.com" },
  };
  it.each([
    "Pulumi.dev-alibaba.yaml",
    "Pulumi.dev-oci.yaml",
    "Pulumi.dev-onprem.yaml",
    "Pulumi.dev-gcp.yaml",
    "Pulumi.dev-azure.yaml",
    "Pulumi.dev-volcengine.yaml",
  ])("allows central mode and private Grafana on %s", (file) => {
    expect(
      onCloud(file, {
        ...privateGrafana,
        mode: "central",
        central: { tenants: ["officeless-remote"], hostname: "obs.internal.example.com" },
      }),
    ).toBe("");
  });
  it.each([["Pulumi.dev-huawei.yaml", /inner ELB needs the stack's zones, subnet ids and flavor/]])(
    "refuses them on %s, naming the key and why",
    (file, why) => {
      const central = onCloud(file, {
        mode: "central",
        central: { tenants: ["officeless-remote"], hostname: "obs.internal.example.com" },
      });
      expect(central).toMatch(/observability\.mode = "central": needs a private load balancer/);
      expect(central).toMatch(why);
      expect(onCloud(file, privateGrafana)).toMatch(
        /observability\.grafana\.exposure = "private": "private" needs a private load balancer/,
      );
    },
  );
});
