import * as fs from "fs";
import * as path from "path";
import { architectureMermaid, withDiagram } from "../automation/diagram";
import { LAYER_DEPENDENCIES } from "../components/layers";

describe("README architecture diagram", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

  it("matches the diagram generated from the layer graph (run `npm run docs:diagram` to refresh)", () => {
    expect(withDiagram(readme)).toBe(readme);
  });

  it("draws every layer dependency as an edge", () => {
    const diagram = architectureMermaid();
    for (const [layer, deps] of Object.entries(LAYER_DEPENDENCIES)) {
      for (const dep of deps) expect(diagram).toContain(`  ${dep} --> ${layer}`);
    }
  });
});
