/**
 * On-prem under the offline mocks: the commands the backend runs over SSH (@pulumi/command). The
 * one whose output is read is K3s's kubeconfig, which answers like a fresh K3s server's.
 */
import { CloudMocks, shortHash } from "./common";

/** What `cat /etc/rancher/k3s/k3s.yaml` prints on a new K3s server (credentials are fakes). */
export function mockK3sKubeconfig(name: string): string {
  const ca = Buffer.from(`mock-k3s-ca-${shortHash(name)}`).toString("base64");
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${ca}`,
    "    server: https://127.0.0.1:6443",
    "  name: default",
    "contexts:",
    "- context:",
    "    cluster: default",
    "    user: default",
    "  name: default",
    "current-context: default",
    "kind: Config",
    "preferences: {}",
    "users:",
    "- name: default",
    "  user:",
    "    client-certificate-data: bW9jay1jZXJ0",
    "    client-key-data: bW9jay1rZXk=",
    "",
  ].join("\n");
}

function outputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
): Record<string, unknown> | undefined {
  if (type !== "command:remote:Command") return undefined;
  const create = String(inputs.create ?? "");
  return {
    stdout: create.includes("/etc/rancher/k3s/k3s.yaml") ? mockK3sKubeconfig(name) : "",
    stderr: "",
  };
}

export const ONPREM_MOCKS: CloudMocks = { prefix: "command:", outputs, invokes: {} };
