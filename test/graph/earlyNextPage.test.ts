import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphClient, GraphRequestError } from "../../src/graph/graphClient";
import { BearerToken } from "../../src/util/bearerToken";

/**
 * The next page is requested on the first bytes of the current one, when Graph writes the link
 * before the items. These servers hold a page's items back to see whether the next request comes
 * before they are sent, and break pages after their link was read.
 */
interface Held {
  base: string;
  /** Every request as "GET /path?query", and what happened when, in order. */
  events: string[];
  close(): Promise<void>;
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, held: Held) => void): Promise<Held> {
  const held: Held = { base: "", events: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    held.events.push(`GET ${req.url}`);
    req.on("close", () => {
      if (!res.writableFinished) held.events.push(`gone ${req.url}`);
    });
    handler(req, res, held);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  held.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  held.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return held;
}

const open: Held[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function readAll(graph: GraphClient, path: string): Promise<{ items: unknown[]; error?: Error }> {
  const items: unknown[] = [];
  try {
    for await (const page of graph.pages(path)) items.push(...page);
    return { items };
  } catch (error) {
    return { items, error: error as Error };
  }
}

const head = (base: string, next: string) => `{"@odata.context":"${base}/v1.0/$metadata#users","@odata.nextLink":"${base}${next}","value":[`;

describe("the next Graph page, requested on the current page's first bytes", () => {
  it("goes out while the current page's items are still held back", async () => {
    let finishPage1: (() => void) | undefined;
    const server = await serve((req, res, held) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      if (req.url === "/v1.0/users") {
        res.write(head(held.base, "/v1.0/users?page=2"));
        finishPage1 = () => {
          held.events.push("page 1 ends");
          res.end('{"id":"a"}]}');
        };
        // Graph would send the rest anyway; here only after a while, if page 2 was not asked for.
        setTimeout(() => finishPage1?.(), 1_000).unref();
      } else {
        finishPage1?.();
        finishPage1 = undefined;
        res.end('{"value":[{"id":"b"}]}');
      }
    });
    open.push(server);
    const started = Date.now();
    const { items, error } = await readAll(new GraphClient(server.base, new BearerToken("t"), { timeoutMs: 5_000 }), "/v1.0/users");
    expect(error).toBeUndefined();
    expect(items).toEqual([{ id: "a" }, { id: "b" }]);
    expect(server.events).toEqual(["GET /v1.0/users", "GET /v1.0/users?page=2", "page 1 ends"]);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("follows the link of the page as finally read when a retried attempt answers another one", async () => {
    let attempt = 0;
    const server = await serve((req, res, held) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      if (req.url === "/v1.0/users") {
        attempt++;
        if (attempt === 1) {
          // The link is read, then the connection drops mid-page: the page is asked for again.
          res.write(head(held.base, "/v1.0/users?stale=1"));
          setTimeout(() => res.destroy(), 20);
        } else {
          res.end(`${head(held.base, "/v1.0/users?page=2")}{"id":"a"}]}`);
        }
      } else if (req.url === "/v1.0/users?stale=1") {
        // Held: its answer would come from a listing that is no longer being read.
        setTimeout(() => res.end('{"value":[{"id":"stale"}]}'), 2_000).unref();
      } else {
        res.end('{"value":[{"id":"b"}]}');
      }
    });
    open.push(server);
    const { items, error } = await readAll(
      new GraphClient(server.base, new BearerToken("t"), { timeoutMs: 5_000, policy: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } }),
      "/v1.0/users",
    );
    expect(error).toBeUndefined();
    expect(items).toEqual([{ id: "a" }, { id: "b" }]);
    expect(server.events).toContain("gone /v1.0/users?stale=1");
  });

  it("abandons the next page's request when the page that named it turns out broken", async () => {
    let breakPage1: (() => void) | undefined;
    const server = await serve((req, res, held) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      if (req.url === "/v1.0/users") {
        res.write(head(held.base, "/v1.0/users?page=2"));
        // Broken once the next request has arrived (not after a fixed time, which a loaded machine may not meet).
        breakPage1 = () => res.end("this is where the items should be");
      } else {
        breakPage1?.();
        setTimeout(() => res.end('{"value":[]}'), 2_000).unref();
      }
    });
    open.push(server);
    const graph = new GraphClient(server.base, new BearerToken("t"), { timeoutMs: 5_000 });
    const { items, error } = await readAll(graph, "/v1.0/users");
    expect(items).toEqual([]);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error?.message).toMatch(/page that is not JSON/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.events).toEqual(["GET /v1.0/users", "GET /v1.0/users?page=2", "gone /v1.0/users?page=2"]);
  });

  it("stops asking when the caller stops reading", async () => {
    const server = await serve((req, res, held) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      if (req.url === "/v1.0/users") res.end(`${head(held.base, "/v1.0/users?page=2")}{"id":"a"}]}`);
      else setTimeout(() => res.end('{"value":[]}'), 2_000).unref();
    });
    open.push(server);
    const graph = new GraphClient(server.base, new BearerToken("t"), { timeoutMs: 5_000 });
    for await (const page of graph.pages("/v1.0/users")) {
      expect(page).toEqual([{ id: "a" }]);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Page 2 may have been cut before the server read it, or after: either way it is not left open.
    const count = (event: string) => server.events.filter((e) => e === event).length;
    expect(server.events[0]).toBe("GET /v1.0/users");
    expect(count("GET /v1.0/users?page=2")).toBe(count("gone /v1.0/users?page=2"));
  });
});
