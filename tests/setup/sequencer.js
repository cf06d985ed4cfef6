/**
 * Jest's test order (last failures, then the longest by the last run's timings), except on a run
 * with no timings yet, a fresh clone, where Jest orders by file size: then the files that plan
 * whole example stacks go first. Small files that take long, one of them started last runs alone
 * at the end while the other worker idles.
 */
const Sequencer = require("@jest/test-sequencer").default;

const PLANS =
  /[\\/]tests[\\/](plan[\\/].*|commands\.test\.ts|program\.test\.ts|.*\bplan\.test\.ts)$/;

module.exports = class PlansFirstSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    return [
      ...sorted.filter((test) => PLANS.test(test.path)),
      ...sorted.filter((test) => !PLANS.test(test.path)),
    ];
  }
};
