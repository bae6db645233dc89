import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import type { HostileRequest } from "./hostileServer";
import { loopbackTls } from "../support/loopbackTls";

/**
 * The servers below use a self-signed certificate made for the test process (test/support/
 * loopbackTls.ts: a day, trusted nowhere) for localhost, 127.0.0.1 and the names nexxt.invalid,
 * login.invalid and graph.invalid, which never resolve: only the test proxy below knows where they are.
 */
export { loopbackTls } from "../support/loopbackTls";

export interface TlsServer {
  port: number;
  /** https://127.0.0.1:<port> */
  origin: string;
  requests: HostileRequest[];
  /** TLS handshakes the client completed (a client that refused the certificate completes none). */
  handshakes: number;
  close(): Promise<void>;
}

/** An https server on 127.0.0.1 with the test certificate; `handler` answers each request. */
export async function startTlsServer(handler: (req: HostileRequest, res: http.ServerResponse) => void): Promise<TlsServer> {
  const requests: HostileRequest[] = [];
  const { key, cert } = await loopbackTls();
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  const result: TlsServer = { port: 0, origin: "", requests, handshakes: 0, close: () => closeServer(server) };
  server.on("secureConnection", () => result.handshakes++);
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  result.port = (server.address() as AddressInfo).port;
  result.origin = `https://127.0.0.1:${result.port}`;
  return result;
}

export interface TestProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** "CONNECT host:port" for each tunnel, "GET http://host/path" for each forwarded request. */
  seen: string[];
  /** The headers of each CONNECT request. */
  connectHeaders: http.IncomingHttpHeaders[];
  /** Every byte that went through a tunnel, both ways (a tunnel carries TLS: no token in clear). */
  tunnelled: Buffer[];
  close(): Promise<void>;
}

/**
 * A real forward proxy on 127.0.0.1, as a partner's would be: CONNECT opens a tunnel, a request
 * in absolute form is forwarded. Every host name goes to the port `route` gives for it, on
 * 127.0.0.1 (the names are made up; the client never resolves them when it uses the proxy).
 */
export async function startProxy(route: (host: string) => number): Promise<TestProxy> {
  const seen: string[] = [];
  const connectHeaders: http.IncomingHttpHeaders[] = [];
  const tunnelled: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? "/");
    const upstream = http.request(
      { host: "127.0.0.1", port: route(target.hostname), method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    connectHeaders.push(req.headers);
    const [host] = (req.url ?? "").split(":");
    const upstream = net.connect(route(host), "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      client.on("data", (chunk: Buffer) => tunnelled.push(chunk));
      upstream.on("data", (chunk: Buffer) => tunnelled.push(chunk));
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    connectHeaders,
    tunnelled,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  };
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
