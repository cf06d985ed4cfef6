/**
 * What one cloud contributes to the offline mocks: the computed outputs its resources report and
 * the answers to its invokes. One file per cloud (automation/offline/clouds/<cloud>.ts), listed in
 * ./index.ts, so a cloud's mock behaviour sits beside nothing else.
 */
import type { MockSettings } from "../mocks";

/** An invoke's answer from its inputs, the stack's region and the mock settings. */
export type Invoke = (
  inputs: any,
  region: string,
  settings: MockSettings,
) => Record<string, unknown>;

export interface CloudMocks {
  /** Type-token prefix of the cloud's resources and invokes, e.g. `aws:`. */
  readonly prefix: string;
  /**
   * Outputs a resource reports beyond its inputs (ids, endpoints, names consumers read);
   * undefined when the type needs none.
   */
  outputs(
    type: string,
    name: string,
    inputs: Record<string, any>,
    region: string,
  ): Record<string, unknown> | undefined;
  readonly invokes: Readonly<Record<string, Invoke>>;
}

/** A stable 8-hex-digit hash (FNV-1a) for deterministic fake ids. */
export function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** A documentation-range (TEST-NET-3) public address, stable per name. */
export function mockPublicIp(name: string): string {
  return `203.0.113.${(parseInt(shortHash(name), 16) % 250) + 1}`;
}
