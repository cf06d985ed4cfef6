/**
 * What every backend that backs up through Velero shares (on-prem, Volcengine): its namespace and
 * the AWS credentials file its S3 plugin reads from the `cloud` key of a Secret. Pure.
 */

import { scrapeAnnotations } from "./observabilityCollectors";

export const VELERO_NAMESPACE = "velero";

/**
 * Velero's metrics (backup and restore outcomes, 8085) to the collectors: the chart adds
 * `metrics.podAnnotations` to the server's pods when `metrics.enabled` (its default).
 */
export const VELERO_METRICS_VALUES = {
  metrics: { enabled: true, podAnnotations: scrapeAnnotations(8085, { container: "velero" }) },
} as const;

/** The credentials file Velero's AWS plugin reads (AWS_SHARED_CREDENTIALS_FILE). */
export function credentialsFile(accessKeyId: string, secretAccessKey: string): string {
  return `[default]\naws_access_key_id=${accessKeyId}\naws_secret_access_key=${secretAccessKey}\n`;
}
