/** Helm values merging, shared by the observability values builders. */

/** Plain-object deep merge: `extra` wins, nested maps merge, lists are replaced. */
export function mergeValues(
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] =
      b &&
      v &&
      typeof b === "object" &&
      typeof v === "object" &&
      !Array.isArray(b) &&
      !Array.isArray(v)
        ? mergeValues(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
