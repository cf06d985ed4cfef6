import {
  DEFAULT_KUBERNETES_VERSION,
  endOfStandardSupport,
  KUBERNETES_SUPPORT,
  KUBERNETES_VERSIONS,
  SUPPORT_NOT_TRACKED,
  VERSIONS_CHECKED_ON,
} from "../components/versions";
import { supportedClouds as allSupported } from "../providers/registry";

/** The supported clouds whose calendar the table tracks. */
const supportedClouds = () => allSupported().filter((c) => !(c in SUPPORT_NOT_TRACKED));

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

describe("Kubernetes versions in time (REVIEW.md)", () => {
  it("accepts only minors every supported cloud still supports on the day the table was checked", () => {
    for (const minor of KUBERNETES_VERSIONS) {
      for (const cloud of supportedClouds()) {
        const end = endOfStandardSupport(minor, cloud);
        expect({ minor, cloud, end }).toEqual({ minor, cloud, end: expect.any(String) });
        expect(days(VERSIONS_CHECKED_ON, end!)).toBeGreaterThan(0);
      }
    }
  });

  it("defaults to the newest minor, with at least six months of support left everywhere", () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe(KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1]);
    for (const cloud of supportedClouds())
      expect(
        days(VERSIONS_CHECKED_ON, endOfStandardSupport(DEFAULT_KUBERNETES_VERSION, cloud)!),
      ).toBeGreaterThan(180);
  });

  it("says why a supported cloud's calendar is not tracked", () => {
    for (const [cloud, why] of Object.entries(SUPPORT_NOT_TRACKED)) {
      expect(allSupported()).toContain(cloud);
      expect(why).toMatch(/docs\/clouds\//);
    }
  });

  it("lists minors in order, as ISO dates", () => {
    expect(KUBERNETES_VERSIONS).toEqual(Object.keys(KUBERNETES_SUPPORT).sort());
    for (const byCloud of Object.values(KUBERNETES_SUPPORT))
      for (const date of Object.values(byCloud)) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
