#!/usr/bin/env node
"use strict";
// Runs the TypeScript sources directly so `npx nexxt-onboard` works right after `npm ci`,
// with no build step to forget. transpileOnly: type checking is the test suite's job.
require("ts-node").register({
  transpileOnly: true,
  project: require("path").join(__dirname, "..", "tsconfig.json"),
});
require("../src/cli/main").main(process.argv.slice(2));
