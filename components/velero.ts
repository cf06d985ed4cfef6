/**
 * What every backend that backs up through Velero shares (on-prem, Volcengine): its namespace and
 * the AWS credentials file its S3 plugin reads from the `cloud` key of a Secret. Pure.
 */

export const VELERO_NAMESPACE = "velero";

/** The credentials file Velero's AWS plugin reads (AWS_SHARED_CREDENTIALS_FILE). */
export function credentialsFile(accessKeyId: string, secretAccessKey: string): string {
  return `[default]\naws_access_key_id=${accessKeyId}\naws_secret_access_key=${secretAccessKey}\n`;
}
