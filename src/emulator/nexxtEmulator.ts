import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlan, FaultRule, delay, listenOnLoopback, readBody, sendJson } from "./faults";

/** Where push-config (and nexxt:apiUrl) sends the connector configuration, on this stand-in. */
export const CONNECTOR_PATH = "/api/office365/connector";

/**
 * A tiny fake of the Nexxt users API for `map-users --apply`: GET and PATCH /users/{id} with a
 * bearer token. Records every PATCH and the peak number of requests in flight, so tests can check
 * idempotency and bounded concurrency.
 */
export interface NexxtEmulatorOptions {
  apiToken: string;
  /** Nexxt user ID -> current record. */
  users: Record<string, Record<string, unknown>>;
  /** false: GET answers 405, as an API that only accepts PATCH. */
  getSupported?: boolean;
  latencyMs?: number;
  /** Port to listen on (127.0.0.1 only); 0 or undefined: any free port. */
  port?: number;
}

export interface NexxtEmulator {
  url: string;
  /** Where the socket listens: always 127.0.0.1. */
  address(): AddressInfo;
  users: Map<string, Record<string, unknown>>;
  patches: Array<{ id: string; body: unknown }>;
  gets: number;
  peakInFlight: number;
  authorizationHeaders: Set<string>;
  /** The connector configuration last PUT to /api/office365/connector (push-config), or undefined. */
  connectorDocument: unknown;
  inject(rule: FaultRule): void;
  close(): Promise<void>;
}

export async function startNexxtEmulator(options: NexxtEmulatorOptions): Promise<NexxtEmulator> {
  const faults = new FaultPlan();
  let inFlight = 0;
  const state: NexxtEmulator = {
    url: "",
    address: () => server.address() as AddressInfo,
    users: new Map(Object.entries(options.users).map(([id, record]) => [id, { id, ...record }])),
    patches: [],
    gets: 0,
    peakInFlight: 0,
    authorizationHeaders: new Set(),
    connectorDocument: undefined,
    inject: (rule) => faults.add(rule),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    inFlight++;
    state.peakInFlight = Math.max(state.peakInFlight, inFlight);
    res.on("close", () => inFlight--);
    handle(req, res).catch((err: Error) => sendJson(res, 500, { message: err.message }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", state.url);
    const body = req.method === "PATCH" || req.method === "PUT" ? await readBody(req) : "";
    if (options.latencyMs) await delay(options.latencyMs);
    if (faults.apply(req, res, url.pathname)) return;
    state.authorizationHeaders.add(req.headers.authorization ?? "");
    if (req.headers.authorization !== `Bearer ${options.apiToken}`) return sendJson(res, 401, { message: "Invalid API token." });
    if (url.pathname === CONNECTOR_PATH) {
      if (req.method === "PUT") {
        state.connectorDocument = JSON.parse(body) as unknown;
        return sendJson(res, 200, { message: "Connector configuration saved." });
      }
      if (req.method === "DELETE") {
        state.connectorDocument = undefined;
        return sendJson(res, 200, { message: "Connector configuration removed." });
      }
      return sendJson(res, 405, { message: "Method not allowed." });
    }
    const match = /^\/users\/([^/]+)$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { message: "Not found." });
    const id = decodeURIComponent(match[1]);
    const user = state.users.get(id);
    if (req.method === "GET") {
      state.gets++;
      if (options.getSupported === false) return sendJson(res, 405, { message: "Method not allowed." });
      return user ? sendJson(res, 200, user) : sendJson(res, 404, { message: `User ${id} not found.` });
    }
    if (req.method === "PATCH") {
      if (!user) return sendJson(res, 404, { message: `User ${id} not found.` });
      const parsed = JSON.parse(body) as Record<string, unknown>;
      state.patches.push({ id, body: parsed });
      Object.assign(user, parsed);
      return sendJson(res, 200, user);
    }
    sendJson(res, 405, { message: "Method not allowed." });
  }

  await listenOnLoopback(server, options.port ?? 0);
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
