/**
 * The bucket-policy statements every S3 bucket of the project carries: refuse plain HTTP and TLS
 * before 1.2. No SDK import, so light callers (the bootstrap program) share them too.
 */
import type * as pulumi from "@pulumi/pulumi";

export function tlsOnlyStatements(resources: pulumi.Input<pulumi.Input<string>[]>): object[] {
  return [
    {
      Sid: "DenyWithoutTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOldTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ];
}
