/**
 * AWS observability: Mimir, Loki and Tempo in one namespace, each storing in its own S3 bucket of
 * the storage layer through its own Pod Identity role, which can touch only that bucket and use
 * the storage key only through S3. The chart values come from components/observabilityValues.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ChartKey, helmRelease, releaseLabel } from "../../components/charts";
import type { ObservabilityArgs, ObservabilityOutputs } from "../../components/observability";
import {
  lokiValues,
  mimirValues,
  OBSERVABILITY_NAMES,
  observabilityEndpoints,
  retentionPeriod,
  SignalValuesArgs,
  tempoValues,
} from "../../components/observabilityValues";
import type { BucketPurpose } from "../../components/storage";
import { Scope } from "../../components/types";
import { Issue, ValidationError } from "../../components/validation";
import { PolicyStatement, podIdentityRole } from "./common";

interface Signal {
  /** Child names and the chart's service account. */
  readonly name: string;
  readonly chart: ChartKey;
  readonly bucket: BucketPurpose;
  readonly values: (args: SignalValuesArgs) => Record<string, unknown>;
}

const SIGNALS: readonly Signal[] = [
  { name: OBSERVABILITY_NAMES.mimir, chart: "mimir", bucket: "metrics", values: mimirValues },
  { name: OBSERVABILITY_NAMES.loki, chart: "loki", bucket: "logs", values: lokiValues },
  { name: OBSERVABILITY_NAMES.tempo, chart: "tempo", bucket: "traces", values: tempoValues },
];

/**
 * Read/write on one bucket's objects, listing that bucket, and the storage key for S3's
 * envelope encryption only when S3 asks for it on the workload's behalf (`kms:ViaService`).
 */
export function signalBucketStatements(args: {
  partition: pulumi.Input<string>;
  bucket: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  s3Host: pulumi.Input<string>;
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
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
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

export function awsObservability(scope: Scope, args: ObservabilityArgs): ObservabilityOutputs {
  if (!args.observability.enabled) {
    const issue: Issue = { path: "observability.enabled", value: false, message: "is off; do not build the Observability component" };
    throw new ValidationError([issue], "args.", "Invalid Observability arguments");
  }
  // Fail on a bad retention before any child exists (the values are built later, inside an apply).
  retentionPeriod(args.observability.retentionDays);
  const namespace = OBSERVABILITY_NAMES.namespace;
  const highAvailability = args.environment === "prod";

  const partition = aws.getPartitionOutput({}, { parent: scope.parent });
  // Regional S3 endpoint of the deploying partition (amazonaws.com, amazonaws.com.cn, ...).
  const s3Host = pulumi.interpolate`s3.${args.region}.${partition.dnsSuffix}`;

  const labels = SIGNALS.map((signal) => {
    const bucket = args.storage.buckets.apply((buckets) => buckets[signal.bucket]);
    const identity = podIdentityRole(scope, signal.name, {
      clusterName: args.kubernetes.clusterName,
      namespace,
      serviceAccount: signal.name,
      statements: signalBucketStatements({
        partition: partition.partition,
        bucket,
        keyArn: args.storage.encryptionKeyId,
        s3Host,
      }),
    });
    const values = pulumi.all([bucket, s3Host]).apply(([bucketName, endpoint]) =>
      signal.values({
        storage: { kind: "s3", bucket: bucketName, region: args.region, endpoint },
        retentionDays: args.observability.retentionDays,
        serviceAccountName: signal.name,
        highAvailability,
      }),
    );
    const release = helmRelease(
      scope,
      signal.name,
      { chart: signal.chart, namespace, releaseName: signal.name, values },
      // Pod Identity credentials are injected at pod creation: the association must exist first.
      { dependsOn: [identity.association] },
    );
    return releaseLabel(release, signal.chart);
  });

  const urls = observabilityEndpoints(namespace);
  const releases = pulumi.all(labels);
  // Outputs wait for the releases, so consumers never see a URL before its service exists.
  const afterReleases = (value: string) => releases.apply(() => value);
  return {
    namespace: afterReleases(namespace),
    metricsUrl: afterReleases(urls.metricsUrl),
    logsUrl: afterReleases(urls.logsUrl),
    tracesUrl: afterReleases(urls.tracesUrl),
    releases,
  };
}
