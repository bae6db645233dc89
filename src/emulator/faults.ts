import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * A misbehaviour to inject: an HTTP status (with Retry-After and a body of the real shape) or a
 * dropped connection (the socket is destroyed before any byte of a response).
 */
export type Fault = { status: number; retryAfterSeconds?: number; body?: unknown } | { drop: true };

export interface FaultRule {
  /** Matched against the path without query. */
  path: RegExp;
  method?: string;
  /** How many matching requests misbehave before the rule is spent. */
  times: number;
  /** Matching requests to let through first (e.g. 1: the fault hits the second page). */
  after?: number;
  fault: Fault;
}

/** Rules are consumed in order; returns true when the request was answered (or dropped) by a fault. */
export class FaultPlan {
  private readonly rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  apply(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    const rule = this.rules.find((r) => r.times > 0 && r.path.test(pathname) && (r.method === undefined || r.method === req.method));
    if (!rule) return false;
    if ((rule.after ?? 0) > 0) {
      rule.after!--;
      return false;
    }
    rule.times--;
    const fault = rule.fault;
    if ("drop" in fault) {
      req.socket.destroy();
      return true;
    }
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (fault.retryAfterSeconds !== undefined) headers["Retry-After"] = String(fault.retryAfterSeconds);
    res.writeHead(fault.status, headers);
    res.end(JSON.stringify(fault.body ?? { error: { code: fault.status === 429 ? "TooManyRequests" : "ServiceUnavailable", message: `Injected HTTP ${fault.status}.` } }));
    return true;
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Listens on 127.0.0.1 only: the stand-ins accept fake secrets and must never be reachable from
 * another machine. A port in use is refused in one sentence.
 */
export function listenOnLoopback(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`port ${port} on 127.0.0.1 is in use; choose another with --port, or --port 0 for any free port`) : err),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
}
