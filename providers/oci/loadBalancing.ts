/**
 * OCI load balancing: the OCI Native Ingress Controller, installed as OKE's managed cluster add-on
 * (`NativeIngressController`, with the `CertManager` add-on it requires for its webhook), chosen
 * over the cloud controller's Service load balancers: one OCI load balancer per IngressClass
 * rather than per Service, layer-7 routing and TLS on the load balancer, and backends that are pod
 * IPs (VCN-native networking) instead of node ports. The add-on rather than its Helm chart: the
 * chart has no published repository (oracle/oci-native-ingress-controller ships it as a source
 * folder), and OKE keeps the add-on's version in step with the cluster. It runs as a workload
 * identity granted exactly the statements OKE documents for it, on the platform's compartment.
 * The IngressClass's parameters make every load balancer private (`isPrivate: true`) in the load
 * balancer subnet; a public one is an IngressClass of the user's with `isPrivate: false`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as containerengine from "@pulumi/oci/containerengine";
import * as pulumi from "@pulumi/pulumi";
import type { LoadBalancingArgs, LoadBalancingOutputs } from "../../components/loadBalancing";
import { Scope } from "../../components/types";
import { iamOptions, inCompartment, ociSettings, policy } from "./common";

export const INGRESS_CONTROLLER = "oci.oraclecloud.com/native-ingress-controller";
export const INGRESS_NAMESPACE = "native-ingress-controller-system";
export const INGRESS_SERVICE_ACCOUNT = "oci-native-ingress-controller";
export const INGRESS_CLASS = "officeless-oci";
/** Flexible load balancer bandwidth (Mbps): the smallest minimum, room to burst. */
export const LB_BANDWIDTH = { minBandwidthMbps: 10, maxBandwidthMbps: 400 };

/** The permissions the controller needs (OKE docs, native ingress controller add-on prerequisites). */
export const INGRESS_PERMISSIONS = [
  "manage load-balancers",
  "use virtual-network-family",
  "manage cabundles",
  "manage cabundle-associations",
  "manage leaf-certificates",
  "read leaf-certificate-bundles",
  "manage leaf-certificate-versions",
  "manage certificate-associations",
  "read certificate-authorities",
  "manage certificate-authority-associations",
  "read certificate-authority-bundles",
  "read public-ips",
  "manage floating-ips",
  "manage waf-family",
  "read cluster-family",
];

/** `where ALL {...}`: a statement for one service account of one cluster (OKE workload identity). */
export function workloadCondition(
  clusterId: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  return pulumi.interpolate`where ALL {request.principal.type = 'workload', request.principal.namespace = '${namespace}', request.principal.service_account = '${serviceAccount}', request.principal.cluster_id = '${clusterId}'}`;
}

/** Statements granting `permissions` in the compartment to one workload. */
export function workloadStatements(
  permissions: readonly string[],
  where: string,
  condition: pulumi.Output<string>,
): pulumi.Output<string>[] {
  return permissions.map(
    (p) => pulumi.interpolate`Allow any-user to ${p} in ${where} ${condition}`,
  );
}

export function ociLoadBalancing(scope: Scope, args: LoadBalancingArgs): LoadBalancingOutputs {
  const settings = ociSettings(args);
  const compartmentId = settings.compartmentId;
  const iam = iamOptions(scope, settings, args.region);
  const clusterId = args.kubernetes.clusterId;
  const lbSubnet = args.network.publicSubnetIds.apply((ids) => ids[0]);

  const grant = policy(
    scope,
    "ingress",
    settings,
    iam,
    `${scope.name}: the OCI native ingress controller manages the platform's load balancers`,
    workloadStatements(
      INGRESS_PERMISSIONS,
      inCompartment(settings),
      workloadCondition(clusterId, INGRESS_NAMESPACE, INGRESS_SERVICE_ACCOUNT),
    ),
  );
  const addon = (
    role: string,
    addonName: string,
    configurations: { key: string; value: pulumi.Input<string> }[],
    dependsOn: pulumi.Resource[],
  ) =>
    new containerengine.Addon(
      `${scope.name}-${role}`,
      { clusterId, addonName, removeAddonResourcesOnDelete: true, configurations },
      { parent: scope.parent, dependsOn },
    );
  const replicas = args.environment === "prod" ? "2" : "1";
  const certManager = addon(
    "cert-manager",
    "CertManager",
    [{ key: "numOfReplicas", value: replicas }],
    [],
  );
  const controller = addon(
    "native-ingress",
    "NativeIngressController",
    [
      { key: "compartmentId", value: compartmentId },
      { key: "loadBalancerSubnetId", value: lbSubnet },
      { key: "authType", value: "workloadIdentity" },
      { key: "numOfReplicas", value: replicas },
    ],
    // Its webhook needs cert-manager's certificates; its first call needs the grant.
    [certManager, grant],
  );

  const parametersName = `${INGRESS_CLASS}-params`;
  const parameters = new k8s.apiextensions.CustomResource(
    `${scope.name}-ingress-parameters`,
    {
      apiVersion: "ingress.oraclecloud.com/v1beta1",
      kind: "IngressClassParameters",
      metadata: { name: parametersName, namespace: INGRESS_NAMESPACE },
      spec: {
        compartmentId,
        subnetId: lbSubnet,
        loadBalancerName: `${scope.name}-ingress`,
        isPrivate: true,
        ...LB_BANDWIDTH,
      },
    },
    // The CRD comes with the add-on.
    { parent: scope.parent, dependsOn: [controller] },
  );
  const ingressClass = new k8s.networking.v1.IngressClass(
    `${scope.name}-ingress-class`,
    {
      metadata: { name: INGRESS_CLASS },
      spec: {
        controller: INGRESS_CONTROLLER,
        parameters: {
          apiGroup: "ingress.oraclecloud.com",
          kind: "IngressClassParameters",
          name: parametersName,
          namespace: INGRESS_NAMESPACE,
          scope: "Namespace",
        },
      },
    },
    { parent: scope.parent, dependsOn: [parameters] },
  );
  return {
    ingressClassName: ingressClass.metadata.name,
    controllerNamespace: controller.id.apply(() => INGRESS_NAMESPACE),
  };
}
