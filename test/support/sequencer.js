"use strict";
const Sequencer = require("@jest/test-sequencer").default;

/**
 * jest orders test files by their last durations when its cache has them, else by file size. On a
 * fresh clone (CI, a newcomer's first `npm test`) the cache is empty, and a slow file that happens
 * to be small starts last and runs alone at the end while the other worker idles. These files are
 * the slowest (each spawns the CLI or runs the program many times); they start first on an empty
 * cache. With durations in the cache jest's own order stands.
 */
const SLOW_FIRST = [
  "test/cli/up.test.ts",
  "test/fleet/dueStacks.test.ts",
  "test/lifecycle/years.test.ts",
  "test/demo/demo.test.ts",
  "test/cli/preflight.test.ts",
  "test/cli/mapUsersTerminal.test.ts",
  "test/schedule/secretSchedule.test.ts",
  "test/lifecycle/spread.test.ts",
  "test/hostile/terminal.test.ts",
  "test/cli/verify.test.ts",
  "test/fleet/fleetPage.browser.test.ts",
  "test/sinks/serialization.test.ts",
];

class ColdCacheSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    // super.sort sets each test's duration from the cache, when it has one.
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const index = SLOW_FIRST.findIndex((suffix) => test.path.endsWith(suffix));
      return index < 0 ? SLOW_FIRST.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = ColdCacheSequencer;
