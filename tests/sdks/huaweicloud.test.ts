import * as fs from "fs";
import * as path from "path";
import { bindingSet } from "../../sdks/binding";
import { HUAWEICLOUD } from "../../sdks/huaweicloud";
import { conformanceProblems, loadSchema, SCHEMAS_DIR, SHARED_SCHEMAS_DIR } from "./conformance";

describe("huaweicloud bindings", () => {
  it("conform to the provider's schema facts", () => {
    const set = bindingSet(HUAWEICLOUD);
    expect(set.resources.size).toBeGreaterThan(10);
    expect(conformanceProblems(set, loadSchema("huaweicloud"))).toEqual([]);
  });
});

// The source folder exists on the workplace's machines, not in a clean clone.
const hasShared = fs.existsSync(SHARED_SCHEMAS_DIR);
const vendored = fs.readdirSync(SCHEMAS_DIR).filter((f) => f !== "supplement");
(hasShared ? it.each(vendored) : it.skip.each(vendored))(
  "vendored %s is byte-identical to shared/provider-schemas",
  (file) => {
    const copy = fs.readFileSync(path.join(SCHEMAS_DIR, file));
    expect(copy.equals(fs.readFileSync(path.join(SHARED_SCHEMAS_DIR, file)))).toBe(true);
  },
);
