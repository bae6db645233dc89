"use strict";
// Jest globalSetup / globalTeardown: the whole run gets a temporary directory of its own
// (TMPDIR, which os.tmpdir() reads on every call and every worker and child process inherits),
// and the run fails if a test left anything in it. Sibling processes on the machine can use the
// system's temporary directory freely without making this check flaky.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const KEY = "NEXXT_TEST_TMPDIR";

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-tests-"));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
}

async function teardown() {
  // Each file's own directory is gone once its afterAll ran; one still here means a file was cut off.
  const dir = process.env[KEY];
  if (!dir) return;
  // ts-node's compile cache of the TypeScript compiler (v8-compile-cache-lib, in spawned ts-node children)
  // is the tool's, not a test's leftover.
  const left = fs.readdirSync(dir).filter((name) => !/^v8-compile-cache-/.test(name));
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(`tests left ${left.length} entries in the temporary directory (clean up in afterEach/afterAll): ${left.slice(0, 20).join(", ")}`);
  }
}

module.exports = { setup, teardown };
