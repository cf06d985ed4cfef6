/**
 * The Alibaba Cloud backend: one module per layer, assembled behind the shared `CloudBackend`.
 *
 * How the cloud-agnostic outputs map onto Alibaba Cloud:
 * - `networkId`: the VPC id; it resolves only once NAT, SNAT, routes, pod vSwitches and flow logs
 *   exist. `publicSubnetIds` / `privateSubnetIds` / `databaseSubnetIds`: vSwitch ids per zone;
 *   the Terway pod vSwitches are found by their tier tag (common.ts `tierSwitches`).
 *   `privateRouteTableIds`: the per-zone custom route tables of the node and pod vSwitches.
 *   `natPublicIps`: the NAT gateways' EIPs.
 * - `endpoint`: the API server's intranet address; `clusterId`: the ACK cluster id;
 *   `nodeSecurityGroupId` / `clusterSecurityGroupId`: the enterprise security group ACK created;
 *   `nodeIdentity`: the worker RAM role; `oidcIssuerUrl`: RRSA's issuer; `encryptionKeyId`: the
 *   KMS key of Secrets and node disks.
 * - Backup `vaultName` / `planId`: the HBR vault and the disks' snapshot policy.
 * - Cache `securityGroupId`: empty (Tair admits by whitelist). `authToken`: the password.
 * - Load balancing `ingressClassName`: `alb`; `controllerNamespace`: empty (the ALB Ingress
 *   Controller is managed by ACK). Add-ons: no releases (ACK ships metrics-server and scales pools).
 */
import { CloudBackend } from "../backend";
import { alibabaAddons } from "./addons";
import { alibabaBackup } from "./backup";
import { alibabaCache } from "./cache";
import { alibabaKubernetes } from "./kubernetes";
import { alibabaLoadBalancing } from "./loadBalancing";
import { alibabaNetwork } from "./network";
import { alibabaObservability } from "./observability";
import { alibabaStorage } from "./storage";
import { alibabaVpn } from "./vpn";

export const alibabaBackend: CloudBackend = {
  cloud: "alibaba",
  clusterApiLayers: ["storage", "addons", "observability"],
  network: alibabaNetwork,
  kubernetes: alibabaKubernetes,
  storage: alibabaStorage,
  backup: alibabaBackup,
  loadBalancing: alibabaLoadBalancing,
  vpn: alibabaVpn,
  addons: alibabaAddons,
  cache: alibabaCache,
  observability: alibabaObservability,
};
