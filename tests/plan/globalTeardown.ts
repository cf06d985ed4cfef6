/** Jest globalTeardown: removes the run's folder of shared worst-case plans (globalSetup.ts). */
import * as fs from "fs";
import { PLAN_DIR_ENV } from "./globalSetup";

export default function globalTeardown(): void {
  const dir = process.env[PLAN_DIR_ENV];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
