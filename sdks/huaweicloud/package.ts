/**
 * The huaweicloud plugin (huaweicloud/pulumi-huaweicloud v0.0.11, bridging terraform-provider-huaweicloud
 * v1.73.3) and its explicit Provider. The upstream SDK's pluginDownloadURL
 * (`.../releases/download/${VERSION}`) lacks the `v` of the release tags and 404s (upstream issues #25,
 * #30), so the binding points at `.../download/v${VERSION}`.
 */
import { defineProvider, PluginPackage, req, secret, t } from "../binding";

export const HUAWEICLOUD: PluginPackage = {
  name: "huaweicloud",
  version: "0.0.11",
  pluginDownloadURL:
    "https://github.com/huaweicloud/pulumi-huaweicloud/releases/download/v${VERSION}",
};

const assumeRole = t.object("huaweicloud:index/ProviderAssumeRole:ProviderAssumeRole", {
  agencyName: req(t.string),
  domainName: req(t.string),
  domainId: t.string,
});

/**
 * Unset inputs fall back to the plugin's own environment variables (HW_ACCESS_KEY, HW_SECRET_KEY,
 * HW_REGION_NAME, HW_PROJECT_NAME, ...): the runner passes region and project explicitly and leaves
 * the keys to the environment.
 */
export const Provider = defineProvider(
  HUAWEICLOUD,
  {
    region: t.string,
    projectName: t.string,
    projectId: t.string,
    enterpriseProjectId: t.string,
    accessKey: secret(t.string),
    secretKey: secret(t.string),
    securityToken: secret(t.string),
    authUrl: t.string,
    cloud: t.string,
    domainName: t.string,
    domainId: t.string,
    assumeRole,
    insecure: t.boolean,
    maxRetries: t.integer,
    endpoints: t.map(t.string),
    skipCheckUpgrade: t.boolean,
    skipCheckWebsiteType: t.boolean,
  },
  ["assumeRole", "insecure", "maxRetries", "endpoints", "skipCheckUpgrade", "skipCheckWebsiteType"],
);
export type Provider = InstanceType<typeof Provider>;
