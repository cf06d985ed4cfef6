#!/usr/bin/env node
// The `officeless` CLI: the compiled build when present, else the TypeScript source via ts-node.
const path = require("path");
const fs = require("fs");
const built = path.join(__dirname, "..", "dist", "automation", "cli", "officeless.js");
if (fs.existsSync(built)) {
  require(built);
} else {
  // swc transpiles several times faster than TypeScript; it is a dev dependency, so fall back without it.
  let swc = true;
  try {
    require.resolve("@swc/core");
  } catch {
    swc = false;
  }
  require("ts-node").register({ transpileOnly: true, swc, project: path.join(__dirname, "..", "tsconfig.json") });
  require(path.join(__dirname, "..", "automation", "cli", "officeless.ts"));
}
