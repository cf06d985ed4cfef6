/**
 * Velero's volume policy as the backends install it (components/velero.ts): the ConfigMap's one
 * document parsed, matched the way Velero matches it (internal/resourcepolicies: the first policy
 * whose every condition holds), and the checks each backend's test makes of its ConfigMap.
 */
import { parse } from "yaml";
import {
  VELERO_NAMESPACE,
  VELERO_VOLUME_POLICY,
  VELERO_VOLUME_POLICY_KEY,
} from "../components/velero";
import { one, RecordingMocks, releaseValues } from "./harness";

export interface VolumePolicyDocument {
  version: string;
  volumePolicies: {
    conditions: { volumeTypes?: string[]; pvcLabels?: Record<string, string> };
    action: { type: string };
  }[];
}

/** A volume as Velero sees it: its source type and, for a claim, the claim's labels. */
export interface PolicyVolume {
  readonly type: string;
  readonly pvcLabels?: Readonly<Record<string, string>>;
}

/** The action of the first policy matching `volume`, or undefined (backed up as usual). */
export function policyAction(doc: VolumePolicyDocument, volume: PolicyVolume): string | undefined {
  const hit = doc.volumePolicies.find(({ conditions: c }) => {
    if (c.volumeTypes && !c.volumeTypes.includes(volume.type)) return false;
    if (c.pvcLabels) {
      const labels = volume.pvcLabels ?? {};
      if (Object.entries(c.pvcLabels).some(([k, v]) => labels[k] !== v)) return false;
    }
    return true;
  });
  return hit?.action.type;
}

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/**
 * The backend's policy ConfigMap (Pulumi name `name`) is Velero's, in its namespace after the
 * namespace, one key, before the release `release`, whose schedules all reference it; returns
 * the parsed document.
 */
export function expectVolumePolicyInstalled(
  mocks: RecordingMocks,
  name: string,
  release: string,
): VolumePolicyDocument {
  const map = one(mocks, CONFIG_MAP, name);
  expect(map.inputs.metadata).toMatchObject({
    name: VELERO_VOLUME_POLICY,
    namespace: VELERO_NAMESPACE,
  });
  const data = map.inputs.data as Record<string, string>;
  expect(Object.keys(data)).toEqual([VELERO_VOLUME_POLICY_KEY]);
  const namespace = one(mocks, "kubernetes:core/v1:Namespace");
  expect(map.options.dependsOn).toContain(namespace.urn);
  const helm = one(mocks, "kubernetes:helm.sh/v3:Release", release);
  expect(helm.options.dependsOn).toContain(map.urn);
  const schedules = Object.values(releaseValues(mocks, release).schedules) as {
    template: unknown;
  }[];
  expect(schedules.length).toBeGreaterThan(0);
  for (const s of schedules)
    expect(s.template).toMatchObject({
      resourcePolicy: { kind: "configmap", name: VELERO_VOLUME_POLICY },
    });
  return parse(data[VELERO_VOLUME_POLICY_KEY]) as VolumePolicyDocument;
}
