import * as fs from "fs";
import * as path from "path";
import { CHARTS } from "../components/charts";
import { HELM_VALUES_DIR, SHARED_HELM_VALUES_DIR } from "./helmValuesWalker";

const vendored = fs.readdirSync(HELM_VALUES_DIR);
const hasShared = fs.existsSync(SHARED_HELM_VALUES_DIR);

describe("vendored Helm values", () => {
  it("holds a values file for every pinned chart", () => {
    for (const pin of Object.values(CHARTS))
      expect(vendored).toContain(`${pin.chart}-${pin.version}.values.yaml`);
  });

  // The source folder exists on the workplace's machines, not in a clean clone.
  (hasShared ? it.each(vendored) : it.skip.each(vendored))(
    "%s is byte-identical to shared/helm-values",
    (file) => {
      const copy = fs.readFileSync(path.join(HELM_VALUES_DIR, file));
      expect(copy.equals(fs.readFileSync(path.join(SHARED_HELM_VALUES_DIR, file)))).toBe(true);
    },
  );
});
