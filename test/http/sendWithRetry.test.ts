import { HttpError } from "../../src/http/httpError";
import { RetryInfo, sendWithRetry } from "../../src/http/sendWithRetry";
import { FakeNexxt, recordingSleep, startFakeNexxt } from "../fakes/nexxtServer";

const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 5_000 };

describe("sendWithRetry on real sockets", () => {
  let server: FakeNexxt | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("sends method, headers and a string body as given and returns the parsed answer", async () => {
    server = await startFakeNexxt([{ status: 201, body: { id: "x1" } }]);
    const response = await sendWithRetry<{ id: string }>(
      { method: "POST", url: server.url("/a?b=c"), headers: { "X-Test": "1", "Content-Type": "text/plain" }, data: "hello" },
      { timeoutMs: 2_000, policy: fast },
    );
    expect(response).toMatchObject({ status: 201, data: { id: "x1" }, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: "POST", url: "/a?b=c", body: "hello" });
    expect(server.requests[0].headers["x-test"]).toBe("1");
  });

  /** The keep-alive agent's busy sockets, once they settle (bounded: at most a second). */
  async function busySockets(): Promise<number> {
    const agent = (globalThis as { __nexxtOffice365Axios?: { defaults: { httpAgent: { sockets: Record<string, unknown[]> } } } }).__nexxtOffice365Axios!.defaults.httpAgent;
    const busy = () => Object.values(agent.sockets).flat().length;
    for (let waited = 0; busy() > 0 && waited < 1_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    return busy();
  }

  it.each([
    ["received in full", "small"],
    ["still arriving", "x".repeat(2_000_000)],
  ])("lets go of the connection of an answer it does not read (discardBody), %s: no socket stays busy and holds the process open", async (_what, padding) => {
    server = await startFakeNexxt([{ status: 200, body: { ok: true, padding } }, { status: 200 }]);
    const response = await sendWithRetry({ method: "PUT", url: server.url(), data: "{}", discardBody: true }, { timeoutMs: 2_000, policy: fast });
    expect(response.status).toBe(200);
    expect(await busySockets()).toBe(0);
    // The connection (drained or replaced) still serves the next request.
    await sendWithRetry({ method: "PUT", url: server.url(), data: "{}", discardBody: true }, { timeoutMs: 2_000, policy: fast });
    expect(server.requests).toHaveLength(2);
  });

  it("sends a string body byte for byte even when it is JSON, and an object as JSON", async () => {
    server = await startFakeNexxt([{ status: 200 }, { status: 200 }]);
    const text = '{\n  "a": 1\n}\n';
    await sendWithRetry({ method: "PUT", url: server.url(), headers: { "Content-Type": "application/json" }, data: text }, { timeoutMs: 2_000, policy: fast });
    await sendWithRetry({ method: "PUT", url: server.url(), data: { a: 1 } }, { timeoutMs: 2_000, policy: fast });
    expect(server.requests.map((r) => r.body)).toEqual([text, '{"a":1}']);
    expect(server.requests[1].headers["content-type"]).toMatch(/^application\/json/);
  });

  it("retries 503 and 429, waiting what Retry-After asks, then succeeds", async () => {
    server = await startFakeNexxt([
      { status: 503, body: "busy" },
      { status: 429, body: { message: "slow down" }, headers: { "Retry-After": "2" } },
      { status: 200, body: { ok: true } },
    ]);
    const { sleep, waits } = recordingSleep();
    const retries: RetryInfo[] = [];
    const response = await sendWithRetry({ method: "GET", url: server.url() }, { timeoutMs: 2_000, policy: fast, sleep, onRetry: (i) => retries.push(i) });
    expect(response.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(waits[1]).toBe(2_000);
    expect(retries.map((r) => r.reason)).toEqual(["HTTP 503", "HTTP 429"]);
  });

  it("fails a 4xx at once with status and the server's message", async () => {
    server = await startFakeNexxt([{ status: 403, body: { message: "not your tenant" } }]);
    const error = await sendWithRetry({ method: "GET", url: server.url("/x?secret=1") }, { timeoutMs: 2_000, policy: fast }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 403, attempts: 1, method: "GET" });
    expect(error.message).toBe(`GET ${server.url("/x")} failed with HTTP 403: not your tenant`);
    expect(server.requests).toHaveLength(1);
  });

  it("returns statuses the caller accepts instead of failing", async () => {
    server = await startFakeNexxt([{ status: 404, body: "gone" }]);
    const response = await sendWithRetry({ method: "DELETE", url: server.url(), acceptStatus: (s) => s === 404 }, { timeoutMs: 2_000, policy: fast });
    expect(response.status).toBe(404);
  });

  it("times out a server that never answers, per attempt, and gives up after the retries", async () => {
    server = await startFakeNexxt([], { hang: true });
    const retries: RetryInfo[] = [];
    const error = await sendWithRetry({ method: "GET", url: server.url() }, { timeoutMs: 150, policy: { ...fast, retries: 1 }, onRetry: (i) => retries.push(i) }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: undefined, code: "ETIMEDOUT", attempts: 2 });
    expect(error.message).toMatch(/no answer within 150 ms after 2 attempts/);
    expect(retries.map((r) => r.reason)).toEqual(["ETIMEDOUT"]);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a dropped connection", async () => {
    server = await startFakeNexxt([{ drop: true }, { status: 200, body: { ok: true } }]);
    const retries: RetryInfo[] = [];
    const response = await sendWithRetry({ method: "PUT", url: server.url(), data: "{}" }, { timeoutMs: 2_000, policy: fast, onRetry: (i) => retries.push(i) });
    expect(response.attempts).toBe(2);
    expect(retries[0].reason).toBe("ECONNRESET");
  });

  it("retries a refused connection, then reports it", async () => {
    server = await startFakeNexxt([]);
    const url = server.url();
    await server.close();
    server = undefined;
    const error = await sendWithRetry({ method: "GET", url }, { timeoutMs: 1_000, policy: { ...fast, retries: 2 } }).catch((e) => e);
    expect(error).toMatchObject({ code: "ECONNREFUSED", attempts: 3 });
    expect(error.message).toMatch(/connection failed \(ECONNREFUSED\) after 3 attempts/);
  });

  it("stops after the retries when the server keeps failing", async () => {
    server = await startFakeNexxt([], { status: 500, body: { message: "boom" } });
    const error = await sendWithRetry({ method: "GET", url: server.url() }, { timeoutMs: 2_000, policy: { ...fast, retries: 2 } }).catch((e) => e);
    expect(error).toMatchObject({ status: 500, attempts: 3 });
    expect(error.message).toMatch(/failed with HTTP 500 after 3 attempts: boom/);
    expect(server.requests).toHaveLength(3);
  });

  it("never puts request headers or body into the error", async () => {
    server = await startFakeNexxt([], { status: 400, body: "bad" });
    const error = await sendWithRetry(
      { method: "POST", url: server.url(), headers: { Authorization: "Bearer very-secret-token" }, data: "client_secret=hush-hush" },
      { timeoutMs: 2_000, policy: fast },
    ).catch((e) => e);
    const text = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    expect(text).not.toContain("very-secret-token");
    expect(text).not.toContain("hush-hush");
  });

  it("with responseType text returns the body unparsed, and still parses a JSON error body for the error", async () => {
    const body = '{"@odata.nextLink": "x",  "value": [1]}';
    server = await startFakeNexxt([
      { status: 200, body },
      { status: 404, body: { error: { code: "Request_ResourceNotFound", message: "no such user" } } },
    ]);
    const ok = await sendWithRetry<string>({ method: "GET", url: server.url(), responseType: "text" }, { timeoutMs: 2_000, policy: fast });
    expect(ok.data).toBe(body);
    const error = await sendWithRetry({ method: "GET", url: server.url(), responseType: "text" }, { timeoutMs: 2_000, policy: fast }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.body).toEqual({ error: { code: "Request_ResourceNotFound", message: "no such user" } });
    expect(error.message).toMatch(/failed with HTTP 404: Request_ResourceNotFound: no such user$/);
  });

  it("stops a request in flight when its signal aborts, and sends no retry", async () => {
    server = await startFakeNexxt([], { hang: true });
    const stop = new AbortController();
    const pending = sendWithRetry({ method: "GET", url: server.url() }, { timeoutMs: 10_000, policy: fast, signal: stop.signal }).catch((e) => e);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: "ERR_CANCELED", status: undefined });
    expect(error.message).toMatch(/was abandoned/);
    expect(server.requests).toHaveLength(1);
  });

  it("cuts a Retry-After wait short when its signal aborts, and sends nothing more", async () => {
    server = await startFakeNexxt([{ status: 503, headers: { "Retry-After": "30" } }]);
    const stop = new AbortController();
    const retries: RetryInfo[] = [];
    const pending = sendWithRetry(
      { method: "GET", url: server.url() },
      { timeoutMs: 2_000, policy: { ...fast, maxDelayMs: 60_000 }, signal: stop.signal, onRetry: (info) => (retries.push(info), stop.abort()) },
    ).catch((e) => e);
    const error = await pending;
    expect(retries.map((r) => r.delayMs)).toEqual([30_000]);
    expect(error).toMatchObject({ code: "ERR_CANCELED", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});
