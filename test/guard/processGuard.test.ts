import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

/**
 * The jest guard (test/support/guardedEnvironment.js), run on two fixture files in one worker:
 * the first times out inside a chdir into a directory its clean-up then removes (what once made
 * 52 later suites fail with `ENOENT: uv_cwd`), and leaves a signal listener, a variable, an interval
 * and its own pending timeout; the second must start as the run did.
 */
const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures");

interface JestJson {
  numFailedTestSuites: number;
  testResults: { name: string; status: string; message: string; assertionResults: { status: string }[] }[];
}

function runFixtures(testEnvironment: string): JestJson {
  const config = {
    rootDir: FIXTURES,
    testMatch: ["**/*.fixture.js"],
    testEnvironment,
    testSequencer: path.join(FIXTURES, "sequencer.js"),
    transform: {},
    // Jest's cache in this file's own temporary directory, removed after it.
    cacheDirectory: path.join(os.tmpdir(), "jest-cache"),
  };
  const result = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), "--config", JSON.stringify(config), "--runInBand", "--json", "--forceExit"], {
    cwd: FIXTURES,
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(result.stdout) as JestJson;
}

const byFile = (json: JestJson) => Object.fromEntries(json.testResults.map((file) => [path.basename(file.name), file]));

describe("each test file leaves the worker process as it found it", () => {
  it("a file that timed out in a removed directory fails alone, naming what it left; the next file starts clean", () => {
    const files = byFile(runFixtures(path.join(ROOT, "test", "support", "guardedEnvironment.js")));
    const leaver = files["a-leaves-the-process-changed.fixture.js"];
    expect(leaver.status).toBe("failed");
    expect(leaver.message).toContain(
      "a-leaves-the-process-changed.fixture.js left the process changed (now put back): the working directory (a directory that was since removed, not",
    );
    expect(leaver.message).toContain("1 SIGTERM listener(s) left on process");
    expect(leaver.message).toContain("NEXXT_GUARD_FIXTURE set in process.env");
    expect(leaver.message).toContain("2 timer(s) still pending");
    expect(files["b-starts-clean.fixture.js"]).toMatchObject({ status: "passed", assertionResults: [{ status: "passed" }] });
  }, 60_000);

  it("without the guard, the next file is broken by what the first left (so the case above means something)", () => {
    const files = byFile(runFixtures("node"));
    expect(files["b-starts-clean.fixture.js"].status).toBe("failed");
    expect(files["b-starts-clean.fixture.js"].message).toMatch(/ENOENT|uv_cwd/);
  }, 60_000);
});
