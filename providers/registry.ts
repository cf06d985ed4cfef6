/**
 * The provider registry: a typed map from cloud id to a lazily loaded backend. Loading is deferred
 * to the first use so an AWS program never loads another cloud's SDK (each SDK costs seconds and
 * hundreds of MB to load).
 */
import { CLOUDS, CloudId } from "../components/types";
import type { CloudBackend, CloudCatalog } from "./backend";

interface Entry {
  /** `supported`: a backend exists; `planned`: the config is rejected at validation. */
  readonly status: "supported" | "planned";
  /** Light module: region and zone names, no SDK. */
  readonly catalog?: () => CloudCatalog;
  /** Heavy module: the backend and its SDK. */
  readonly load?: () => CloudBackend;
}

const REGISTRY: Record<CloudId, Entry> = {
  aws: {
    status: "supported",
    catalog: () => require("./aws/catalog").AWS_CATALOG,
    load: () => require("./aws").awsBackend,
  },
  gcp: {
    status: "supported",
    catalog: () => require("./gcp/catalog").GCP_CATALOG,
    load: () => require("./gcp").gcpBackend,
  },
  azure: {
    status: "supported",
    catalog: () => require("./azure/catalog").AZURE_CATALOG,
    load: () => require("./azure").azureBackend,
  },
  alibaba: {
    status: "supported",
    catalog: () => require("./alibaba/catalog").ALIBABA_CATALOG,
    load: () => require("./alibaba").alibabaBackend,
  },
  oci: {
    status: "supported",
    catalog: () => require("./oci/catalog").OCI_CATALOG,
    load: () => require("./oci").ociBackend,
  },
  volcengine: {
    status: "supported",
    catalog: () => require("./volcengine/catalog").VOLCENGINE_CATALOG,
    load: () => require("./volcengine").volcengineBackend,
  },
  huawei: {
    status: "supported",
    catalog: () => require("./huawei/catalog").HUAWEI_CATALOG,
    load: () => require("./huawei").huaweiBackend,
  },
  onprem: {
    status: "supported",
    catalog: () => require("./onprem/catalog").ONPREM_CATALOG,
    load: () => require("./onprem").onpremBackend,
  },
};

const loaded = new Map<CloudId, CloudBackend>();

export function isCloudId(value: unknown): value is CloudId {
  return typeof value === "string" && (CLOUDS as readonly string[]).includes(value);
}

/** Clouds whose backend is built. */
export function supportedClouds(): CloudId[] {
  return CLOUDS.filter((c) => REGISTRY[c].status === "supported");
}

/** Clouds on the roadmap whose backend is not built yet. */
export function plannedClouds(): CloudId[] {
  return CLOUDS.filter((c) => REGISTRY[c].status === "planned");
}

/** Region and zone facts for validation; undefined for a cloud without a backend. */
export function catalogFor(cloud: CloudId): CloudCatalog | undefined {
  return REGISTRY[cloud].catalog?.();
}

/** The backend for a cloud, loading its SDK on first use. Throws, listing the choices, otherwise. */
export function backendFor(cloud: CloudId): CloudBackend {
  const cached = loaded.get(cloud);
  if (cached) return cached;
  const entry = REGISTRY[cloud as CloudId];
  if (!entry) {
    throw new Error(
      `Unknown cloud "${String(cloud)}". Supported: ${supportedClouds().join(", ")}.`,
    );
  }
  if (!entry.load) {
    throw new Error(
      `Cloud "${cloud}" is not supported yet. Supported: ${supportedClouds().join(", ")}; ` +
        `planned: ${plannedClouds().join(", ")}.`,
    );
  }
  const backend = entry.load();
  loaded.set(cloud, backend);
  return backend;
}
