import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { BearerToken } from "../../src/util/bearerToken";
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

/** Serves the given page bodies in turn, whatever is asked; records the paths asked for. */
async function pageServer(bodies: Array<(base: string) => string>) {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? "");
    const body = bodies[paths.length - 1]?.(base) ?? '{"value":[]}';
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, paths, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function readAll(graph: GraphClient): Promise<{ items: number[]; error: unknown }> {
  const items: number[] = [];
  try {
    for await (const page of graph.pages<number>("/v1.0/things")) items.push(...page);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

describe("GraphClient.pages: where the nextLink is", () => {
  it.each([
    ["before the items, as Graph writes it (read before parsing)", (link: string, items: string) => `{"@odata.context":"c","@odata.nextLink":"${link}","value":${items}}`],
    ["after the items (OData allows it; found by parsing)", (link: string, items: string) => `{"@odata.context":"c","value":${items},"@odata.nextLink":"${link}"}`],
  ])("follows a link %s to the last page, in order, one request a page", async (_where, page) => {
    const server = await pageServer([(base) => page(`${base}/p2`, "[1,2]"), (base) => page(`${base}/p3`, "[3]"), () => '{"value":[4,5]}']);
    const graph = new GraphClient(server.base, new BearerToken(TOKEN), { timeoutMs: 2000 });
    const { items, error } = await readAll(graph);
    await server.close();
    expect(error).toBeUndefined();
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(server.paths).toEqual(["/v1.0/things", "/p2", "/p3"]);
    expect(graph.requests).toBe(3);
  });

  it("refuses a page that names two different nextLinks instead of guessing which to follow", async () => {
    const server = await pageServer([(base) => `{"@odata.nextLink":"${base}/a","value":[1],"@odata.nextLink":"${base}/b"}`]);
    const { items, error } = await readAll(new GraphClient(server.base, new BearerToken(TOKEN), { timeoutMs: 2000 }));
    await server.close();
    expect(items).toEqual([]);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as Error).message).toMatch(/nextLink is given twice, differently/);
  });

  it("fails clearly on a page that is not JSON, instead of ending the listing early", async () => {
    const server = await pageServer([(base) => `{"@odata.nextLink":"${base}/p2","value":[1]}`, () => "<html>proxy error</html>"]);
    const { items, error } = await readAll(new GraphClient(server.base, new BearerToken(TOKEN), { timeoutMs: 2000 }));
    await server.close();
    expect(items).toEqual([1]);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as Error).message).toMatch(/Graph answered a page that is not JSON/);
  });
});

describe("BearerToken", () => {
  it("never shows its value in JSON, strings or inspection", () => {
    const token = new BearerToken(TOKEN);
    const text = [JSON.stringify({ token }), String(token), `${token}`, inspect(token)].join(" ");
    expect(text).not.toContain("secret-token");
    expect(token.authorizationHeader()).toBe(`Bearer ${TOKEN}`);
  });
});
