"use strict";
// See lazyModule.js. An absolute path, which jest.config.js's moduleNameMapper does not map again.
const path = require("node:path");
module.exports = require("./lazyModule")(path.join(__dirname, "..", "..", "..", "node_modules", "typescript", "lib", "typescript.js"));
