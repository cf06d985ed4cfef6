/**
 * The Volcengine provider plugin the bindings are served by: volcengine/pulumi-volcengine v0.0.47
 * (bridging terraform-provider-volcengine v0.0.194), the release the schema facts in
 * tests/data/provider-schemas/volcengine.json were read from. `github://api.github.com/volcengine`
 * makes the CLI download `pulumi-resource-volcengine-v0.0.47-<os>-<arch>.tar.gz` from the GitHub
 * release v0.0.47 of volcengine/pulumi-volcengine on first use (the generated SDK's own URL).
 */
import type { PluginPackage } from "../binding";

export const VOLCENGINE: PluginPackage = {
  name: "volcengine",
  version: "0.0.47",
  pluginDownloadURL: "github://api.github.com/volcengine",
};
