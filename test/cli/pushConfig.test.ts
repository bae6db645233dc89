import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExitCode } from "../../src/exitCodes";
import { memoryIo } from "../../src/cli/io";
import { run } from "../../src/cli/main";
import { serializeConnectorDocument } from "../../src/nexxt/connectorDocument";
import { FakeNexxt, startFakeNexxt } from "../fakes/nexxtServer";
import { CLIENT_SECRET, NEXXT_TOKEN, sampleDocument } from "../fakes/secrets";

describe("nexxt-onboard push-config", () => {
  let nexxt: FakeNexxt | undefined;
  let dir: string;
  let configFile: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "push-config-"));
    configFile = path.join(dir, "acme.nexxt.json");
    await fs.writeFile(configFile, serializeConnectorDocument(sampleDocument()), { mode: 0o600 });
  });
  afterEach(async () => {
    await nexxt?.close();
    nexxt = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Runs the CLI in-process; every failure test then checks that no output holds a secret. */
  async function pushConfig(args: string[], env: NodeJS.ProcessEnv = { NEXXT_API_TOKEN: NEXXT_TOKEN }) {
    const io = memoryIo({ env, cwd: dir });
    const code = await run(["push-config", ...args], io);
    const out = io.out.join("\n");
    const err = io.err.join("\n");
    return { code, out, err };
  }
  const fast = ["--retry-base-ms", "1", "--timeout-ms", "2000"];
  function expectNoSecrets(...texts: string[]): void {
    for (const text of texts) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(NEXXT_TOKEN);
    }
  }

  it("PUTs the file's document with the token from NEXXT_API_TOKEN and exits 0", async () => {
    nexxt = await startFakeNexxt([{ status: 200, body: { ok: true } }]);
    const { code, out, err } = await pushConfig(["--config", "acme.nexxt.json", "--api-url", nexxt.url(), ...fast]);
    expect(code).toBe(ExitCode.Ok);
    expect(err).toBe("");
    expect(out).toBe(
      `Nexxt accepted the connector configuration of application 3f2c1a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b (company 4711): PUT ${nexxt.url()} answered HTTP 200 after 1 attempt.`,
    );
    expect(nexxt.requests).toHaveLength(1);
    const [request] = nexxt.requests;
    expect(request.method).toBe("PUT");
    expect(request.headers.authorization).toBe(`Bearer ${NEXXT_TOKEN}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toBe(await fs.readFile(configFile, "utf8"));
    expectNoSecrets(out, err);
  });

  it("reads the token from the variable --api-token-env names, and prints JSON with --json", async () => {
    nexxt = await startFakeNexxt([{ status: 201 }]);
    const { code, out } = await pushConfig(["--config", configFile, "--api-url", nexxt.url("/x?company=4711"), "--api-token-env", "ACME_TOKEN", "--json", ...fast], {
      ACME_TOKEN: "acme-specific-token",
    });
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(out)).toEqual({
      ok: true,
      url: nexxt.url("/x"),
      status: 201,
      attempts: 1,
      applicationId: sampleDocument().applicationId,
      companyId: "4711",
    });
    expect(nexxt.requests[0].headers.authorization).toBe("Bearer acme-specific-token");
    expect(nexxt.requests[0].url).toBe("/x?company=4711");
  });

  it("retries a 500 and a dropped connection, reporting each retry on stderr", async () => {
    nexxt = await startFakeNexxt([{ status: 500, body: "restarting" }, { drop: true }, { status: 200 }]);
    const { code, err } = await pushConfig(["--config", configFile, "--api-url", nexxt.url(), ...fast]);
    expect(code).toBe(ExitCode.Ok);
    expect(err.split("\n")).toEqual([
      expect.stringMatching(/^push-config: attempt 1 failed \(HTTP 500\); retrying in \d+ ms$/),
      expect.stringMatching(/^push-config: attempt 2 failed \(ECONNRESET\); retrying in \d+ ms$/),
    ]);
    expect(nexxt.requests).toHaveLength(3);
  });

  it("waits what a 429's Retry-After says", async () => {
    nexxt = await startFakeNexxt([{ status: 429, body: "slow down", headers: { "Retry-After": "1" } }]);
    const { code, err } = await pushConfig(["--config", configFile, "--api-url", nexxt.url(), ...fast]);
    expect(code).toBe(ExitCode.Ok);
    expect(err).toBe("push-config: attempt 1 failed (HTTP 429); retrying in 1000 ms");
  });

  it.each([
    [401, { message: "token revoked" }, "HTTP 401: token revoked; check the API token (environment variable NEXXT_API_TOKEN)"],
    [404, "no such company", "HTTP 404: no such company; check the URL (--api-url)"],
  ])("exits 3 at once on %i, with status and the server's message", async (status, body, expected) => {
    nexxt = await startFakeNexxt([{ status, body }]);
    const { code, out, err } = await pushConfig(["--config", configFile, "--api-url", nexxt.url(), ...fast]);
    expect(code).toBe(ExitCode.RemoteFailed);
    expect(out).toBe("");
    expect(err).toContain(`error: Nexxt did not accept the connector configuration: PUT ${nexxt.url()} failed with ${expected}`);
    expect(nexxt.requests).toHaveLength(1);
    expectNoSecrets(out, err);
  });

  it("exits 3 on a server that never answers, and says so in JSON too", async () => {
    nexxt = await startFakeNexxt([], { hang: true });
    const { code, out, err } = await pushConfig(["--config", configFile, "--api-url", nexxt.url(), "--timeout-ms", "150", "--retries", "1", "--retry-base-ms", "1", "--json"]);
    expect(code).toBe(ExitCode.RemoteFailed);
    const parsed = JSON.parse(out);
    expect(parsed).toMatchObject({ ok: false, exitCode: 3 });
    expect(parsed.error).toMatch(/no answer within 150 ms after 2 attempts/);
    expect(err).toContain("error: Nexxt did not accept");
    expectNoSecrets(out, err);
  });

  it("exits 3 when the retries are exhausted", async () => {
    nexxt = await startFakeNexxt([], { status: 503, body: { message: `overloaded, token ${NEXXT_TOKEN}` } });
    const { code, out, err } = await pushConfig(["--config", configFile, "--api-url", nexxt.url(), "--retries", "2", ...fast]);
    expect(code).toBe(ExitCode.RemoteFailed);
    expect(err).toContain("failed with HTTP 503 after 3 attempts: overloaded, token [redacted]");
    expect(nexxt.requests).toHaveLength(3);
    expectNoSecrets(out, err);
  });

  describe("bad input exits 2 before anything is sent", () => {
    beforeEach(async () => {
      nexxt = await startFakeNexxt([]);
    });
    afterEach(() => {
      expect(nexxt!.requests).toHaveLength(0);
    });

    it("a missing token variable", async () => {
      const { code, err } = await pushConfig(["--config", configFile, "--api-url", nexxt!.url()], {});
      expect(code).toBe(ExitCode.InvalidInput);
      expect(err).toBe(
        "error: Environment variable NEXXT_API_TOKEN (named by --api-token-env) is empty or not set; put the Nexxt API token in it, or name another variable with --api-token-env.",
      );
    });

    it("a token pasted where the variable name goes is not echoed", async () => {
      const { code, out, err } = await pushConfig(["--config", configFile, "--api-url", nexxt!.url(), "--api-token-env", "FAKE~test-secret-not-real.0123456789_xyz"]);
      expect(code).toBe(ExitCode.InvalidInput);
      expect(err).toMatch(/^error: --api-token-env must name an environment variable/);
      expectNoSecrets(out, err);
    });

    it("plain http to a remote host", async () => {
      const { code, err } = await pushConfig(["--config", configFile, "--api-url", "http://pbx.acme.nl/api"]);
      expect(code).toBe(ExitCode.InvalidInput);
      expect(err).toMatch(/^error: --api-url 'http:\/\/pbx.acme.nl\/api' must use https/);
    });

    it("a missing or broken config file, named without its secret", async () => {
      const missing = await pushConfig(["--config", "nope.json", "--api-url", nexxt!.url()]);
      expect(missing.code).toBe(ExitCode.InvalidInput);
      expect(missing.err).toMatch(/^error: --config nope.json does not exist/);
      await fs.writeFile(configFile, JSON.stringify({ ...sampleDocument(), tenantId: "not-a-guid" }));
      const broken = await pushConfig(["--config", configFile, "--api-url", nexxt!.url()]);
      expect(broken.code).toBe(ExitCode.InvalidInput);
      expect(broken.err).toContain("field 'tenantId' is not a GUID (its value is not shown)");
      expect(broken.err).not.toContain("not-a-guid");
      expectNoSecrets(missing.err, broken.err);
    });

    it.each([
      [["--retries", "-1"], "--retries '-1' must be a whole number of retries from 0 to 10"],
      [["--retries", "2.5"], "--retries '2.5' must be a whole number of retries from 0 to 10"],
      [["--timeout-ms", "0"], "--timeout-ms '0' must be a whole number of milliseconds 1 or more (at most 2147483647)"],
      [["--timeout-ms", "2147483648"], "--timeout-ms '2147483648' must be a whole number of milliseconds 1 or more (at most 2147483647)"],
      [["--retry-base-ms", "ten"], "--retry-base-ms 'ten' must be a whole number of milliseconds"],
    ])("%p", async (extra, message) => {
      const { code, err } = await pushConfig(["--config", configFile, "--api-url", nexxt!.url(), ...extra]);
      expect(code).toBe(ExitCode.InvalidInput);
      expect(err).toContain(message);
    });
  });

  it("--help shows the flags and an example", async () => {
    const { code, out } = await pushConfig(["--help"]);
    expect(code).toBe(ExitCode.Ok);
    for (const flag of ["--config", "--api-url", "--api-token-env", "--timeout-ms", "--retries", "--json"]) expect(out).toContain(flag);
    expect(out).toContain("Examples:");
    expect(out).toContain("NEXXT_API_TOKEN=... bin/nexxt-onboard push-config \\\n");
  });
});
