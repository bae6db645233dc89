import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake Nexxt does with one request. */
export type Reply =
  | { status: number; body?: string | object; headers?: Record<string, string> }
  /** Accept the request and never answer (a hung server). */
  | { hang: true }
  /** Read the request, then destroy the socket without a response (a dropped connection). */
  | { drop: true };

export interface RecordedRequest {
  method: string;
  /** Path and query, as the server saw them. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeNexxt {
  /** http://127.0.0.1:<port><path> */
  url(path?: string): string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) that plays Nexxt: it answers requests in turn with the
 * given replies, then with `otherwise`, and records every request it received.
 */
export async function startFakeNexxt(replies: Reply[], otherwise: Reply = { status: 200, body: { ok: true } }): Promise<FakeNexxt> {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const reply = queue.shift() ?? otherwise;
      if ("hang" in reply) return;
      if ("drop" in reply) {
        req.socket.destroy();
        return;
      }
      const body = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      const type = typeof reply.body === "object" ? { "Content-Type": "application/json" } : { "Content-Type": "text/plain" };
      res.writeHead(reply.status, { ...type, ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = "/api/office365/connector") => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A sleep that waits for nothing and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
