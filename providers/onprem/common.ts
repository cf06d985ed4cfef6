/**
 * What every on-prem layer shares: the site's config section (which stands in for a cloud API) and
 * the SSH connection to a host.
 */
import type { CommonArgs } from "../../components/types";
import type { OnpremConfig, OnpremSshConfig } from "./types";

/** The `officeless:onprem` section a component was given; the config parser guarantees it on cloud onprem. */
export function onpremOf(args: CommonArgs): OnpremConfig {
  if (!args.onprem) {
    throw new Error(
      "onprem backend: args.onprem is missing; the site's facts (officeless:onprem) are required on cloud onprem",
    );
  }
  return args.onprem;
}

/** A `@pulumi/command` remote connection to `host` with the site's SSH credentials. */
export function sshConnection(ssh: OnpremSshConfig, host: string) {
  return {
    host,
    port: ssh.port,
    user: ssh.user,
    privateKey: ssh.privateKey,
    // Hosts may still be booting when the first command runs.
    dialErrorLimit: 20,
    perDialTimeout: 15,
  };
}
