/**
 * What every on-prem layer shares: the site's config section (which stands in for a cloud API),
 * the SSH connection to a host, and the shell preamble of every command run over it.
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

/** A `@pulumi/command` remote connection to a host with the site's SSH credentials. */
export function sshConnection(
  ssh: OnpremSshConfig,
  host: { readonly address: string; readonly hostKey?: string },
) {
  return {
    host: host.address,
    port: ssh.port,
    user: ssh.user,
    privateKey: ssh.privateKey,
    // Without a key @pulumi/command accepts any host key; the config requires one in prod.
    ...(host.hostKey ? { hostKey: host.hostKey } : {}),
    // Hosts may still be booting when the first command runs.
    dialErrorLimit: 20,
    perDialTimeout: 15,
  };
}

/**
 * Options every remote command shares. `addPreviousOutputInEnv` is off: it sets
 * PULUMI_COMMAND_STDOUT through SSH `setenv`, which sshd refuses without AcceptEnv, and the
 * delete command then fails (pulumi/pulumi-command#430); it would also hand a kubeconfig read
 * earlier to the next run's environment. Every script is idempotent as well: a connection diff
 * (pulumi/pulumi-command#447) may run it again.
 */
export const REMOTE_COMMAND_DEFAULTS = { addPreviousOutputInEnv: false } as const;

/** Runs as root: directly when the SSH user is root, else through non-interactive sudo. */
export const AS_ROOT = 'SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"';
