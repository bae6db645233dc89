"use strict";
// Jest's test environment for every file (jest.config.js): Node's, plus a guard that each test
// file leaves the worker process as it found it. A worker runs many files one after another, so
// what one file leaves is what the next starts with: a test that timed out while it was inside
// a chdir (the lifecycle engine runs the program from its project directory), whose directory the
// file's clean-up then removed, left the worker in a deleted directory, and every later file in
// that worker failed with `ENOENT: uv_cwd`. After the file's last hook the guard puts back what
// was changed (so one slow test fails alone) and fails that file naming each change.
//
// Checked: the working directory; the environment variables (the real process's, and the
// sandboxed process.env the file saw); listeners for signals and process events; the exit code;
// timers started with the file's setTimeout/setInterval that are still pending and keep the
// process alive (unref'd ones do not).
const asyncHooks = require("node:async_hooks");
const path = require("node:path");
const { TestEnvironment } = require("jest-environment-node");

/**
 * AsyncLocalStorage instances made while a file runs (the Pulumi SDK makes one for its runtime
 * state). On Node 20 an enabled one installs promise hooks for the whole process, so every later
 * file in the worker paid for it on each promise (~9 % of the suite's CPU); the file's modules are
 * gone after it, so its storages are disabled at its teardown and the hooks go with the last one.
 */
const fileStorages = new Set();
const RealAsyncLocalStorage = asyncHooks.AsyncLocalStorage;
if (!RealAsyncLocalStorage.__nexxtTracked) {
  asyncHooks.AsyncLocalStorage = class TrackedAsyncLocalStorage extends RealAsyncLocalStorage {
    constructor(...args) {
      super(...args);
      fileStorages.add(this);
    }
  };
  asyncHooks.AsyncLocalStorage.__nexxtTracked = true;
}

/** Signals whose listeners a command installs (Ctrl-C handling): each listener is process-wide. */
const PROCESS_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGBREAK"];

function cwdOrUndefined() {
  try {
    return process.cwd();
  } catch {
    return undefined; // the directory was removed under the process
  }
}

const listenersOf = (emitter) => new Map(PROCESS_EVENTS.map((event) => [event, emitter.listeners(event)]));

/** Puts back the listeners the emitter had, and names the events that differed. */
function restoreListeners(emitter, before, where) {
  const changed = [];
  for (const [event, listeners] of before) {
    const now = emitter.listeners(event);
    const added = now.filter((listener) => !listeners.includes(listener));
    if (added.length === 0 && now.length === listeners.length) continue;
    changed.push(`${added.length} ${event} listener(s) left on ${where}`);
    for (const listener of added) emitter.removeListener(event, listener);
  }
  return changed;
}

/** Puts back an environment the way it was, and names the variables that differed (names only: values may be secrets). */
function restoreEnv(env, before, where) {
  const changed = [];
  for (const key of Object.keys(env)) {
    if (!(key in before)) {
      changed.push(`${key} set in ${where}`);
      delete env[key];
    }
  }
  for (const [key, value] of Object.entries(before)) {
    if (env[key] !== value) {
      changed.push(`${key} ${key in env ? "changed" : "removed"} in ${where}`);
      env[key] = value;
    }
  }
  return changed;
}

class GuardedEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.rootDir = config.projectConfig.rootDir;
    this.testPath = context.testPath;
    // A worker left in a removed directory by something outside any guarded file starts over at the root.
    if (cwdOrUndefined() === undefined) process.chdir(this.rootDir);
    this.cwd = process.cwd();
    this.realEnv = { ...process.env };
    this.realListeners = listenersOf(process);
    this.realExitCode = process.exitCode;
    this.pendingTimers = new Set();
    this.trackTimers();
  }

  /** The file's setTimeout/setInterval, wrapped to know which are still pending at the end. */
  trackTimers() {
    const global = this.global;
    const pending = this.pendingTimers;
    const { setTimeout: realSetTimeout, setInterval: realSetInterval, clearTimeout: realClearTimeout, clearInterval: realClearInterval } = global;
    global.setTimeout = function setTimeout(callback, ...rest) {
      if (typeof callback !== "function") return realSetTimeout(callback, ...rest);
      const timer = realSetTimeout(
        function (...args) {
          pending.delete(timer);
          return callback.apply(this, args);
        },
        ...rest,
      );
      pending.add(timer);
      return timer;
    };
    global.setInterval = function setInterval(...args) {
      const timer = realSetInterval(...args);
      pending.add(timer);
      return timer;
    };
    const forget = (realClear) =>
      function clear(timer) {
        pending.delete(timer);
        return realClear(timer);
      };
    global.clearTimeout = forget(realClearTimeout);
    global.clearInterval = forget(realClearInterval);
    // Util.promisify(setTimeout) and timers/promises keep working: Node's own function carries them.
    for (const name of ["setTimeout", "setInterval"]) {
      for (const key of Object.getOwnPropertySymbols(name === "setTimeout" ? realSetTimeout : realSetInterval)) {
        global[name][key] = (name === "setTimeout" ? realSetTimeout : realSetInterval)[key];
      }
    }
  }

  async setup() {
    await super.setup();
    this.sandboxEnv = { ...this.global.process.env };
    this.sandboxListeners = listenersOf(this.global.process);
    this.sandboxExitCode = this.global.process.exitCode;
  }

  /** What the file changed, each put back; runs after the file's last afterAll. */
  restore() {
    const changed = [];
    const now = cwdOrUndefined();
    if (now !== this.cwd) {
      changed.push(`the working directory (${now === undefined ? "a directory that was since removed" : now}, not ${this.cwd})`);
      process.chdir(this.cwd);
    }
    const sandbox = this.global.process;
    changed.push(...restoreEnv(process.env, this.realEnv, "the process environment"));
    changed.push(...restoreEnv(sandbox.env, this.sandboxEnv, "process.env"));
    changed.push(...restoreListeners(process, this.realListeners, "the process"));
    changed.push(...restoreListeners(sandbox, this.sandboxListeners, "process"));
    for (const [target, before] of [
      [process, this.realExitCode],
      [sandbox, this.sandboxExitCode],
    ]) {
      if (target.exitCode !== before) {
        changed.push(`process.exitCode (${target.exitCode}, was ${before})`);
        target.exitCode = before;
      }
    }
    const live = [...this.pendingTimers].filter((timer) => typeof timer.hasRef !== "function" || timer.hasRef());
    if (live.length > 0) changed.push(`${live.length} timer(s) still pending`);
    for (const timer of this.pendingTimers) clearTimeout(timer);
    this.pendingTimers.clear();
    return changed;
  }

  async teardown() {
    let changed;
    try {
      changed = this.restore();
    } finally {
      await super.teardown();
      for (const storage of fileStorages) storage.disable();
      fileStorages.clear();
    }
    if (changed.length > 0) {
      throw new Error(
        `${path.relative(this.rootDir, this.testPath)} left the process changed (now put back): ${changed.join("; ")}. Put each back in afterEach/afterAll or a finally (docs/testing.md).`,
      );
    }
  }
}

module.exports = GuardedEnvironment;
