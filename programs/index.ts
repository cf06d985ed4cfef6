/**
 * Pulumi.yaml's main: `pulumi up -s <stack>` runs this with the stack's `officeless:` config.
 * A top-level function entrypoint: Pulumi calls it, awaits it and exports what it returns.
 */
import { runProgram } from "./program";

export = async (): Promise<Record<string, unknown>> => runProgram();
