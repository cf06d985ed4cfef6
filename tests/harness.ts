/** Test helpers: install the recording mocks, read outputs, find resources. */
import * as pulumi from "@pulumi/pulumi";
import {
  installMocks,
  MockSettings,
  RecordedResource,
  RecordingMocks,
} from "../automation/offline/mocks";

export type { RecordedResource, RecordingMocks };

/** Installs fresh recording mocks; call in `beforeEach` (or before building resources). */
export function mockPulumi(settings: MockSettings = {}): Promise<RecordingMocks> {
  return installMocks(settings);
}

/** The resolved value of an output (under mocks every output resolves). */
export function valueOf<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

/** Whether an output is marked secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/** Waits until every pending registration has reached the mocks. */
export async function settle(): Promise<void> {
  await (pulumi.runtime as any).waitForRPCs();
}

/** The single resource of a type (and name), failing clearly otherwise. */
export function one(mocks: RecordingMocks, type: string, name?: string): RecordedResource {
  const found = mocks.byType(type, name);
  if (found.length !== 1) {
    const names = mocks.byType(type).map((r) => r.name);
    throw new Error(
      `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: [${names.join(", ")}]`,
    );
  }
  return found[0];
}

/** The values handed to the one Helm release named `name`. */
export function releaseValues(mocks: RecordingMocks, name: string): any {
  return one(mocks, "kubernetes:helm.sh/v3:Release", name).inputs.values;
}

/** An IAM policy statement as recorded (the JSON document parsed). */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

/** The statements of a recorded IAM policy document (a JSON string input). */
export function policyStatements(policy: unknown): PolicyStatement[] {
  return JSON.parse(policy as string).Statement;
}

/** A field that holds one value or a list (IAM `Action`, `Resource`), as a list. */
export function asList<V>(value: V | V[]): V[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * URNs of every resource an output waits for (its value is known only after they are created):
 * what a downstream resource built from it depends on. Reads the SDK's `allResources()`.
 */
export async function resourcesBehind(output: pulumi.Output<unknown>): Promise<string[]> {
  const all = (await (
    output as unknown as { allResources(): Promise<Set<pulumi.Resource>> }
  ).allResources()) as Set<pulumi.Resource>;
  return Promise.all([...all].map((r) => valueOf(r.urn)));
}
