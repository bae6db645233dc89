/**
 * Issue 18, "Signals, pipes and terminals": the built CLI in real processes (real SIGINT and
 * SIGTERM, a real pipe closed by its reader), servers on 127.0.0.1, real files.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { HostileServer, json, startHostile } from "./hostileServer";
import { APP, CANARY_NEXXT_TOKEN, CANARY_SECRET, TENANT, fakeFlags, startFakeMicrosoft } from "./fakeMicrosoft";
import { closedAfterEachTest, startCli, warmUp } from "./cliProcess";
import { stackYaml, tempProject } from "../support/tempProject";

const keep = closedAfterEachTest();

beforeAll(() => warmUp(tmpdir()), 120_000);

const ENV = { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN };
const users = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `obj-${i}`, mail: `u${i}@contoso.nl`, accountEnabled: true }));
const exportOf = (n: number) => `id,email\n${Array.from({ length: n }, (_, i) => `${i + 1},u${i}@contoso.nl`).join("\n")}\n`;

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-term-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** Flags for map-users against the fakes with real waits: five retries, Retry-After honoured. */
const slowRetryFlags = (ms: HostileServer) => [
  "--tenant-id",
  TENANT,
  "--client-id",
  APP,
  "--authority-host",
  ms.origin,
  "--graph-url",
  ms.origin,
  "--retries",
  "5",
  "--timeout-ms",
  "5000",
];

describe("the first Ctrl-C or SIGTERM during map-users --apply stops the retry waits at once", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s while Nexxt answers 503 with Retry-After: 30: exit %i within seconds, no request after the signal, a summary",
    async (signal, exitCode) => {
      const ms = keep(await startFakeMicrosoft((_req, res) => json(res, 200, { value: users(3) })));
      let signalledAt = -1;
      /** The CLI process, started once the servers are up. */
      const started: { cli?: ReturnType<typeof startCli> } = {};
      const nexxt = keep(
        await startHostile((req, res) => {
          if (req.method === "GET") return json(res, 200, {});
          // The first PATCH: throttled for 30 s; the signal comes while the CLI waits to retry.
          if (signalledAt === -1) {
            signalledAt = nexxt.requests.length;
            setTimeout(() => started.cli!.child.kill(signal), 200);
          }
          json(res, 503, { message: "busy" }, { "Retry-After": "30" });
        }),
      );
      const dir = tempDir({ "users.csv": exportOf(3) });
      const cli = (started.cli = startCli(
        [
          ...["map-users", ...slowRetryFlags(ms)],
          "--nexxt-users",
          "users.csv",
          "--out",
          "mapping.csv",
          "--apply",
          "--concurrency",
          "1",
          "--nexxt-user-url",
          nexxt.url("/api/users/{id}"),
        ],
        {
          cwd: dir,
          env: ENV,
        },
      ));
      const done = await cli.done;
      expect(done.stderr).toBe("");
      expect(done.code).toBe(exitCode);
      expect(done.ms).toBeLessThan(8_000);
      expect(nexxt.requests.length).toBe(signalledAt);
      expect(done.stdout.replace(/\s+/g, " ")).toMatch(
        new RegExp(`interrupted \\(${signal}\\): 0 linked, 0 failed, 0 kept as conflicts; run the same command to resume \\(3 users not sent yet\\)`),
      );
    },
    30_000,
  );
});

describe("sendWithRetry's stopRetries (what map-users gives Ctrl-C)", () => {
  it("ends a Retry-After wait at once, starts no further attempt, but lets the attempt in flight finish", async () => {
    const { sendWithRetry } = await import("../../src/http/sendWithRetry");
    const stop = new AbortController();
    let answered = 0;
    const server = keep(
      await startHostile((_req, res) => {
        // The first attempt is slow: the stop comes while it is in flight, and it still counts.
        setTimeout(() => {
          answered++;
          json(res, 503, { message: "busy" }, { "Retry-After": "30" });
        }, 300);
      }),
    );
    setTimeout(() => stop.abort(), 100);
    const started = Date.now();
    const error = await sendWithRetry({ method: "PATCH", url: server.url("/u/1"), data: {} }, { timeoutMs: 5_000, stopRetries: stop.signal }).catch((e) => e);
    expect(error.code).toBe("ERR_CANCELED");
    expect(answered).toBe(1);
    expect(server.requests).toHaveLength(1);
    // It waited for the answer of the attempt in flight (~300 ms), not cut it at the stop (~100 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("output into a closed pipe ends quietly with the command's own exit code", () => {
  it.each([
    ["--help", ["--help"], 0],
    ["validate --json", ["validate", "--json"], 0],
    ["due --json", ["due", "--json"], 0],
  ])(
    "%s",
    async (_what, args, code) => {
      const dir = tempProject({ acme: stackYaml({ tenantId: "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c", companyId: "4711" }) });
      const done = await startCli(args, { cwd: dir, closeStdout: true }).done;
      expect(done.stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
      expect(done.code).toBe(code);
    },
    20_000,
  );

  it("map-users --json | head -1: exit 1 (some users unmatched), not a stack trace", async () => {
    const ms = keep(await startFakeMicrosoft((_req, res) => json(res, 200, { value: users(500) })));
    const dir = tempDir({ "users.csv": exportOf(600) });
    const done = await startCli(["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv", "--json"], { cwd: dir, env: ENV, closeStdout: true }).done;
    expect(done.stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
    expect(done.code).toBe(1);
  }, 20_000);
});

describe("control characters from servers and files are made visible, never passed to the terminal", () => {
  const HOSTILE = "AADSTS7000215: bad secret\r\u001b[2K\u001b[32mPASS  token\u001b[0m\u009b2J\u0007\u202eevil";
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it("verify: an error description that would overwrite the FAIL line with PASS comes out escaped", async () => {
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (_req, res) => json(res, 401, { error: "invalid_client", error_description: HOSTILE, error_codes: [7000215] }),
      ),
    );
    const io = memoryIo({ env: ENV });
    const code = await run(["verify", ...fakeFlags(ms)], io);
    const output = [...io.out, ...io.err].join("\n");
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL {2}token/);
    expect(output).not.toMatch(CONTROL);
    expect(output).toContain("\\u000d\\u001b[2K\\u001b[32mPASS  token");
  });

  it("verify --json stays JSON, with the same characters as JSON escapes", async () => {
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (_req, res) => json(res, 401, { error: "invalid_client", error_description: HOSTILE }),
      ),
    );
    const io = memoryIo({ env: ENV });
    await run(["verify", "--json", ...fakeFlags(ms)], io);
    const text = io.out.join("\n");
    expect(text).not.toMatch(CONTROL);
    expect(JSON.stringify(JSON.parse(text))).toContain("PASS  token");
  });

  it("a real process: names from an export with ESC sequences do not reach stderr raw", async () => {
    const dir = tempDir({ "users.csv": "\u001b]0;pwned\u0007id,e\u009bmail\n1,a@contoso.nl\n" });
    const done = await startCli(["map-users", "--tenant-id", TENANT, "--client-id", APP, "--nexxt-users", "users.csv"], { cwd: dir, env: ENV }).done;
    expect(done.code).toBe(2);
    expect(done.stderr).not.toMatch(CONTROL);
    // Cells that do not look like column names are not quoted at all (the file may be a secret).
    expect(done.stderr).toContain("2 not shown, as they do not look like column names");
  }, 20_000);
});

describe("error lines are bounded", () => {
  it("an export header of 200,000 cells gives one line of at most a few thousand characters, in a real process", async () => {
    const header = Array.from({ length: 200_000 }, (_, i) => `column${i}`).join(",");
    const dir = tempDir({ "users.csv": `${header}\n${"x,".repeat(199_999)}x\n` });
    const done = await startCli(["map-users", "--tenant-id", TENANT, "--client-id", APP, "--nexxt-users", "users.csv"], { cwd: dir, env: ENV }).done;
    expect(done.code).toBe(2);
    const lines = done.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0].length).toBeLessThan(2_100);
    expect(lines[0]).toMatch(/has no id column .* and 199988 more\)/);
  }, 20_000);

  it("any diagnostic line, whatever made it long, is cut at the output boundary", async () => {
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (_req, res) => json(res, 400, { error: "invalid_request", error_description: `AADSTS900144: ${"y".repeat(50_000)}` }),
      ),
    );
    const dir = tempDir({ "users.csv": exportOf(1) });
    const io = memoryIo({ env: ENV, cwd: dir });
    const code = await run(["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv"], io);
    expect(code).toBe(3);
    for (const line of io.err.join("\n").split("\n")) expect(line.length).toBeLessThan(2_100);
  });
});
