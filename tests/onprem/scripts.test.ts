/**
 * Every shell script the on-prem backend runs on a host over SSH parses as POSIX sh: a syntax
 * error would only show on the first real `up`, after the other hosts have run theirs.
 */
import { spawnSync } from "child_process";
import { k3sInstallScript, k3sKubeconfigScript, k3sReadyScript } from "../../providers/onprem/k3s";
import { METALLB_WEBHOOK_URL, webhookWaitScript } from "../../providers/onprem/loadBalancing";
import { swanctlInstallScript } from "../../providers/onprem/vpn";

const VERSION = "v1.35.1+k3s1";
const SCRIPTS: Record<string, string> = {
  "k3s server install": k3sInstallScript(VERSION, "server"),
  "k3s agent install": k3sInstallScript(VERSION, "agent"),
  "k3s ready": k3sReadyScript(VERSION, ["cp-1", "cp-2", "worker-1"]),
  "k3s kubeconfig": k3sKubeconfigScript(VERSION),
  "strongSwan install": swanctlInstallScript(),
  "MetalLB webhook wait (in a Job)": webhookWaitScript(METALLB_WEBHOOK_URL),
};

describe.each(Object.entries(SCRIPTS))("%s script", (_name, script) => {
  it("parses with `sh -n` (dash: POSIX only)", () => {
    const out = spawnSync("sh", ["-n"], { input: script, encoding: "utf8" });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
  });
});

it("would catch a syntax error", () => {
  const out = spawnSync("sh", ["-n"], { input: "if true; then echo", encoding: "utf8" });
  expect(out.status).not.toBe(0);
});
