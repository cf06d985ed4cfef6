/**
 * The on-prem network layer: no cloud resources. The site's networks exist already; this layer
 * checks what the config declares about them (node segments per zone inside the site network) and
 * exports it as the same `NetworkOutputs` the clouds give, so downstream layers wire identically.
 */
import * as pulumi from "@pulumi/pulumi";
import type { NetworkArgs, NetworkOutputs } from "../../components/network";
import type { Scope } from "../../components/types";
import { ValidationError } from "../../components/validation";
import { onpremNetworkIssues } from "./catalog";
import { onpremOf } from "./common";

export function onpremNetwork(_scope: Scope, args: NetworkArgs): NetworkOutputs {
  const onprem = onpremOf(args);
  // The config parser ran these already; a component built from code gets them here.
  const issues = onpremNetworkIssues(onprem, args.zones, args.network.cidr);
  if (issues.length > 0) throw new ValidationError(issues, "args.", "Invalid on-prem network");
  // Zone order, as on the clouds: downstream pins replicas to zones by index.
  const segments = args.zones.flatMap((zone) =>
    onprem.nodeNetworks.filter((n) => n.zone === zone).map((n) => n.cidr),
  );
  const site = onprem.vpn.localPublicIp;
  return {
    networkId: pulumi.output(`onprem:${args.region}`),
    cidr: pulumi.output(args.network.cidr),
    zones: pulumi.output([...args.zones]),
    publicSubnetIds: pulumi.output([]),
    privateSubnetIds: pulumi.output(segments),
    databaseSubnetIds: pulumi.output([]),
    privateRouteTableIds: pulumi.output([]),
    natPublicIps: pulumi.output(site ? [site] : []),
  };
}
