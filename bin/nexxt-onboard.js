#!/usr/bin/env node
"use strict";
// Runs the compiled CLI (dist/, built by `npm ci` through `prepare`), after making sure no source
// is newer than that build (bin/build.js). No TypeScript is compiled at start-up.
try {
  require("./build").ensureFreshBuild();
} catch (err) {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(2);
}
require("../dist/cli/main").main(process.argv.slice(2));
