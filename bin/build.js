"use strict";
// The compiled JavaScript in dist/, and the guarantee that it is never older than src/.
//
// `npm run build` (and `prepare`, which `npm ci` runs) compiles src/ with tsconfig.build.json.
// The user's executable, bin/nexxt-onboard, calls staleBuild() first and refuses to run a build
// older than its sources, asking for `npm run build`: it never compiles behind the user's back
// (a command that sometimes takes 2 s more and writes into the checkout is a surprise, and in a
// pipeline a rebuild needs the development dependencies). The Pulumi entry
// (bin/pulumi-program.js) and the test run's global set-up call ensureFreshBuild(), which
// rebuilds instead: they run under a developer's hands. The check stats ~100 files (about 2 ms).
//
// Plain JavaScript on purpose: it has to run before anything is compiled.
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");

/** Where the build reads and writes, for a project root (tests build a scratch project). */
function layout(root) {
  const dist = path.join(root, "dist");
  const config = path.join(root, "tsconfig.build.json");
  return { root, src: path.join(root, "src"), dist, stamp: path.join(dist, ".build-stamp"), config, inputs: [config, path.join(root, "tsconfig.json")] };
}

/**
 * The newest modification time (ms) of the build's inputs: every file under src/ and the
 * tsconfigs, and every directory under src/ (a deleted or renamed source changes only its
 * directory's time).
 */
function newestInput({ src, inputs }) {
  let newest = 0;
  const visit = (dir) => {
    newest = Math.max(newest, fs.statSync(dir).mtimeMs);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  visit(src);
  for (const file of inputs) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return newest;
}

function stampTime({ stamp }) {
  try {
    return fs.statSync(stamp).mtimeMs;
  } catch {
    return -1;
  }
}

/** Compiled files whose source is gone would still load if something required them: remove them. */
function removeOrphans(paths, dir = paths.dist) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removeOrphans(paths, full);
      continue;
    }
    const match = /^(.*)\.js(\.map)?$/.exec(entry.name);
    if (!match) continue;
    const source = path.join(paths.src, path.relative(paths.dist, dir), `${match[1]}.ts`);
    if (!fs.existsSync(source)) fs.rmSync(full);
  }
}

/**
 * Compiles src/ to dist/ and stamps the build. The stamp's time is taken before compiling, so a
 * source saved during the build makes the next run rebuild again. Throws when tsc reports errors:
 * code that does not type-check is not run.
 */
function build({ clean = false, root = ROOT, compiler } = {}) {
  const paths = layout(root);
  let tsc = compiler;
  try {
    tsc ??= require.resolve("typescript/bin/tsc", { paths: [ROOT] });
  } catch {
    throw new Error("TypeScript is not installed; run `npm ci` in the repository (it builds dist/ as well).");
  }
  if (clean) fs.rmSync(paths.dist, { recursive: true, force: true });
  // A source saved just before the build can carry a time later than Date's whole millisecond
  // (file times are finer): the stamp is never older than the newest input the build starts from.
  const startedAt = new Date(Math.max(Date.now(), Math.ceil(fs.existsSync(paths.src) ? newestInput(paths) : 0)));
  // Required here: the freshness check alone (every start) has no use for child_process.
  const { spawnSync } = require("node:child_process");
  const result = spawnSync(process.execPath, [tsc, "-p", paths.config], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) {
    throw new Error(`the sources in src/ do not compile (tsc exit ${result.status ?? result.signal}, errors above); fix them and run \`npm run build\`.`);
  }
  if (fs.existsSync(paths.dist)) removeOrphans(paths);
  fs.mkdirSync(paths.dist, { recursive: true });
  fs.writeFileSync(paths.stamp, `${startedAt.toISOString()}\n`);
  fs.utimesSync(paths.stamp, startedAt, startedAt);
}

/**
 * Why the compiled CLI cannot run as it is (one sentence), or undefined when it can: dist/ is
 * missing, or a source is newer than the build. An installed copy without src/ runs what it has.
 */
function staleBuild(root = ROOT) {
  const paths = layout(root);
  if (!fs.existsSync(paths.src)) return undefined;
  if (stampTime(paths) < 0) return `dist/ has not been built in ${root}; run \`npm run build\` there (npm ci does it too).`;
  if (newestInput(paths) > stampTime(paths)) return `src/ changed since dist/ was built; run \`npm run build\` in ${root} and try again.`;
  return undefined;
}

/**
 * Rebuilds when a source is newer than the build. An installed copy without src/ (a package
 * built elsewhere) runs what it has.
 */
function ensureFreshBuild(root = ROOT, { compiler } = {}) {
  const paths = layout(root);
  if (!fs.existsSync(paths.src)) return false;
  if (newestInput(paths) <= stampTime(paths)) return false;
  return withBuildLock(paths, () => {
    // Another process may have rebuilt while this one waited for the lock.
    if (newestInput(paths) <= stampTime(paths)) return false;
    process.stderr.write("nexxt-onboard: src/ changed since the last build; rebuilding dist/ (npm run build)...\n");
    build({ root, compiler });
    return true;
  });
}

const LOCK_WAIT_MS = 120_000;
const LOCK_POLL_MS = 50;

/**
 * One rebuild at a time (commands started together, parallel test workers): the others wait
 * for it instead of reading half-written files. A lock older than the wait is a crashed build's
 * and is taken over.
 */
function withBuildLock(paths, fn) {
  const lock = path.join(paths.root, ".build.lock");
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > LOCK_WAIT_MS) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build holds ${lock}; remove it if no build is running.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCK_POLL_MS);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

module.exports = { build, ensureFreshBuild, staleBuild };

if (require.main === module) {
  try {
    build({ clean: process.argv.includes("--clean") });
  } catch (err) {
    process.stderr.write(`build: ${err.message}\n`);
    process.exitCode = 1;
  }
}
