/** Fixture builders for the policy pack's tests: resources as the offline plan records them. */
import { mockIdOf, RecordedResource, SECRET_PLACEHOLDER } from "../../automation/offline/mocks";

export { SECRET_PLACEHOLDER };

/** A layer stack's resources for one policy fixture (the environment as the platform tags it). */
export interface StackFixture {
  readonly resources: RecordedResource[];
  readonly environment?: string;
}

/** One policy's fixtures: a stack that passes, and one that violates it (with the message's gist). */
export interface PolicyFixture {
  readonly pass: StackFixture;
  readonly fail: StackFixture;
  readonly message: RegExp;
}

export type Fixtures = Readonly<Record<string, PolicyFixture>>;

/** A recorded custom resource: `type`, logical `name`, inputs, `protect`. */
export function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  protect = false,
): RecordedResource {
  return {
    urn: `urn:pulumi:fixture::officeless::${type}::${name}`,
    type,
    name,
    parent: "",
    custom: true,
    inputs,
    options: {
      protect,
      retainOnDelete: false,
      ignoreChanges: [],
      dependsOn: [],
      deleteBeforeReplace: false,
      provider: "",
    } as RecordedResource["options"],
  };
}

/** The id another resource's input holds when it refers to `name` (the mocks' ids). */
export const idOf = mockIdOf;

export const stack = (resources: RecordedResource[], environment?: string): StackFixture => ({
  resources,
  ...(environment ? { environment } : {}),
});

/** A deep copy of `resource` with `edit` applied to its inputs. */
export function edited(
  resource: RecordedResource,
  edit: (inputs: Record<string, any>) => void,
): RecordedResource {
  const copy = structuredClone(resource);
  edit(copy.inputs);
  return copy;
}
