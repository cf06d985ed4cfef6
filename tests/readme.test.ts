import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");

describe("README code", () => {
  it("shows docs/examples/ownProgram.ts verbatim (that file is typechecked with the project)", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const file = fs.readFileSync(path.join(root, "docs/examples/ownProgram.ts"), "utf8");
    const body = file.replace(/^\/\*\*[\s\S]*?\*\/\n/, "");
    const block = /<!-- example: docs\/examples\/ownProgram\.ts -->\n```ts\n([\s\S]*?)```\n/.exec(
      readme,
    );
    expect(block).not.toBeNull();
    expect(block![1]).toBe(body);
  });

  it("names the test command that .ci/run runs", () => {
    const ci = fs.readFileSync(path.join(root, ".ci/run"), "utf8");
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toMatch(/^npm test\s/m);
  });
});
