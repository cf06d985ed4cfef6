/**
 * AWS observability: Mimir, Loki and Tempo in one namespace, each storing in its own S3 bucket of
 * the storage layer through its own Pod Identity role, which can touch only that bucket and use
 * the storage key only through S3. The releases and their values are the shared ones of
 * components/observabilityRelease.ts; this module adds the Pod Identity wiring and the S3 endpoint.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import { observabilityStack } from "../../components/observabilityRelease";
import { Scope } from "../../components/types";
import { OBSERVABILITY_NAMES } from "../../components/observabilityValues";
import { PolicyStatement, podIdentityRole } from "./common";

/**
 * Read/write on one bucket's objects, listing that bucket, and the storage key for S3's
 * envelope encryption only when S3 asks for it on the workload's behalf (`kms:ViaService`).
 */
export function signalBucketStatements(args: {
  partition: pulumi.Input<string>;
  bucket: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  s3Host: pulumi.Input<string>;
  /** Object actions this signal needs beyond read/write (see SIGNAL_OBJECT_ACTIONS). */
  extraObjectActions?: readonly string[];
}): PolicyStatement[] {
  const bucketArn = pulumi.interpolate`arn:${args.partition}:s3:::${args.bucket}`;
  return [
    {
      Sid: "ListOwnBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn,
    },
    {
      Sid: "ReadWriteOwnObjects",
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        ...(args.extraObjectActions ?? []),
      ],
      Resource: pulumi.interpolate`${bucketArn}/*`,
    },
    {
      Sid: "StorageKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: args.keyArn,
      Condition: { StringEquals: { "kms:ViaService": args.s3Host } },
    },
  ];
}

/**
 * Per signal, the object actions its upstream minimum policy lists beyond read/write: Tempo's
 * "minimal permissions required by Tempo" include the object tagging calls
 * (grafana.com/docs/tempo/latest/configuration/hosted-storage/s3/). Mimir and Loki list none.
 */
export const SIGNAL_OBJECT_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  [OBSERVABILITY_NAMES.tempo]: ["s3:GetObjectTagging", "s3:PutObjectTagging"],
};

export function awsObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  return observabilityStack(scope, args, () => {
    const partition = aws.getPartitionOutput({}, { parent: scope.parent });
    // Regional S3 endpoint of the deploying partition (amazonaws.com, amazonaws.com.cn, ...).
    const s3Host = pulumi.interpolate`s3.${args.region}.${partition.dnsSuffix}`;
    return ({ signal, namespace, bucket }) => {
      const identity = podIdentityRole(scope, signal.name, {
        clusterName: args.kubernetes.clusterName,
        namespace,
        serviceAccount: signal.name,
        statements: signalBucketStatements({
          partition: partition.partition,
          bucket,
          keyArn: args.storage.encryptionKeyId,
          s3Host,
          extraObjectActions: SIGNAL_OBJECT_ACTIONS[signal.name],
        }),
      });
      return {
        storage: pulumi.output({
          kind: "s3" as const,
          bucket,
          region: args.region,
          endpoint: s3Host,
        }),
        // Pod Identity credentials are injected at pod creation: the association must exist first.
        dependsOn: [identity.association],
      };
    };
  });
}
