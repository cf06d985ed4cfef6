/**
 * Every cloud's offline mocks, by type-token prefix. A new cloud adds its file and one line here.
 * Types of no listed cloud (random, kubernetes, command, ...) get only the shared outputs in ../mocks.ts.
 */
import { ALIBABA_MOCKS } from "./alibaba";
import { AWS_MOCKS } from "./aws";
import { AZURE_MOCKS } from "./azure";
import type { CloudMocks } from "./common";
import { GCP_MOCKS } from "./gcp";
import { HUAWEI_MOCKS } from "./huawei";
import { OCI_MOCKS } from "./oci";
import { ONPREM_MOCKS } from "./onprem";
import { VOLCENGINE_MOCKS } from "./volcengine";

export const CLOUD_MOCKS: readonly CloudMocks[] = [
  AWS_MOCKS,
  GCP_MOCKS,
  AZURE_MOCKS,
  HUAWEI_MOCKS,
  OCI_MOCKS,
  VOLCENGINE_MOCKS,
  ONPREM_MOCKS,
  ALIBABA_MOCKS,
];

/** The cloud mocks a type or invoke token belongs to, if any. */
export function cloudMocksFor(token: string): CloudMocks | undefined {
  return CLOUD_MOCKS.find((m) => token.startsWith(m.prefix));
}
