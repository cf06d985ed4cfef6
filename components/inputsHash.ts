/**
 * A short stable hash of the inputs a cloud cannot change on an existing resource. Node pools put
 * it in their cloud-side name: when one of those inputs changes, the replacement has a new name, so
 * Pulumi creates it before deleting the old pool (a fixed name would need delete-first, and the
 * pool's capacity would drop to zero meanwhile). Shared by AKS and GKE pools. Beside it, the
 * content digest that pod templates carry.
 */
import { createHash } from "crypto";

/**
 * `length` lowercase letters and digits from a SHA-256 of `keys`' values in `inputs` (an absent
 * key counts as null; keys not listed are ignored, so inputs the cloud updates in place never
 * change it). Two generations share a hash only if it collides; the cloud then refuses the create
 * as existing and nothing is deleted.
 */
export function inputsHash<K extends string>(
  keys: readonly K[],
  inputs: Partial<Record<K, unknown>>,
  length: number,
): string {
  const picked = keys.map((k) => [k, inputs[k] ?? null]);
  const digest = createHash("sha256").update(JSON.stringify(picked)).digest("hex");
  return BigInt(`0x${digest}`).toString(36).slice(-length).padStart(length, "0");
}

/**
 * 16 hex digits of a SHA-256 of `text`: pod templates carry it in an annotation, so a changed
 * config or a renewed certificate changes the template and the pods roll (or a Job reruns).
 */
export function contentDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
