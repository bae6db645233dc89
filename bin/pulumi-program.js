"use strict";
// The Pulumi program's entry: package.json `main`, which the nodejs language host runs because
// Pulumi.yaml names no `main:` (so the engine runs it from the project root). Plain JavaScript
// and `typescript: false` in Pulumi.yaml: the host loads no ts-node and type-checks nothing;
// dist/ was compiled with the project's own tsconfig (tsconfig.build.json extends it), and is
// rebuilt first if a source changed since (bin/build.js).
//
// What the host honours, from @pulumi/pulumi/cmd/run/run.js (3.248): with
// PULUMI_NODEJS_TYPESCRIPT (Pulumi.yaml `typescript:`) true it registers ts-node with the
// tsconfig.json of its working directory, or PULUMI_NODEJS_TSCONFIG_PATH (`tsconfig:`), and
// type-checks unless PULUMI_NODEJS_TRANSPILE_ONLY is "true" or that tsconfig sets `noCheck`; its
// target/module default to ES2020/nodenext under whatever that tsconfig sets. With no entry
// point (`main:` unset) it resolves package.json `exports`, else `main`, from the package root.
require("./build").ensureFreshBuild();
module.exports = require("../dist/program");
