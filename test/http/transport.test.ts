import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import { RESPONSE_LIMITS, sendWithRetry } from "../../src/http/sendWithRetry";

const fast = { retries: 2, baseDelayMs: 1, maxDelayMs: 10 };

interface Raw {
  url: string;
  requests: { method?: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1 whose handler writes the raw answer, and that records what it was sent. */
async function rawServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Raw> {
  const requests: Raw["requests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const open: Raw[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Raw> {
  const server = await rawServer(handler);
  open.push(server);
  return server;
}

describe("the HTTP transport (axios)", () => {
  it("says who it is, asks for compressed answers, and labels a JSON body", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    await sendWithRetry({ method: "PUT", url: `${server.url}/doc`, data: { a: 1 } }, { timeoutMs: 2_000, policy: fast });
    const [seen] = server.requests;
    expect(seen.headers["user-agent"]).toBe("nexxt-office365");
    expect(seen.headers["accept-encoding"]).toBe("gzip, deflate, br");
    expect(seen.headers["content-type"]).toBe("application/json");
    expect(seen.headers["content-length"]).toBe(String(Buffer.byteLength('{"a":1}')));
    expect(seen.body).toBe('{"a":1}');
  });

  it("lets the caller's header win whatever its spelling, without sending it twice", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    await sendWithRetry({ method: "GET", url: server.url, headers: { accept: "application/json", "user-agent": "x" } }, { timeoutMs: 2_000, policy: fast });
    expect(server.requests[0].headers.accept).toBe("application/json");
    expect(server.requests[0].headers["user-agent"]).toBe("x");
  });

  it.each([
    ["gzip", zlib.gzipSync],
    ["deflate", zlib.deflateSync],
    ["br", zlib.brotliCompressSync],
  ] as const)("reads a %s answer as the JSON it holds", async (encoding, compress) => {
    const page = { value: Array.from({ length: 500 }, (_, i) => ({ id: `user-${i}` })) };
    const server = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": encoding });
      res.end(compress(Buffer.from(JSON.stringify(page))));
    });
    const response = await sendWithRetry({ method: "GET", url: server.url }, { timeoutMs: 2_000, policy: fast });
    expect(response.data).toEqual(page);
  });

  it("cuts a gzip bomb at the limit counted after decompression, without retrying it", async () => {
    // 64 MB of zeros is ~64 KB gzipped: the bytes on the wire are far under the 1 MB limit.
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const server = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
      res.end(bomb);
    });
    const before = process.memoryUsage().rss;
    const error = await sendWithRetry({ method: "GET", url: server.url }, { timeoutMs: 5_000, policy: fast }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE" });
    expect((error as Error).message).toContain(`more than ${RESPONSE_LIMITS.other} bytes`);
    expect(server.requests).toHaveLength(1);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it("fails a corrupt compressed body as a broken answer, not as data", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
      res.end(Buffer.from("this is not gzip at all"));
    });
    const error = await sendWithRetry({ method: "GET", url: server.url }, { timeoutMs: 2_000, policy: { ...fast, retries: 0 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "HttpError", status: undefined });
    expect((error as Error).message).toMatch(/connection failed \(Z_DATA_ERROR\)/);
  });

  it("never follows a redirect: the place it points to hears nothing, and the answer is a failure", async () => {
    const elsewhere = await serve((_req, res) => res.end('{"stolen":true}'));
    const server = await serve((_req, res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/collect` });
      res.end();
    });
    const error = await sendWithRetry(
      { method: "POST", url: server.url, data: "client_secret=abc", headers: { Authorization: "Bearer t0ken-value" } },
      { timeoutMs: 2_000, policy: fast },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "HttpError", status: 302 });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("never turns a URL's user:password@ into Basic auth, even when a caller skips the URL policy", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    await sendWithRetry({ method: "GET", url: server.url.replace("http://", "http://admin:pw-canary@") }, { timeoutMs: 2_000, policy: fast });
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });

  it("refuses a request body over 1 MB before anything is sent", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const error = await sendWithRetry({ method: "PUT", url: server.url, data: "x".repeat(1024 * 1024 + 1) }, { timeoutMs: 2_000, policy: fast }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_REQUEST_TOO_LARGE" });
    expect(server.requests).toHaveLength(0);
  });

  it("an abort after the answer was read in full stops nothing and ends nothing", async () => {
    const server = await serve((_req, res) => res.end('{"ok":true}'));
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => crashes.push(err);
    process.on("uncaughtException", onCrash);
    try {
      const stop = new AbortController();
      // Aborted in the very turn the body is complete, before sendWithRetry has returned.
      const peeked = sendWithRetry(
        {
          method: "GET",
          url: server.url,
          peek: (text) => {
            if (text.endsWith("}")) queueMicrotask(() => stop.abort());
            return false;
          },
        },
        { timeoutMs: 2_000, policy: fast, signal: stop.signal },
      ).catch((e: unknown) => e);
      await peeked;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(crashes).toEqual([]);
      // The connection is still good for the next request.
      await expect(sendWithRetry({ method: "GET", url: server.url }, { timeoutMs: 2_000, policy: fast })).resolves.toMatchObject({ data: { ok: true } });
    } finally {
      process.off("uncaughtException", onCrash);
    }
  });
});
