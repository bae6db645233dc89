"use strict";
// Before any worker starts: bring dist/ up to date once. Suites that spawn the CLI (demo, startup,
// map-users) would otherwise each wait on a rebuild after a source edit, under the load of a
// parallel run, and time out (bin/build.js; CI's npm ci has built it already, so this is ~2 ms).
const { ensureFreshBuild } = require("../../bin/build");
const { setup } = require("./privateTmpdir");

module.exports = async (...args) => {
  ensureFreshBuild();
  return setup(...args);
};
