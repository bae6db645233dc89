import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { BearerToken } from "../../src/graph/bearerToken";
import { GraphClient, GraphRequestError } from "../../src/graph/graphClient";

const TOKEN = "eyJ.secret-token.sig";

/** Serves two pages; the second page's nextLink points at whatever `elsewhere` says. */
async function pagedServer(elsewhere: () => string) {
  const seen: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    const page = req.url?.includes("page=2") ? { value: [3], "@odata.nextLink": elsewhere() } : { value: [1, 2], "@odata.nextLink": `${base}/v1.0/things?page=2` };
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("GraphClient", () => {
  it("refuses to follow a nextLink to another host, so the token goes to Graph only", async () => {
    const server = await pagedServer(() => "http://127.0.0.2:9/steal");
    const graph = new GraphClient(server.base, new BearerToken(TOKEN), { timeoutMs: 2000 });
    const items: number[] = [];
    let caught: unknown;
    try {
      for await (const page of graph.pages<number>("/v1.0/things")) items.push(...page);
    } catch (err) {
      caught = err;
    }
    await server.close();
    expect(items).toEqual([1, 2, 3]);
    expect(caught).toBeInstanceOf(GraphRequestError);
    expect((caught as Error).message).toMatch(/nextLink to another host \(http:\/\/127\.0\.0\.2:9\)/);
    expect(server.seen).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(graph.requests).toBe(2);
  });
});

describe("BearerToken", () => {
  it("never shows its value in JSON, strings or inspection", () => {
    const token = new BearerToken(TOKEN);
    const text = [JSON.stringify({ token }), String(token), `${token}`, require("node:util").inspect(token)].join(" ");
    expect(text).not.toContain("secret-token");
    expect(token.authorizationHeader()).toBe(`Bearer ${TOKEN}`);
  });
});
