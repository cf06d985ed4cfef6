/**
 * Values a resource takes at creation only (the input is in its `ignoreChanges`) but that come
 * from a lookup run on every preview and `up`: OKE's newest patch and node image, ACK's newest
 * release. Once the cloud stops offering what the lookup seeks (an old minor, the image of the
 * running patch), a throwing lookup would stop every later run of the layer, for any change,
 * although the running resource ignores the value. So a failed lookup warns and yields a
 * placeholder the cloud refuses: only a resource being created would send it, after the warning
 * that says what to set.
 */
import * as pulumi from "@pulumi/pulumi";

/** The prefix of the placeholder a failed creation-time lookup yields. */
export const UNRESOLVED = "unresolved-at-creation";

/** `lookup()`, or, when it throws, a warning on `resource` and the placeholder. */
export function resolvedAtCreation(
  what: string,
  lookup: () => string,
  resource?: pulumi.Resource,
): string {
  try {
    return lookup();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    void pulumi.log.warn(
      `${what}: ${reason}. A running resource ignores this value after creation, so the run goes on; a resource being created needs it and the cloud will refuse the placeholder "${UNRESOLVED}".`,
      resource,
    );
    return UNRESOLVED;
  }
}
