/**
 * Pulumi.yaml's main: `pulumi up -s <stack>` runs this with the stack's `officeless:` config.
 * It sits at the project root because Pulumi runs the program from main's folder and compiles it
 * with the tsconfig.json found there (under programs/ it would find none and use its own
 * defaults). A top-level function entrypoint: Pulumi calls it, awaits it and exports what it
 * returns.
 */
import { runProgram } from "./programs/program";

export = async (): Promise<Record<string, unknown>> => runProgram();
