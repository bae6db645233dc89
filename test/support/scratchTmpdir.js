"use strict";
// Jest setupFilesAfterEnv: each test file gets a temporary directory of its own inside the run's
// (test/support/privateTmpdir.js): os.tmpdir() answers it while the file runs (a worker runs one
// file at a time), and whatever the file made there is removed after its last test. Child
// processes get the run's directory (TMPDIR; jest's sandboxed process.env does not reach them),
// so what they leave behind fails the run's teardown, as does anything made outside os.tmpdir().
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const runDir = process.env.NEXXT_TEST_TMPDIR;
if (runDir) {
  const fileDir = fs.mkdtempSync(path.join(runDir, "file-"));
  const original = os.tmpdir;
  os.tmpdir = () => fileDir;
  afterAll(() => {
    os.tmpdir = original;
    fs.rmSync(fileDir, { recursive: true, force: true });
  });
}
