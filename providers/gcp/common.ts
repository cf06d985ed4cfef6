/**
 * Pieces every GCP layer shares: labels adapted from tags, the project lookup, Cloud KMS keys with
 * the service agents that may use them, short service-account ids, retained log buckets, and
 * Google service accounts bound to one Kubernetes service account through Workload Identity.
 */
import * as kms from "@pulumi/gcp/kms";
import * as logging from "@pulumi/gcp/logging";
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cutName } from "../../components/names";
import { Scope, Tags } from "../../components/types";

export { cutName };

/**
 * The network tag every GKE node carries: the firewall rules of the network layer target it, and
 * the kubernetes layer exports it as `nodeSecurityGroupId`. Fixed, because each platform has its
 * own VPC and tags are scoped to it.
 */
export const NODE_TAG = "officeless-gke-node";

/** Rotation of every customer key: 90 days, the usual compliance ceiling. */
export const KEY_ROTATION_PERIOD = `${90 * 24 * 3600}s`;

/** Cloud KMS role a service agent needs to encrypt with a customer key. */
export const KEY_USER_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

const LABEL_TEXT = /[^a-z0-9_-]/g;

/** One key or value as a GCP label: lowercase, `[a-z0-9_-]` only (others become `_`), at most 63 characters. */
function labelText(text: string): string {
  return text.toLowerCase().replace(LABEL_TEXT, "_").slice(0, 63);
}

/**
 * Tags as GCP labels: keys and values lowercased, other characters replaced by `_` (`cost-center:
 * 1234` stays, `Team: Platform` becomes `team: platform`), keys forced to start with a letter.
 */
export function gcpLabels(tags: Tags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    let k = labelText(key);
    if (!/^[a-z]/.test(k)) k = `k${k}`.slice(0, 63);
    out[k] = labelText(value);
  }
  return out;
}

/**
 * A service account id (6-30 characters, lowercase, starting with a letter) for `${base}-${role}`:
 * the name itself when it fits, otherwise its head plus a hash of the whole, so ids stay unique.
 */
export function accountId(base: string, role: string): string {
  return cutName(`${base}-${role}`.toLowerCase().replace(/[^a-z0-9-]/g, "-"), 30);
}

export interface Project {
  readonly projectId: pulumi.Output<string>;
  /** The project number: service agents are named after it. */
  readonly number: pulumi.Output<string>;
}

/** The provider's project (one invoke, parented to the scope). */
export function gcpProject(scope: Scope): Project {
  const project = organizations.getProjectOutput({}, { parent: scope.parent });
  return {
    projectId: project.apply((p) => p.projectId ?? p.id.replace(/^projects\//, "")),
    number: project.number,
  };
}

/** `serviceAccount:service-<number>@<domain>`: a Google-managed service agent of the project. */
export function serviceAgent(project: Project, domain: string): pulumi.Output<string> {
  return pulumi.interpolate`serviceAccount:service-${project.number}@${domain}`;
}

/** Service agent domains of the services that encrypt with our keys. */
export const SERVICE_AGENTS = {
  gke: "container-engine-robot.iam.gserviceaccount.com",
  /** Compute Engine: node boot disks and PD CSI volumes. */
  compute: "compute-system.iam.gserviceaccount.com",
  filestore: "cloud-filer.iam.gserviceaccount.com",
  redis: "cloud-redis.iam.gserviceaccount.com",
  memorystore: "gcp-sa-memorystore.iam.gserviceaccount.com",
  gkeBackup: "gcp-sa-gkebackup.iam.gserviceaccount.com",
} as const;

export type AgentName = keyof typeof SERVICE_AGENTS;

/** The API whose service agent each of SERVICE_AGENTS is. */
export const AGENT_APIS: Record<AgentName, string> = {
  gke: "container.googleapis.com",
  compute: "compute.googleapis.com",
  filestore: "file.googleapis.com",
  redis: "redis.googleapis.com",
  memorystore: "memorystore.googleapis.com",
  gkeBackup: "gkebackup.googleapis.com",
};

/**
 * Agents with no `projects.ServiceIdentity`: `generateServiceIdentity` refuses Compute Engine
 * (terraform-google-project-factory PR #628, which skips it in `modules/project_services`); its
 * `service-<n>@compute-system` agent exists once the Compute Engine API is on, so its grants wait
 * only on that API.
 */
export const AGENTS_WITHOUT_IDENTITY: ReadonlySet<AgentName> = new Set<AgentName>(["compute"]);

/**
 * What must be on before `pulumi up` can enable anything: the provider's project lookup calls
 * Resource Manager and `projects.Service` calls Service Usage. Both are on in projects created
 * from the console; the README's first-deploy steps enable them otherwise.
 */
export const BOOTSTRAP_APIS = [
  "serviceusage.googleapis.com",
  "cloudresourcemanager.googleapis.com",
];

export interface ProjectServices {
  /** The enabled APIs: every child that calls one of them depends on these. */
  readonly apis: projects.Service[];
  /**
   * Service agents created up front (`generateServiceIdentity`), so grants to them never race;
   * none for AGENTS_WITHOUT_IDENTITY, whose grants wait on their API in `apis`.
   */
  readonly agents: Partial<Record<AgentName, projects.ServiceIdentity>>;
}

/**
 * Enables the APIs a layer uses and creates the service agents it grants roles to. Each layer
 * enables its own (the network stack runs first, but a single-stack run has no order between
 * layers that share no outputs): enabling is idempotent, and with `disableOnDestroy: false` a
 * layer's destroy never turns off an API another layer, or anything else in the project, uses.
 */
export function projectServices(
  scope: Scope,
  project: Project,
  apis: readonly string[],
  agents: readonly AgentName[] = [],
): ProjectServices {
  const opts = { parent: scope.parent };
  const wanted = [...new Set([...apis, ...agents.map((a) => AGENT_APIS[a])])].sort();
  const services = new Map(
    wanted.map((service) => [
      service,
      new projects.Service(
        `${scope.name}-api-${service.split(".")[0]}`,
        {
          project: project.projectId,
          service,
          disableOnDestroy: false,
          disableDependentServices: false,
        },
        opts,
      ),
    ]),
  );
  const identities: Partial<Record<AgentName, projects.ServiceIdentity>> = {};
  for (const agent of agents) {
    if (AGENTS_WITHOUT_IDENTITY.has(agent)) continue;
    const service = AGENT_APIS[agent];
    identities[agent] = new projects.ServiceIdentity(
      `${scope.name}-agent-${service.split(".")[0]}`,
      { project: project.projectId, service },
      { ...opts, dependsOn: [services.get(service)!] },
    );
  }
  return { apis: [...services.values()], agents: identities };
}

/**
 * A key user that is a service agent: its member and the identity that must exist first (none
 * for AGENTS_WITHOUT_IDENTITY: the grant's `after`, the enabled APIs, is its only prerequisite).
 */
export function agentUser(
  project: Project,
  services: ProjectServices,
  agent: AgentName,
  name: string = agent,
): KeyUser {
  const identity = services.agents[agent];
  return {
    name,
    member: serviceAgent(project, SERVICE_AGENTS[agent]),
    dependsOn: identity ? [identity] : [],
  };
}

export interface KeyUser {
  readonly name: string;
  readonly member: pulumi.Input<string>;
  /** What must exist before the grant: the service agent's identity. */
  readonly dependsOn?: pulumi.Resource[];
}

export interface CustomerKey {
  readonly key: kms.CryptoKey;
  /** The grants to service agents; resources encrypted with the key must wait for them. */
  readonly grants: kms.CryptoKeyIAMMember[];
}

/**
 * A key ring in the region and a symmetric key with 90-day rotation, protected in prod, that only
 * the given service agents may use (each gets encrypter/decrypter on this key alone). Key rings
 * cannot be deleted in GCP: the autonamed ring gets a fresh name when a stack is recreated.
 */
export function customerKey(
  scope: Scope,
  role: string,
  region: string,
  users: KeyUser[],
  /** The Cloud KMS API (and anything else the key needs) enabled first. */
  after: pulumi.Resource[] = [],
): CustomerKey {
  const opts = { parent: scope.parent, dependsOn: after };
  const ring = new kms.KeyRing(
    `${scope.name}-${role}-keyring`,
    { location: region },
    { ...opts, protect: scope.protect },
  );
  const key = new kms.CryptoKey(
    `${scope.name}-${role}-key`,
    {
      keyRing: ring.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: KEY_ROTATION_PERIOD,
      // The longest wait before a destroyed key version is gone: time to notice a mistake.
      destroyScheduledDuration: `${120 * 24 * 3600}s`,
      labels: gcpLabels(scope.tags),
    },
    { ...opts, protect: scope.protect },
  );
  const grants = users.map(
    (user) =>
      new kms.CryptoKeyIAMMember(
        `${scope.name}-${role}-key-${user.name}`,
        { cryptoKeyId: key.id, role: KEY_USER_ROLE, member: user.member },
        { parent: scope.parent, dependsOn: [...after, ...(user.dependsOn ?? [])] },
      ),
  );
  return { key, grants };
}

export interface RetainedLogsArgs {
  readonly project: Project;
  /** Cloud Logging filter of the entries kept. */
  readonly filter: pulumi.Input<string>;
  readonly retentionDays: number;
  readonly description: string;
  /** The Cloud Logging API enabled first. */
  readonly after?: pulumi.Resource[];
}

/**
 * A log bucket with the configured retention and a sink that copies the matching entries into it
 * (the `_Default` bucket keeps everything 30 days, whatever the config says). A deleted log bucket
 * keeps its id for 7 days ("pending deletion"), so it is protected in prod, and elsewhere its id
 * ends in a random suffix: a stack destroyed and created again within the 7 days would otherwise
 * adopt the pending bucket (the provider updates an existing id instead of creating it), which is
 * purged days later with the logs sent to it.
 */
export function retainedLogs(
  scope: Scope,
  role: string,
  args: RetainedLogsArgs,
): logging.ProjectBucketConfig {
  const suffix = scope.protect
    ? undefined
    : new random.RandomString(
        `${scope.name}-${role}-suffix`,
        { length: 6, special: false, upper: false },
        { parent: scope.parent },
      );
  const bucketId = suffix
    ? pulumi.interpolate`${scope.name}-${role}-${suffix.result}`
    : pulumi.output(`${scope.name}-${role}`);
  const bucket = new logging.ProjectBucketConfig(
    `${scope.name}-${role}-bucket`,
    {
      project: args.project.projectId,
      location: "global",
      bucketId,
      retentionDays: args.retentionDays,
      description: args.description,
    },
    { parent: scope.parent, protect: scope.protect, dependsOn: args.after ?? [] },
  );
  // A sink into a log bucket of its own project needs no extra grant.
  new logging.ProjectSink(
    `${scope.name}-${role}-sink`,
    {
      project: args.project.projectId,
      destination: pulumi.interpolate`logging.googleapis.com/projects/${args.project.projectId}/locations/global/buckets/${bucketId}`,
      filter: args.filter,
      description: args.description,
      uniqueWriterIdentity: true,
    },
    { parent: scope.parent, dependsOn: [...(args.after ?? []), bucket] },
  );
  return bucket;
}

export interface WorkloadIdentityArgs {
  readonly project: Project;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly description: string;
  /** The IAM API enabled first. */
  readonly after?: pulumi.Resource[];
}

export interface WorkloadIdentity {
  readonly account: serviceaccount.Account;
  /** Lets exactly the Kubernetes service account act as the Google one; workloads wait for it. */
  readonly binding: serviceaccount.IAMMember;
}

/**
 * A Google service account with no roles of its own that exactly one Kubernetes service account
 * (`namespace/serviceAccount`) may impersonate through GKE Workload Identity. Callers grant it
 * what the workload needs on single resources; the chart annotates the Kubernetes service account
 * with `iam.gke.io/gcp-service-account: <email>`.
 */
export function workloadIdentity(
  scope: Scope,
  role: string,
  args: WorkloadIdentityArgs,
): WorkloadIdentity {
  const opts = { parent: scope.parent, dependsOn: args.after ?? [] };
  const account = new serviceaccount.Account(
    `${scope.name}-${role}-sa`,
    {
      accountId: accountId(scope.name, role),
      displayName: `${scope.name} ${role}`,
      description: args.description,
    },
    opts,
  );
  const binding = new serviceaccount.IAMMember(
    `${scope.name}-${role}-workload-identity`,
    {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: pulumi.interpolate`serviceAccount:${args.project.projectId}.svc.id.goog[${args.namespace}/${args.serviceAccount}]`,
    },
    opts,
  );
  return { account, binding };
}

/** The Kubernetes service account annotation GKE Workload Identity reads. */
export const WORKLOAD_IDENTITY_ANNOTATION = "iam.gke.io/gcp-service-account";
