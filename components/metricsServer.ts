/** metrics-server values, shared by every cloud that installs the chart (AWS, Huawei Cloud). */

/** metrics-server values: two replicas kept apart by a disruption budget in prod. */
export function metricsServerValues(highAvailability: boolean): Record<string, unknown> {
  return highAvailability
    ? { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } }
    : { replicas: 1 };
}
