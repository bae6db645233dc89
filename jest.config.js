/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  // Node's environment, plus a guard that each test file leaves the worker process as it found it
  // (working directory, environment, signal listeners, exit code, timers): see the file.
  testEnvironment: "<rootDir>/test/support/guardedEnvironment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Transpile only (tsconfig's isolatedModules makes ts-jest compile file by file): type errors are
  // caught by `npm run typecheck`, which CI runs over src, test, scripts and policy as its own step.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Several suites start HTTP servers on 127.0.0.1 and the Pulumi mock runtime is global per
  // process: one worker per core keeps them isolated without starving the servers.
  maxWorkers: 2,
  testTimeout: 30000,
  // A temporary directory of the run's own, one inside it per test file (removed after the file),
  // and a run that fails when anything else is left there (test/support/privateTmpdir.js).
  globalSetup: "<rootDir>/test/support/tmpdirSetup.js",
  globalTeardown: "<rootDir>/test/support/tmpdirTeardown.js",
  // TypeScript and npm's arborist load when first used, not when the Pulumi SDK loads: most test
  // files never serialize a closure (test/support/lazy/lazyModule.js).
  moduleNameMapper: {
    "^typescript$": "<rootDir>/test/support/lazy/typescript.js",
    "^@npmcli/arborist$": "<rootDir>/test/support/lazy/arborist.js",
  },
  // On an empty cache (a fresh clone) the slowest files start first: test/support/sequencer.js.
  testSequencer: "<rootDir>/test/support/sequencer.js",
  setupFilesAfterEnv: ["<rootDir>/test/support/scratchTmpdir.js"],
};
