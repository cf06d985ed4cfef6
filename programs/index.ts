/** Pulumi.yaml's main: `pulumi up -s <stack>` runs this with the stack's `officeless:` config. */
import { runProgram } from "./program";

export = runProgram();
