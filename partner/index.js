"use strict";
// The partner stack's entry (partner/Pulumi.yaml `main`). Plain JavaScript, as bin/pulumi-program.js:
// rebuilds dist/ when a source changed, then runs the compiled src/partner/index.ts.
require("../bin/build").ensureFreshBuild();
module.exports = require("../dist/partner");
