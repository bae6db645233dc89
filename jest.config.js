/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type errors fail the suite: a test that compiles against a wrong signature proves nothing.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Several suites start HTTP servers on 127.0.0.1 and the Pulumi mock runtime is global per
  // process: one worker per core keeps them isolated without starving the servers.
  maxWorkers: 2,
  testTimeout: 30000,
};
