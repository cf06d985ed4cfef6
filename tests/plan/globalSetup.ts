/**
 * Jest globalSetup: the run's folder for the worst-case plans the test files share
 * (tests/plan/worstCase.ts). The workers start after this, with the variable in their environment.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const PLAN_DIR_ENV = "OFFICELESS_PLAN_DIR";

export default function globalSetup(): void {
  process.env[PLAN_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-plans-"));
}
