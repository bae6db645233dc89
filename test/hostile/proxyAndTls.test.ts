/**
 * The tool's own requests and the network between: a partner's proxy (HTTPS_PROXY, HTTP_PROXY,
 * NO_PROXY, as az, m365 and pulumi read them) and an environment that switched certificate
 * checks off (NODE_TLS_REJECT_UNAUTHORIZED=0, issue 18). Real servers and a real proxy on
 * 127.0.0.1; the names *.invalid never resolve, so a request for one that arrives went through
 * the proxy.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { sendWithRetry } from "../../src/http/sendWithRetry";
import { HostileServer, json, startHostile } from "./hostileServer";
import { CANARY_NEXXT_TOKEN, CANARY_SECRET, connectorDocument, expectNoLeak, fakeFlags } from "./fakeMicrosoft";
import { loopbackTls, TestProxy, TlsServer, startProxy, startTlsServer } from "./proxyAndTls";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "NODE_TLS_REJECT_UNAUTHORIZED"];
const fast = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };

const closers: (() => Promise<void>)[] = [];
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  for (const name of PROXY_VARIABLES) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
});
afterEach(async () => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await Promise.all(closers.splice(0).map((close) => close()));
});
async function tlsServer(handler: Parameters<typeof startTlsServer>[0]): Promise<TlsServer> {
  const server = await startTlsServer(handler);
  closers.push(server.close);
  return server;
}
async function proxy(route: (host: string) => number): Promise<TestProxy> {
  const started = await startProxy(route);
  closers.push(started.close);
  return started;
}
async function plain(handler: Parameters<typeof startHostile>[0]): Promise<HostileServer> {
  const server = await startHostile(handler);
  closers.push(server.close);
  return server;
}

/** The environment of a child process: this one's, without any proxy or TLS setting of the machine. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of PROXY_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

describe("a proxy from the environment", () => {
  it.each(["HTTPS_PROXY", "https_proxy"])(
    "push-config reaches an https Nexxt through %s in a CONNECT tunnel: the proxy sees the host name, never the token",
    async (variable) => {
      const nexxt = await tlsServer((_req, res) => json(res, 200, { ok: true }));
      const partnerProxy = await proxy(() => nexxt.port);
      const dir = mkdtempSync(path.join(tmpdir(), "proxy-push-"));
      writeFileSync(path.join(dir, "c.json"), JSON.stringify(connectorDocument()));
      // A real process, as users run it: NODE_EXTRA_CA_CERTS is how a partner trusts a CA of
      // their own, and Node reads it only at start-up.
      const { stdout } = await execFileAsync(
        process.execPath,
        [path.join(ROOT, "bin/nexxt-onboard"), "push-config", "--config", "c.json", "--api-url", "https://nexxt.invalid/api/office365", "--retries", "0", "--json"],
        { cwd: dir, timeout: 30_000, env: childEnv({ [variable]: partnerProxy.url, NODE_EXTRA_CA_CERTS: (await loopbackTls()).certFile, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }) },
      );
      expect(JSON.parse(stdout)).toMatchObject({ status: 200 });
      expect(partnerProxy.seen).toEqual(["CONNECT nexxt.invalid:443"]);
      expect(partnerProxy.connectHeaders[0].authorization).toBeUndefined();
      expect(nexxt.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization}`)).toEqual([`PUT /api/office365 Bearer ${CANARY_NEXXT_TOKEN}`]);
      // The tunnel carried TLS: neither the token nor the client secret crossed the proxy in clear.
      const tunnelled = Buffer.concat(partnerProxy.tunnelled).toString("latin1");
      expect(tunnelled.length).toBeGreaterThan(0);
      expectNoLeak(tunnelled, [CANARY_NEXXT_TOKEN, CANARY_SECRET]);
    },
    40_000,
  );

  it.each(["HTTP_PROXY", "http_proxy"])("a plain http request is forwarded by %s in absolute form", async (variable) => {
    const origin = await plain((_req, res) => json(res, 200, { via: "proxy" }));
    const partnerProxy = await proxy(() => Number(new URL(origin.origin).port));
    process.env[variable] = partnerProxy.url;
    const response = await sendWithRetry({ method: "GET", url: "http://nexxt.invalid/api/users/1" }, { timeoutMs: 5_000, policy: fast });
    expect(response.data).toEqual({ via: "proxy" });
    expect(partnerProxy.seen).toEqual(["GET http://nexxt.invalid/api/users/1"]);
    expect(origin.requests).toHaveLength(1);
  });

  it.each([
    ["NO_PROXY", "nexxt.invalid"],
    ["no_proxy", ".invalid"],
    ["NO_PROXY", "*"],
  ])("a host %s=%s names goes direct, not through the proxy", async (variable, value) => {
    const partnerProxy = await proxy(() => 1);
    process.env.HTTPS_PROXY = partnerProxy.url;
    process.env[variable] = value;
    const error = await sendWithRetry({ method: "GET", url: "https://nexxt.invalid/x" }, { timeoutMs: 5_000, policy: fast }).catch((e: unknown) => e);
    // Direct means a name lookup, which fails for .invalid: proof the proxy was not asked.
    expect(error).toMatchObject({ name: "HttpError", code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    expect(partnerProxy.seen).toEqual([]);
  });

  it("loopback never goes through a proxy (a proxy cannot reach this machine's stand-ins)", async () => {
    const local = await plain((_req, res) => json(res, 200, { direct: true }));
    const partnerProxy = await proxy(() => 1);
    process.env.HTTP_PROXY = partnerProxy.url;
    process.env.HTTPS_PROXY = partnerProxy.url;
    await expect(sendWithRetry({ method: "GET", url: local.url("/x") }, { timeoutMs: 5_000, policy: fast })).resolves.toMatchObject({ data: { direct: true } });
    await expect(sendWithRetry({ method: "GET", url: local.url("/x").replace("127.0.0.1", "localhost") }, { timeoutMs: 5_000, policy: fast })).resolves.toMatchObject({
      data: { direct: true },
    });
    expect(partnerProxy.seen).toEqual([]);
  });
});

describe("certificates are verified whatever NODE_TLS_REJECT_UNAUTHORIZED says", () => {
  async function verifyAgainst(server: string, env: Record<string, string>) {
    const io = memoryIo({ env: { NEXXT_CLIENT_SECRET: CANARY_SECRET, ...env }, cwd: process.cwd() });
    const code = await run(["verify", ...fakeFlags({ origin: server } as HostileServer)], io);
    return { code, output: [...io.out, ...io.err].join("\n") };
  }

  it("verify with NODE_TLS_REJECT_UNAUTHORIZED=0 sends no client secret to a self-signed login server, and says why", async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    const login = await tlsServer((_req, res) => json(res, 200, { access_token: "x" }));
    const { code, output } = await verifyAgainst(login.origin, { NODE_TLS_REJECT_UNAUTHORIZED: "0" });
    expect(code).toBe(3);
    expect(output).toMatch(/FAIL {2}token/);
    expect(output).toMatch(/certificate was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\), so nothing was sent/);
    expect(output).toMatch(/whatever NODE_TLS_REJECT_UNAUTHORIZED says/);
    expect(login.handshakes).toBe(0);
    expect(login.requests).toEqual([]);
    expectNoLeak(output, [CANARY_SECRET]);
  });

  it("nor through a proxy's tunnel: the target's certificate is checked at the end of the tunnel", async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    const login = await tlsServer((_req, res) => json(res, 200, { access_token: "x" }));
    const partnerProxy = await proxy(() => login.port);
    process.env.HTTPS_PROXY = partnerProxy.url;
    const { code, output } = await verifyAgainst("https://login.invalid", {});
    expect(code).toBe(3);
    expect(partnerProxy.seen).toEqual(["CONNECT login.invalid:443"]);
    expect(output).toMatch(/certificate was not accepted/);
    expect(login.requests).toEqual([]);
    expectNoLeak(output + Buffer.concat(partnerProxy.tunnelled).toString("latin1"), [CANARY_SECRET]);
  });

  it("push-config with NODE_TLS_REJECT_UNAUTHORIZED=0 in a real process sends no API token to a self-signed Nexxt", async () => {
    const nexxt = await tlsServer((_req, res) => json(res, 200, { ok: true }));
    const dir = mkdtempSync(path.join(tmpdir(), "tls-push-"));
    writeFileSync(path.join(dir, "c.json"), JSON.stringify(connectorDocument()));
    const outcome = await execFileAsync(
      process.execPath,
      [path.join(ROOT, "bin/nexxt-onboard"), "push-config", "--config", "c.json", "--api-url", `${nexxt.origin}/api/office365`, "--retries", "0"],
      { cwd: dir, timeout: 30_000, env: childEnv({ NODE_TLS_REJECT_UNAUTHORIZED: "0", NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }) },
    ).catch((err: { code: number; stdout: string; stderr: string }) => err);
    expect(outcome).toMatchObject({ code: 3 });
    expect(outcome.stderr).toMatch(/certificate was not accepted/);
    expect(nexxt.requests).toEqual([]);
    expectNoLeak(outcome.stdout + outcome.stderr, [CANARY_NEXXT_TOKEN, CANARY_SECRET]);
  }, 40_000);
});
