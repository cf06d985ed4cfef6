/** Bootstrap test helpers: the dry-run plan of a request and its resources by type and name. */
import { RecordedResource } from "../../automation/offline/mocks";
import { BootstrapPlan, BootstrapRequest, planBootstrap } from "../../automation/bootstrap/run";

export async function planOf(req: BootstrapRequest): Promise<BootstrapPlan> {
  return planBootstrap(req);
}

/** The one resource of a type and logical name, failing clearly otherwise. */
export function resource(plan: BootstrapPlan, type: string, name: string): RecordedResource {
  const found = plan.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected one ${type} ${name}; have ${plan.resources.map((r) => `${r.type} ${r.name}`).join(", ")}`,
    );
  return found[0];
}

/** The logical names of the resource a resource waits for. */
export function after(_plan: BootstrapPlan, r: RecordedResource): string[] {
  return r.options.dependsOn.map((urn) => urn.split("::").pop() as string);
}

/** `type name` of every custom resource: the identity of the plan (a rename would replace). */
export function identities(plan: BootstrapPlan): string[] {
  return plan.resources
    .filter((r) => r.custom)
    .map((r) => `${r.type} ${r.name}`)
    .sort();
}
