/**
 * GCP storage layer: one Cloud KMS key for everything stored, used only by the services that
 * encrypt with it (Compute Engine for PD volumes, Filestore, Cloud Storage); a pd-balanced
 * StorageClass through GKE's PD CSI driver; a Filestore instance that survives a zone loss in prod
 * plus a Filestore CSI StorageClass; and one private, versioned, CMEK-encrypted bucket per purpose
 * with lifecycle rules. The CSI drivers are GKE add-ons (kubernetes layer): no Helm charts here.
 */
import * as filestore from "@pulumi/gcp/filestore";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import {
  BUCKET_PURPOSES,
  BucketPurpose,
  StorageArgs,
  StorageOutputs,
} from "../../components/storage";
import { reclaimPolicy as reclaimPolicyFor, storageClass } from "../../components/storageClass";
import { BACKUP_SELECTION_TAG, Environment, Scope } from "../../components/types";
import {
  agentUser,
  AgentName,
  customerKey,
  CustomerKey,
  gcpLabels,
  gcpProject,
  projectServices,
} from "./common";

/** The APIs the storage layer calls; Filestore's only with the file system on. */
export function storageApis(fileEnabled: boolean): string[] {
  return [
    "storage.googleapis.com",
    "cloudkms.googleapis.com",
    "compute.googleapis.com",
    ...(fileEnabled ? ["file.googleapis.com"] : []),
  ];
}

/**
 * What a new project lacks for a REGIONAL Filestore instance: its regional capacity quota starts
 * at 0 in many projects, and the create fails with a quota error after the layer's other
 * resources exist. Cloud Quotas' lookup (cloudquota.getSQuotaInfo) would need the quota's id and
 * one more API in every project, so the plan states the quota instead, where `preview` shows it.
 */
export const REGIONAL_FILESTORE_QUOTA_HINT =
  "Filestore REGIONAL (prod) needs regional capacity quota of at least 1024 GiB in the region; " +
  "new projects often have 0. Check and request it before `up`: Console > IAM & Admin > Quotas, " +
  "service Cloud Filestore API, the regional capacity quota of the region " +
  "(or set officeless:storage.file.enabled false).";

/** Filestore's smallest share for the zonal and regional tiers (1 TiB). */
export const FILESTORE_CAPACITY_GB = 1024;

/**
 * The Filestore tier: REGIONAL in prod (synchronously replicated across zones: a zone loss keeps
 * the share), ZONAL elsewhere. Both take a customer key and private services access.
 */
export function filestoreTier(environment: Environment): "REGIONAL" | "ZONAL" {
  return environment === "prod" ? "REGIONAL" : "ZONAL";
}

/** The last path segment of a resource id: `projects/p/global/networks/vpc` -> `vpc`. */
export function resourceName(id: string): string {
  return id.split("/").pop() ?? id;
}

/** Lifecycle rules from config: cooler storage after N days, old versions and stale uploads expire. */
export function lifecycleRules(
  lifecycle: StorageArgs["storage"]["object"]["lifecycle"],
): storage.BucketArgs["lifecycleRules"] {
  const rules: {
    action: { type: string; storageClass?: string };
    condition: Record<string, unknown>;
  }[] = [];
  if (lifecycle.transitionToInfrequentAccessDays > 0) {
    rules.push({
      action: { type: "SetStorageClass", storageClass: "NEARLINE" },
      condition: {
        age: lifecycle.transitionToInfrequentAccessDays,
        matchesStorageClasses: ["STANDARD"],
      },
    });
  }
  rules.push(
    // Noncurrent versions live N days after they were replaced.
    {
      action: { type: "Delete" },
      condition: {
        daysSinceNoncurrentTime: lifecycle.noncurrentVersionExpirationDays,
        withState: "ARCHIVED",
      },
    },
    {
      action: { type: "AbortIncompleteMultipartUpload" },
      condition: { age: lifecycle.abortIncompleteMultipartUploadDays },
    },
  );
  return rules;
}

/** The GCP storage backend. */
export function gcpStorage(scope: Scope, args: StorageArgs): StorageOutputs {
  const project = gcpProject(scope);
  const fileEnabled = args.storage.file.enabled;
  const agents: AgentName[] = fileEnabled ? ["compute", "filestore"] : ["compute"];
  const services = projectServices(scope, project, storageApis(fileEnabled), agents);
  // The Cloud Storage agent is created on first use: this lookup makes sure it exists before the grant.
  const gcsAgent = storage.getProjectServiceAccountOutput(
    {},
    { parent: scope.parent, dependsOn: services.apis },
  );
  const key = customerKey(
    scope,
    "encryption",
    args.region,
    [
      { name: "gcs", member: gcsAgent.member },
      ...agents.map((a) => agentUser(project, services, a)),
    ],
    services.apis,
  );
  const reclaimPolicy = reclaimPolicyFor(args.environment);

  const blockStorageClass = blockStorage(scope, args, key, reclaimPolicy);
  const file = fileEnabled
    ? fileStorage(scope, args, key, reclaimPolicy, services.apis)
    : undefined;
  const buckets = objectStorage(scope, args, key, services.apis);

  return {
    blockStorageClass,
    fileSystemId: file?.fileSystemId ?? pulumi.output(""),
    fileStorageClass: file?.storageClass ?? pulumi.output(""),
    buckets,
    encryptionKeyId: key.key.id,
  };
}

function blockStorage(
  scope: Scope,
  args: StorageArgs,
  key: CustomerKey,
  reclaimPolicy: string,
): pulumi.Output<string> {
  return storageClass(scope, "block", {
    defaultClass: args.storage.block.defaultClass,
    provisioner: "pd.csi.storage.gke.io",
    parameters: {
      type: "pd-balanced",
      "disk-encryption-kms-key": key.key.id,
      // Disks carry the backup selection label like AWS volumes carry the tag.
      labels: `${BACKUP_SELECTION_TAG}=true`,
    },
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy,
    // Compute Engine must be able to use the key before the first volume is created.
    dependsOn: key.grants,
  });
}

function fileStorage(
  scope: Scope,
  args: StorageArgs,
  key: CustomerKey,
  reclaimPolicy: string,
  apis: pulumi.Resource[],
): { fileSystemId: pulumi.Output<string>; storageClass: pulumi.Output<string> } {
  const tier = filestoreTier(args.environment);
  if (tier === "REGIONAL") void pulumi.log.warn(REGIONAL_FILESTORE_QUOTA_HINT, scope.parent);
  // Private services access (created by the network layer): the instance gets an address from the
  // reserved range, inside the network CIDR, and needs no peering of its own.
  const connectMode = "PRIVATE_SERVICE_ACCESS";
  const instance = new filestore.Instance(
    `${scope.name}-filestore`,
    {
      description: `${scope.name}: shared file system`,
      tier,
      // Regional instances live in the region; zonal ones in the first zone.
      location: tier === "REGIONAL" ? args.region : args.zones[0],
      fileShares: { name: "platform", capacityGb: FILESTORE_CAPACITY_GB },
      networks: [{ network: args.network.networkId, modes: ["MODE_IPV4"], connectMode }],
      kmsKeyName: key.key.id,
      deletionProtectionEnabled: scope.protect,
      labels: { ...gcpLabels(scope.tags), [BACKUP_SELECTION_TAG]: "true" },
    },
    { parent: scope.parent, protect: scope.protect, dependsOn: [...apis, ...key.grants] },
  );
  const fileClass = storageClass(scope, "file", {
    provisioner: "filestore.csi.storage.gke.io",
    parameters: {
      tier: tier.toLowerCase(),
      network: args.network.networkId.apply(resourceName),
      "connect-mode": connectMode,
      "instance-encryption-kms-key": key.key.id,
    },
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy,
    dependsOn: key.grants,
  });
  return { fileSystemId: instance.id, storageClass: fileClass };
}

/** One private, versioned, CMEK-encrypted bucket per purpose, with lifecycle rules. */
function objectStorage(
  scope: Scope,
  args: StorageArgs,
  key: CustomerKey,
  apis: pulumi.Resource[],
): pulumi.Output<Record<BucketPurpose, string>> {
  const labels = gcpLabels(scope.tags);
  const rules = lifecycleRules(args.storage.object.lifecycle);
  const names = {} as Record<BucketPurpose, pulumi.Output<string>>;
  for (const purpose of BUCKET_PURPOSES) {
    const bucket = new storage.Bucket(
      `${scope.name}-${purpose}`,
      {
        location: args.region,
        storageClass: "STANDARD",
        versioning: { enabled: true },
        // IAM only: no per-object ACLs that could make an object public.
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        encryption: { defaultKmsKeyName: key.key.id },
        lifecycleRules: rules,
        // Outside prod a destroy empties the bucket first (observability writes to it at once, and a
        // bucket with objects refuses deletion); prod never deletes data with the bucket.
        forceDestroy: !scope.protect,
        labels: { ...labels, purpose },
      },
      // The Cloud Storage agent needs the key before a CMEK bucket can be created.
      {
        parent: scope.parent,
        protect: scope.protect,
        dependsOn: [...apis, ...key.grants],
      },
    );
    names[purpose] = bucket.name;
  }
  return pulumi.output(names) as pulumi.Output<Record<BucketPurpose, string>>;
}
