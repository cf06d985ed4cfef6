/** The on-prem backup layer (being built on this branch). */
import type { BackupArgs, BackupOutputs } from "../../components/backup";
import type { Scope } from "../../components/types";

export function onpremBackup(_scope: Scope, _args: BackupArgs): BackupOutputs {
  throw new Error("onprem backup layer: not built yet");
}
