/**
 * Jest's test order (last failures, then the longest by the last run's timings), except on a run
 * with no timings yet, a fresh clone, where Jest orders by file size: then the files that run the
 * offline plan (they import it, or tests/plan/worstCase.ts) go first. Small files that take long,
 * one of them started last runs alone at the end while the other worker idles.
 */
const fs = require("fs");
const Sequencer = require("@jest/test-sequencer").default;

const PLANS =
  /\bimport\s+(?!type\b)[^;]*?from\s+"(?:\.\.?\/)+(?:automation\/offline\/plan|(?:plan\/)?worstCase)"/;

module.exports = class PlansFirstSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const plans = (test) => PLANS.test(fs.readFileSync(test.path, "utf8"));
    return [...sorted.filter(plans), ...sorted.filter((test) => !plans(test))];
  }
};
