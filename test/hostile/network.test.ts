/**
 * Class 2 of issue 11: bounded, honest networking. Looping, hanging, trickling and
 * gigabyte-answering servers on 127.0.0.1; verify must not pass setups that do not work.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { sendWithRetry } from "../../src/http/sendWithRetry";
import { HostileServer, endless, json, startHostile, text } from "./hostileServer";
import { APP, CANARY_NEXXT_TOKEN, CANARY_SECRET, TENANT, fakeFlags, startFakeMicrosoft } from "./fakeMicrosoft";

let servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const keep = <T extends HostileServer>(server: T): T => (servers.push(server), server);

async function cli(args: string[], cwd = process.cwd(), env: Record<string, string> = { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }) {
  const io = memoryIo({ env, cwd });
  const code = await run(args, io);
  return { code, out: io.out.join("\n"), output: [...io.out, ...io.err].join("\n") };
}

function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-net-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const connectorDoc = (endpoint: string) =>
  JSON.stringify({
    applicationId: APP,
    apiKey: CANARY_SECRET,
    oauth2TokenEndpoint: endpoint,
    tenantId: TENANT,
    companyId: "4711",
    secretExpiresAt: "2027-11-27T00:00:00Z",
    permissions: ["User.Read.All", "Contacts.Read"],
  });

describe("paging that never ends", () => {
  it("map-users stops with one sentence when Graph repeats an @odata.nextLink", async () => {
    const ms = keep(await startFakeMicrosoft((_req, res, self) => json(res, 200, { "@odata.nextLink": self.url("/v1.0/users?$skiptoken=same"), value: [] })));
    const dir = tempDir({ "users.csv": "id,email\n1,a@contoso.nl\n" });
    const { code, output } = await cli(["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv"], dir);
    expect(code).toBe(3);
    expect(output).toMatch(/@odata\.nextLink it had returned before/);
    // The token, the first page and the repeated one: no more.
    expect(ms.requests.length).toBeLessThanOrEqual(4);
  }, 10_000);
});

describe("answers larger than any real one", () => {
  it("verify: a token endpoint answering an endless 200 fails at once, having read only the cap", async () => {
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (_req, res, self) => endless(res, self),
      ),
    );
    const { code, output } = await cli(["verify", ...fakeFlags(ms)]);
    expect(code).toBe(1);
    expect(output).toMatch(/answered more than 65536 bytes/);
    // The client hung up long before a gigabyte: what the server pushed into socket buffers is all.
    expect(ms.bytesSent).toBeLessThan(64 * 1024 * 1024);
  }, 20_000);

  it("push-config: Nexxt answers 200 with 600 MB of body; the push is reported as accepted (the status counts), quickly", async () => {
    const nexxt = keep(await startHostile((_req, res, self) => endless(res, self, 200, 600 * 1024 * 1024)));
    const dir = tempDir({ "c.json": connectorDoc(`https://login.microsoftonline.com/${TENANT}/oauth2/token`) });
    const { code, output } = await cli(["push-config", "--config", "c.json", "--api-url", nexxt.url("/api/office365"), "--retries", "0"], dir);
    expect(output).toMatch(/Nexxt accepted the connector configuration/);
    expect(code).toBe(0);
    expect(nexxt.bytesSent).toBeLessThan(100 * 1024 * 1024);
  }, 20_000);

  it("an error answer of any size is read only as far as its message", async () => {
    const server = keep(await startHostile((_req, res, self) => endless(res, self, 400, Number.POSITIVE_INFINITY, "text/plain")));
    const error = await sendWithRetry({ method: "GET", url: server.url() }, { timeoutMs: 5_000 }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(server.bytesSent).toBeLessThan(64 * 1024 * 1024);
  }, 20_000);
});

describe("timeouts cannot be switched off", () => {
  it("a timeout of 0.5 ms (which many clients read as none) still ends a hung request", async () => {
    const server = keep(await startHostile(() => undefined));
    const started = Date.now();
    const error = await sendWithRetry({ method: "GET", url: server.url() }, { timeoutMs: 0.5, policy: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e);
    expect(error.code).toBe("ETIMEDOUT");
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 10_000);

  it("a server that trickles one byte every 50 ms trips the deadline of the whole attempt", async () => {
    const server = keep(
      await startHostile((_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(" ")), 50);
        res.on("close", () => clearInterval(timer));
      }),
    );
    const started = Date.now();
    const error = await sendWithRetry({ method: "GET", url: server.url() }, { timeoutMs: 400, policy: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e);
    expect(error.code).toBe("ETIMEDOUT");
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 10_000);
});

describe("verify does not pass setups that do not work", () => {
  it.each([
    ["another tenant", "https://login.microsoftonline.com/99999999-9999-9999-9999-999999999999/oauth2/token", /names another tenant/],
    ["the v2 path", `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, /is the v2 endpoint/],
  ])("a connector file whose token endpoint names %s is an error, not silently replaced", async (_what, endpoint, message) => {
    const dir = tempDir({ "c.json": connectorDoc(endpoint) });
    const { code, output } = await cli(["verify", "--config", "c.json"], dir);
    expect(code).toBe(2);
    expect(output).toMatch(message);
  });

  it("a Graph 200 that is an HTML page is not 'users listed'", async () => {
    const ms = keep(await startFakeMicrosoft((_req, res) => text(res, 200, "<html><title>Sign in to the Wi-Fi</title></html>")));
    const { code, output } = await cli(["verify", ...fakeFlags(ms)]);
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL {2}users/);
    expect(output).not.toMatch(/PASS {2}users/);
  });

  it("an empty directory: the last line and the exit code agree (not 'All checks passed' with exit 1)", async () => {
    const ms = keep(await startFakeMicrosoft((_req, res) => json(res, 200, { value: [] })));
    const { code, output } = await cli(["verify", ...fakeFlags(ms)]);
    expect(code).toBe(1);
    expect(output).not.toMatch(/All \d+ checks passed/);
    expect(output).toMatch(/could not run/);
  });

  it("a token endpoint throttling past the retries exits 3 (a remote service failed), not 1", async () => {
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (_req, res) =>
          json(
            res,
            429,
            { error: "temporarily_unavailable", error_description: "AADSTS50196: The server terminated an operation because it encountered a client request loop." },
            { "Retry-After": "0" },
          ),
      ),
    );
    const { code } = await cli(["verify", ...fakeFlags(ms)]);
    expect(code).toBe(3);
    expect(ms.requests.length).toBe(2);
  });
});

describe("a page budget ends paging whose links never repeat", () => {
  it("stops after the budget with one sentence", async () => {
    const { GraphClient } = await import("../../src/graph/graphClient");
    const { BearerToken } = await import("../../src/util/bearerToken");
    let n = 0;
    const server = keep(await startHostile((_req, res, self) => json(res, 200, { "@odata.nextLink": self.url(`/v1.0/users?$skiptoken=${++n}`), value: [{ id: `u${n}` }] })));
    const graph = new GraphClient(server.origin, new BearerToken("fake-token-for-budget"), { timeoutMs: 2_000 }, 25);
    let pages = 0;
    const error = await (async () => {
      for await (const _page of graph.pages("/v1.0/users")) pages++;
    })().catch((e) => e);
    expect(error.message).toMatch(/still had a next page after 25 pages/);
    expect(pages).toBe(24);
    expect(server.requests.length).toBeLessThanOrEqual(26);
  });

  it("boundedTimeoutMs clamps what would disable or overflow a timer", async () => {
    const { boundedTimeoutMs, MAX_TIMEOUT_MS } = await import("../../src/http/sendWithRetry");
    expect([boundedTimeoutMs(0.5), boundedTimeoutMs(0), boundedTimeoutMs(-5), boundedTimeoutMs(3_000_000_000), boundedTimeoutMs(Number.NaN), boundedTimeoutMs(1500)]).toEqual([
      1,
      1,
      1,
      MAX_TIMEOUT_MS,
      30_000,
      1500,
    ]);
  });
});
