import * as http from "node:http";
import * as https from "node:https";
import type { Readable } from "node:stream";
import * as zlib from "node:zlib";

/**
 * One HTTP exchange on Node's own client, for sendWithRetry, which owns every policy (deadlines,
 * byte caps, retries, redaction). This file only puts the request on the wire and hands back
 * the status, the headers and the body as a decompressed stream.
 *
 * Node's client is used and not axios: we had switched off nearly everything axios adds
 * (redirects, proxies from the environment, status validation, parsing, its timeouts, which read
 * 0 as none), and what was left cost ~1 ms per request and ~60 ms to load, which a 101-page
 * directory read at 20 ms a page pays in full (`npm run bench:startup`, map-users).
 */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Ends the exchange, request or body, with an error whose code is ABORT_ERR. */
  signal: AbortSignal;
}

export interface WireResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Decompressed as Content-Encoding says (gzip, deflate, br); read it or destroy it. */
  body: Readable;
}

/** What every request says, unless the caller says otherwise. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  Accept: "application/json, text/plain, */*",
  // Graph pages of 999 users are ~300 KB of JSON and ~10 % of that compressed.
  "Accept-Encoding": "gzip, deflate, br",
  "User-Agent": "nexxt-office365",
};

/**
 * The keep-alive agents live on globalThis, not in module variables: Pulumi serializes a dynamic
 * provider together with the functions it calls and copies captured module variables by value,
 * and a live agent (sockets) cannot be copied. A global is looked up by name in the provider
 * process, which then makes its own. TLS verification stays on (the agents' default).
 */
const AGENTS_KEY = "__nexxtOffice365HttpAgents";

function agentFor(protocol: string): http.Agent {
  const holder = globalThis as { [AGENTS_KEY]?: { http: http.Agent; https: https.Agent } };
  const agents = (holder[AGENTS_KEY] ??= { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) });
  return protocol === "https:" ? agents.https : agents.http;
}

export function exchange(req: WireRequest): Promise<WireResponse> {
  const url = new URL(req.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return Promise.reject(Object.assign(new Error(`unsupported protocol ${url.protocol}`), { code: "ERR_UNSUPPORTED_PROTOCOL" }));
  }
  const headers: Record<string, string> = { ...DEFAULT_HEADERS };
  // Header names are case-insensitive: the caller's spelling replaces ours, never doubles it.
  for (const [name, value] of Object.entries(req.headers)) {
    for (const ours of Object.keys(headers)) if (ours.toLowerCase() === name.toLowerCase()) delete headers[ours];
    headers[name] = value;
  }
  if (req.body !== undefined) headers["Content-Length"] = String(req.body.length);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    if (req.signal.aborted) return reject(abortError());
    // Host, port and path only: credentials in the URL (refused earlier by urlPolicy) are never
    // turned into a Basic Authorization header, as Node would do for a URL given whole.
    const request = client.request({
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: agentFor(url.protocol),
    });
    // Not Node's `signal` option: it destroys the request even after its answer was read in full
    // and the socket went back to the agent, where that error has no listener and ends the
    // process (seen when a page that was already in was abandoned). Here the abort is heard only
    // while there is something left to stop: `complete` is set as the last byte is parsed, before
    // the socket is handed back and before 'end' reaches any listener.
    let answer: http.IncomingMessage | undefined;
    const onAbort = () => {
      if (answer?.complete !== true) request.destroy(abortError());
    };
    req.signal.addEventListener("abort", onAbort);
    const stopListening = () => req.signal.removeEventListener("abort", onAbort);
    request.on("error", (err) => {
      stopListening();
      reject(err);
    });
    request.on("response", (response) => {
      answer = response;
      // The caller learns of a broken body from reading it (a stream's iterator throws its
      // error). Aborted before it starts reading, the body errors with no one listening, and
      // an 'error' nobody listens to would end the process.
      response.on("error", ignore);
      response.on("end", stopListening);
      response.on("close", stopListening);
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: decoded(response) });
    });
    request.end(req.body);
  });
}

function abortError(): Error {
  return Object.assign(new Error("The operation was aborted"), { name: "AbortError", code: "ABORT_ERR" });
}

const ignore = () => undefined;

/** The body as the server meant it; a decoder's error (a corrupt stream) is the body's error. */
function decoded(response: http.IncomingMessage): Readable {
  const encoding = String(response.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return response;
  decoder.on("error", ignore);
  response.on("error", (err) => decoder.destroy(err));
  decoder.on("close", () => response.destroy());
  return response.pipe(decoder);
}
