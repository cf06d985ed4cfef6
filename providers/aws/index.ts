/** The AWS backend: one module per layer, assembled behind the shared `CloudBackend` interface. */
import { CloudBackend } from "../backend";
import { awsAddons } from "./addons";
import { awsBackup } from "./backup";
import { awsCache } from "./cache";
import { awsKubernetes } from "./kubernetes";
import { awsLoadBalancing } from "./loadBalancing";
import { awsNetwork } from "./network";
import { awsObservability } from "./observability";
import { awsStorage } from "./storage";
import { awsVpn } from "./vpn";

export const awsBackend: CloudBackend = {
  cloud: "aws",
  clusterApiLayers: ["storage", "addons", "observability"],
  network: awsNetwork,
  kubernetes: awsKubernetes,
  storage: awsStorage,
  backup: awsBackup,
  loadBalancing: awsLoadBalancing,
  vpn: awsVpn,
  addons: awsAddons,
  cache: awsCache,
  observability: awsObservability,
};
