/** AWS addons layer: metrics-server, cluster-autoscaler and the AWS Load Balancer Controller. */
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons } from "../components/clusterAddons";
import { LoadBalancing } from "../components/loadBalancing";
import { LAYER_BUILDERS } from "../components/platform";
import { KUBERNETES_VERSIONS } from "../components/validation";
import { PlatformConfig } from "../components/types";
import { CLUSTER_AUTOSCALER_IMAGE_TAGS, clusterAutoscalerImageTag } from "../providers/aws/addons";
import { loadBalancerControllerStatements } from "../providers/aws/loadBalancing";
import upstreamPolicy from "../providers/aws/policies/aws-load-balancer-controller.json";
import {
  CLUSTER_NAME,
  kubernetesOutputs,
  networkOutputs,
  VPC_ID,
  withKubernetes,
} from "./awsUpstream";
import { awsConfig, commonArgs } from "./fixtures";
import {
  asList,
  mockPulumi,
  one,
  PolicyStatement,
  policyStatements,
  RecordingMocks,
  releaseValues as values,
  settle,
  valueOf,
} from "./harness";

const T = {
  release: "kubernetes:helm.sh/v3:Release",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
};

const actions = (s: PolicyStatement) => asList(s.Action);
const policyOf = (mocks: RecordingMocks, name: string) =>
  policyStatements(one(mocks, T.rolePolicy, name).inputs.policy);

async function buildAddons(config: PlatformConfig) {
  const mocks = await mockPulumi({ region: config.region });
  const addons = new ClusterAddons(
    "addons",
    {
      ...commonArgs(config),
      kubernetes: kubernetesOutputs(config.kubernetes.version),
      kubernetesConfig: config.kubernetes,
      network: networkOutputs(config.zones),
    },
    withKubernetes(),
  );
  await settle();
  return { mocks, addons };
}

describe("cluster-autoscaler", () => {
  it("is chart 9.45.0 exactly, discovering this cluster's groups in the region", async () => {
    const { mocks } = await buildAddons(awsConfig("prod"));
    const release = one(mocks, T.release, "addons-cluster-autoscaler");
    expect(release.inputs.chart).toBe("cluster-autoscaler");
    expect(release.inputs.version).toBe("9.45.0");
    expect((release.inputs.repositoryOpts as any).repo).toBe(
      "https://kubernetes.github.io/autoscaler",
    );
    expect(release.inputs.namespace).toBe("kube-system");
    const v = values(mocks, "addons-cluster-autoscaler");
    expect(v.cloudProvider).toBe("aws");
    expect(v.awsRegion).toBe("eu-west-1");
    expect(v.autoDiscovery).toEqual({ clusterName: CLUSTER_NAME });
    expect(v.extraArgs).toEqual({
      "balance-similar-node-groups": true,
      expander: "least-waste",
      "skip-nodes-with-local-storage": false,
    });
  });

  it.each([
    ["1.36", "v1.36.1"],
    ["1.35", "v1.35.2"],
  ])("runs the autoscaler release of the cluster's minor (%s)", async (version, tag) => {
    const base = awsConfig("dev");
    const { mocks } = await buildAddons({ ...base, kubernetes: { ...base.kubernetes, version } });
    expect(values(mocks, "addons-cluster-autoscaler").image).toEqual({ tag });
  });

  it("maps every supported Kubernetes minor to an autoscaler release of that minor", () => {
    for (const minor of KUBERNETES_VERSIONS) {
      expect(clusterAutoscalerImageTag(minor)).toMatch(
        new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+$`),
      );
    }
    for (const [minor, tag] of Object.entries(CLUSTER_AUTOSCALER_IMAGE_TAGS))
      expect(tag.startsWith(`v${minor}.`)).toBe(true);
  });

  it("fails clearly for an unmapped minor, before creating anything", async () => {
    const base = awsConfig("dev");
    const mocks = await mockPulumi();
    expect(
      () =>
        new ClusterAddons(
          "addons",
          {
            ...commonArgs(base),
            kubernetes: kubernetesOutputs("1.29"),
            kubernetesConfig: { ...base.kubernetes, version: "1.29" },
            network: networkOutputs(base.zones),
          },
          withKubernetes(),
        ),
    ).toThrow(
      /args\.kubernetesConfig\.version = "1\.29": has no cluster-autoscaler release mapped; known minors: 1\.35/,
    );
    await settle();
    expect(mocks.byType(T.release)).toHaveLength(0);
    expect(mocks.byType(T.role)).toHaveLength(0);
  });

  it("may resize or terminate only in groups tagged as owned by this cluster", async () => {
    const { mocks } = await buildAddons(awsConfig("prod"));
    const statements = policyOf(mocks, "addons-cluster-autoscaler-policy");
    const mutating = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ];
    const granting = statements.filter((s) => actions(s).some((a) => mutating.includes(a)));
    expect(granting).toHaveLength(1);
    expect(actions(granting[0]).sort()).toEqual(mutating);
    expect(granting[0].Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER_NAME}`]: "owned" },
    });
    // Everything else is read-only discovery.
    for (const s of statements.filter((x) => x !== granting[0])) {
      for (const a of actions(s)) expect(a).toMatch(/^(autoscaling|ec2|eks):(Describe|Get)/);
    }
    expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
  });

  it("runs as the service account its Pod Identity association binds, after the role exists", async () => {
    const { mocks } = await buildAddons(awsConfig("prod"));
    const v = values(mocks, "addons-cluster-autoscaler");
    const association = one(mocks, T.podIdentity, "addons-cluster-autoscaler-pod-identity");
    expect(v.rbac.serviceAccount).toEqual({
      create: true,
      name: association.inputs.serviceAccount,
    });
    expect(association.inputs.namespace).toBe(
      one(mocks, T.release, "addons-cluster-autoscaler").inputs.namespace,
    );
    expect(association.inputs.clusterName).toBe(CLUSTER_NAME);
    one(mocks, T.role, "addons-cluster-autoscaler-role");
    expect(association.inputs.roleArn).toContain("addons-cluster-autoscaler-role");
    expect(one(mocks, T.release, "addons-cluster-autoscaler").options.dependsOn).toContain(
      association.urn,
    );
  });

  it("reports its releases and the node autoscaler", async () => {
    const { addons } = await buildAddons(awsConfig("prod"));
    expect(await valueOf(addons.outputs.nodeAutoscaler)).toBe("cluster-autoscaler");
    expect(await valueOf(addons.outputs.releases)).toEqual([
      "kube-system/metrics-server@3.13.1",
      "kube-system/cluster-autoscaler@9.45.0",
    ]);
  });
});

describe("metrics-server", () => {
  it("runs two replicas under a disruption budget in prod", async () => {
    const { mocks } = await buildAddons(awsConfig("prod"));
    const release = one(mocks, T.release, "addons-metrics-server");
    expect(release.inputs.version).toBe("3.13.1");
    expect(release.inputs.values).toEqual({
      replicas: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    });
  });

  it("runs one replica elsewhere", async () => {
    const { mocks } = await buildAddons(awsConfig("dev"));
    expect(values(mocks, "addons-metrics-server")).toEqual({ replicas: 1 });
  });
});

describe("AWS Load Balancer Controller", () => {
  async function buildLb() {
    const config = awsConfig("prod");
    const mocks = await mockPulumi({ region: config.region });
    const lb = new LoadBalancing(
      "lb",
      {
        ...commonArgs(config),
        network: networkOutputs(config.zones),
        kubernetes: kubernetesOutputs(),
      },
      withKubernetes(),
    );
    await settle();
    return { mocks, lb };
  }

  it("installs chart 3.5.0 for this cluster, region and VPC, with two replicas and the alb class", async () => {
    const { mocks, lb } = await buildLb();
    const release = one(mocks, T.release, "lb-lb-controller");
    expect(release.inputs.chart).toBe("aws-load-balancer-controller");
    expect(release.inputs.version).toBe("3.5.0");
    expect((release.inputs.repositoryOpts as any).repo).toBe("https://aws.github.io/eks-charts");
    expect(release.inputs.values).toMatchObject({
      clusterName: CLUSTER_NAME,
      region: "eu-west-1",
      vpcId: VPC_ID,
      replicaCount: 2,
      createIngressClassResource: true,
      ingressClass: "alb",
    });
    expect(await valueOf(lb.outputs.ingressClassName)).toBe("alb");
    expect(await valueOf(lb.outputs.controllerNamespace)).toBe("kube-system");
  });

  it("runs as its own Pod Identity role with exactly the upstream policy", async () => {
    const { mocks } = await buildLb();
    const statements = policyOf(mocks, "lb-lb-controller-policy");
    const upstream = upstreamPolicy.Statement as unknown as PolicyStatement[];
    expect(statements).toEqual(upstream);
    expect(
      statements.some((s) => JSON.stringify(s.Resource).includes("arn:aws:elasticloadbalancing")),
    ).toBe(true);
    const association = one(mocks, T.podIdentity, "lb-lb-controller-pod-identity");
    expect(association.inputs.namespace).toBe("kube-system");
    expect((one(mocks, T.release, "lb-lb-controller").inputs.values as any).serviceAccount).toEqual(
      {
        create: true,
        name: association.inputs.serviceAccount,
      },
    );
    expect(one(mocks, T.release, "lb-lb-controller").options.dependsOn).toContain(association.urn);
  });

  it("moves the upstream ARNs to the deploying partition", async () => {
    await mockPulumi();
    const resources = await Promise.all(
      loadBalancerControllerStatements("aws-us-gov").map((s) => valueOf(pulumi.output(s.Resource))),
    );
    const arns = resources.flat().filter((r) => r !== "*");
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws-us-gov:(ec2|elasticloadbalancing):/);
  });
});

describe("AWS Load Balancer Controller webhook and ordering", () => {
  it("lets Services through when the controller is down: the Service mutator fails open", async () => {
    const config = awsConfig("prod");
    const mocks = await mockPulumi({ region: config.region });
    new LoadBalancing(
      "lb",
      {
        ...commonArgs(config),
        network: networkOutputs(config.zones),
        kubernetes: kubernetesOutputs(),
      },
      withKubernetes(),
    );
    await settle();
    const v = values(mocks, "lb-lb-controller");
    // templates/webhook.yaml renders mservice.elbv2.k8s.aws (every Service CREATE) with this policy.
    expect(v.serviceMutatorWebhookConfig).toEqual({ failurePolicy: "Ignore" });
    expect(v.enableServiceMutatorWebhook).toBe(true);
    // The chart really reads these keys (defaults file of the pinned chart).
    const defaults = fs.readFileSync(
      path.join(__dirname, "data/helm-values/aws-load-balancer-controller-3.5.0.values.yaml"),
      "utf8",
    );
    expect(defaults).toMatch(/^serviceMutatorWebhookConfig:\n {2}# .*\n {2}failurePolicy: Fail$/m);
    expect(defaults).toMatch(/^enableServiceMutatorWebhook: true$/m);
  });

  it("installs metrics-server and cluster-autoscaler after the controller in the addons layer", async () => {
    const config = awsConfig("prod");
    const mocks = await mockPulumi({ region: config.region });
    const built = LAYER_BUILDERS.addons({
      name: "p",
      config,
      upstream: {
        network: networkOutputs(config.zones),
        kubernetes: kubernetesOutputs(config.kubernetes.version),
      },
      opts: {},
      kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
    });
    await valueOf(built.addons!.releases);
    await settle();
    const controller = one(mocks, T.release, "p-lb-lb-controller");
    for (const name of ["p-addons-metrics-server", "p-addons-cluster-autoscaler"])
      expect(one(mocks, T.release, name).options.dependsOn).toContain(controller.urn);
    // And not the other way round.
    expect(controller.options.dependsOn).not.toContain(
      one(mocks, T.release, "p-addons-metrics-server").urn,
    );
  });
});
