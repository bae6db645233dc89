import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 (port 0) that misbehaves on purpose: every request goes to a
 * handler the test writes (echo the request back, hang, trickle, loop, answer gigabytes). It
 * records what it received and how many bytes it managed to send, so a test can prove that the
 * client stopped reading.
 */
export interface HostileRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type HostileHandler = (req: HostileRequest, res: http.ServerResponse, server: HostileServer) => void;

export interface HostileServer {
  /** http://127.0.0.1:<port><path> */
  url(path?: string): string;
  origin: string;
  requests: HostileRequest[];
  /** Body bytes written to clients so far (by the helpers below). */
  bytesSent: number;
  close(): Promise<void>;
}

export async function startHostile(handler: HostileHandler): Promise<HostileServer> {
  const requests: HostileRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      handler(recorded, res, hostile);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const hostile: HostileServer = {
    url: (path = "/") => `${origin}${path}`,
    origin,
    requests,
    bytesSent: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return hostile;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export function text(res: http.ServerResponse, status: number, body: string, type = "text/html"): void {
  res.writeHead(status, { "Content-Type": type });
  res.end(body);
}

/**
 * Answers `status` with a body that never ends (or ends after `totalBytes`): 1 MiB chunks of
 * `fill`, written as fast as the client reads, until the client goes away.
 */
export function endless(res: http.ServerResponse, server: HostileServer, status = 200, totalBytes = Number.POSITIVE_INFINITY, type = "application/json"): void {
  res.writeHead(status, { "Content-Type": type });
  const chunk = Buffer.alloc(1024 * 1024, "[");
  const pump = () => {
    while (server.bytesSent < totalBytes && !res.destroyed) {
      server.bytesSent += chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on("error", () => undefined);
  pump();
}

/** A fake access token: a JWT-shaped string with the given claims (never a real signature). */
export function fakeAccessToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ typ: "JWT", alg: "none" })}.${encode(claims)}.hostile-fake-signature-${Math.random().toString(36).slice(2)}`;
}
