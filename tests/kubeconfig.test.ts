/** The shared exec-plugin kubeconfig, and each cloud's kubeconfig built on it, byte for byte. */
import { EXEC_API_VERSION, execKubeconfig } from "../components/kubeconfig";
import { eksKubeconfig } from "../providers/aws/kubernetes";
import { aksKubeconfig } from "../providers/azure/kubernetes";
import { gkeKubeconfig } from "../providers/gcp/kubernetes";

describe("execKubeconfig", () => {
  const base = {
    name: "c",
    server: "https://10.0.0.2",
    certificateAuthorityData: "Q0E=",
    exec: { command: "token-tool" },
  };

  it("names the cluster, context and user alike, selects that context, and never prompts", () => {
    const config = JSON.parse(execKubeconfig(base));
    expect(config).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "c",
          cluster: { server: "https://10.0.0.2", "certificate-authority-data": "Q0E=" },
        },
      ],
      contexts: [{ name: "c", context: { cluster: "c", user: "c" } }],
      "current-context": "c",
      preferences: {},
      users: [
        {
          name: "c",
          user: {
            exec: { apiVersion: EXEC_API_VERSION, command: "token-tool", interactiveMode: "Never" },
          },
        },
      ],
    });
    expect(EXEC_API_VERSION).toBe("client.authentication.k8s.io/v1beta1");
  });

  it("leaves out the CA only when none is given, and each unset exec field", () => {
    const { certificateAuthorityData: _, ...withoutCa } = base;
    expect(JSON.parse(execKubeconfig(withoutCa)).clusters[0].cluster).toEqual({
      server: "https://10.0.0.2",
    });
    // An empty CA is passed through: it is the cloud's answer, not ours to drop.
    expect(
      JSON.parse(execKubeconfig({ ...base, certificateAuthorityData: "" })).clusters[0].cluster,
    ).toHaveProperty("certificate-authority-data", "");
    const exec = JSON.parse(execKubeconfig(base)).users[0].user.exec;
    for (const key of ["args", "env", "installHint", "provideClusterInfo"])
      expect(exec).not.toHaveProperty(key);
  });

  it("writes env as kubectl's name/value list in order, and copies args", () => {
    const args = ["get-token"];
    const text = execKubeconfig({
      ...base,
      exec: {
        command: "t",
        args,
        env: { B: "2", A: "1" },
        installHint: "install t",
        provideClusterInfo: false,
      },
    });
    args.push("--late");
    expect(JSON.parse(text).users[0].user.exec).toEqual({
      apiVersion: EXEC_API_VERSION,
      command: "t",
      args: ["get-token"],
      env: [
        { name: "B", value: "2" },
        { name: "A", value: "1" },
      ],
      installHint: "install t",
      provideClusterInfo: false,
      interactiveMode: "Never",
    });
    // A fixed key order: the same inputs give the same string (no output churn).
    expect(text).toMatch(/^\{"apiVersion":"v1","kind":"Config","clusters":/);
    expect(text).toMatch(
      /"exec":\{"apiVersion":"[^"]+","command":"t","args":\["get-token"\],"env":\[.*\],"installHint":"install t","provideClusterInfo":false,"interactiveMode":"Never"\}/,
    );
  });
});

describe("each cloud's kubeconfig, unchanged by the shared builder", () => {
  const head = (name: string, cluster: string) =>
    `{"apiVersion":"v1","kind":"Config","clusters":[{"name":"${name}","cluster":${cluster}}],` +
    `"contexts":[{"name":"${name}","context":{"cluster":"${name}","user":"${name}"}}],"current-context":"${name}","preferences":{},`;

  it("EKS: a token from the AWS CLI for the cluster and region", () => {
    expect(eksKubeconfig("c1", "eu-west-1", "https://x.eks.amazonaws.com", "Q0E=")).toBe(
      head("c1", '{"server":"https://x.eks.amazonaws.com","certificate-authority-data":"Q0E="}') +
        '"users":[{"name":"c1","user":{"exec":{"apiVersion":"client.authentication.k8s.io/v1beta1","command":"aws",' +
        '"args":["eks","get-token","--cluster-name","c1","--region","eu-west-1","--output","json"],"interactiveMode":"Never"}}}]}',
    );
  });

  it("GKE: the auth plugin with its install hint; the DNS endpoint without CA, an IP endpoint with it", () => {
    const user =
      '"users":[{"name":"c2","user":{"exec":{"apiVersion":"client.authentication.k8s.io/v1beta1","command":"gke-gcloud-auth-plugin",' +
      '"installHint":"Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin","provideClusterInfo":true,"interactiveMode":"Never"}}}]}';
    expect(gkeKubeconfig("c2", "https://gke-x.europe-west1.gke.goog")).toBe(
      head("c2", '{"server":"https://gke-x.europe-west1.gke.goog"}') + user,
    );
    expect(gkeKubeconfig("c2", "https://10.30.240.2", "Q0E=")).toBe(
      head("c2", '{"server":"https://10.30.240.2","certificate-authority-data":"Q0E="}') + user,
    );
  });

  it("AKS: an Entra ID token through kubelogin from the Azure CLI login", () => {
    expect(aksKubeconfig("c3", "https://c3.privatelink.westeurope.azmk8s.io:443", "Q0E=")).toBe(
      head(
        "c3",
        '{"server":"https://c3.privatelink.westeurope.azmk8s.io:443","certificate-authority-data":"Q0E="}',
      ) +
        '"users":[{"name":"c3","user":{"exec":{"apiVersion":"client.authentication.k8s.io/v1beta1","command":"kubelogin",' +
        '"args":["get-token","--login","azurecli","--server-id","6dae42f8-4368-4678-94ff-3960e28e3630"],"interactiveMode":"Never"}}}]}',
    );
  });
});
