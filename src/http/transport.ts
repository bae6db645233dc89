import type { AxiosInstance, AxiosStatic } from "axios";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import * as http from "node:http";
import * as https from "node:https";
import type { Readable } from "node:stream";
import { isLoopbackHost } from "./urlPolicy";

/**
 * One HTTP exchange on axios, for sendWithRetry, which owns the policies axios has no word for
 * (one deadline per attempt, retries, redaction, the peek). This file puts the request on the
 * wire and hands back the status, the headers and the body as a decompressed, capped stream.
 *
 * What axios does for us, switched on here: decompression (gzip, deflate, br), the byte cap on
 * a streamed answer counted after decompression (maxContentLength, so a gzip bomb is cut), the
 * request body cap (maxBodyLength), no redirects (maxRedirects 0), aborting (signal), and the
 * proxy from the environment: HTTPS_PROXY/HTTP_PROXY/NO_PROXY and their lowercase forms (read
 * per request by proxy-from-env, NO_PROXY with suffixes, ports, CIDR and `*`), an https target
 * tunnelled with CONNECT, a plain http target forwarded. No proxy package of our own: axios
 * installs https-proxy-agent itself. The tunnel is why axios must be recent: before 1.16.1 an
 * https request could go to an http proxy in clear (axios#10858), and before 1.17 the target's
 * TLS inside the tunnel ignored our https agent's options (axios#10957; CHANGELOG.md in the
 * package), rejectUnauthorized among them.
 */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Past this many bytes of decompressed body, reading it fails with ERR_RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** Ends the exchange, request or body, with an error whose code is ERR_CANCELED. */
  signal: AbortSignal;
}

export interface WireResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Decompressed as Content-Encoding says, capped at maxResponseBytes; read it or destroy it. */
  body: Readable;
}

/** The code a body read past its cap fails with (axios says ERR_BAD_RESPONSE and the limit in words). */
export const TOO_LARGE = "ERR_RESPONSE_TOO_LARGE";

/** Outgoing bodies: a connector document or a PATCH is < 1 KB. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** What every request says, unless the caller says otherwise. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  Accept: "application/json, text/plain, */*",
  // Graph pages of 999 users are ~300 KB of JSON and ~10 % of that compressed.
  "Accept-Encoding": "gzip, deflate, br",
  "User-Agent": "nexxt-office365",
};

/**
 * The instance (and its keep-alive agents) lives on globalThis, not in a module variable: Pulumi
 * serializes a dynamic provider together with the functions it calls and copies captured module
 * variables by value, and live agents (sockets) cannot be copied. A global is looked up by name
 * in the provider process, which then makes its own.
 */
const INSTANCE_KEY = "__nexxtOffice365Axios";

function sharedInstance(): AxiosInstance {
  const holder = globalThis as { [INSTANCE_KEY]?: AxiosInstance };
  return (holder[INSTANCE_KEY] ??= createInstance());
}

function createInstance(): AxiosInstance {
  // Required here, not imported: axios and its dependencies are ~40 modules (~60 ms) that
  // `--help`, `validate` and `plan` never need (test/cli/startup.test.ts). A dynamic provider's
  // serialized copy requires it the same way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const axios = require("axios") as AxiosStatic;
  return axios.create({
    httpAgent: new http.Agent({ keepAlive: true }),
    // Certificates are verified whatever NODE_TLS_REJECT_UNAUTHORIZED says: Node reads that
    // variable only where the option is left out. The proxy tunnel's TLS to the target takes its
    // options from this agent too (axios' getTunnelingAgent), so it verifies as well.
    httpsAgent: new https.Agent({ keepAlive: true, rejectUnauthorized: true }),
    // Statuses are judged by sendWithRetry; axios' own error would embed the request.
    validateStatus: () => true,
    responseType: "stream",
    decompress: true,
    maxRedirects: 0,
    maxBodyLength: MAX_REQUEST_BYTES,
    // No timeout of axios' own: sendWithRetry's deadline covers headers and body together.
    timeout: 0,
    // A Buffer goes out as it is.
    transformRequest: [(data: unknown) => data],
  });
}

export async function exchange(req: WireRequest): Promise<WireResponse> {
  const url = new URL(req.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw Object.assign(new Error(`unsupported protocol ${url.protocol}`), { code: "ERR_UNSUPPORTED_PROTOCOL" });
  }
  // Credentials in the URL (refused earlier by urlPolicy) are never turned into a Basic
  // Authorization header, as axios does for user:password@.
  url.username = "";
  url.password = "";
  const headers: Record<string, string> = { ...DEFAULT_HEADERS };
  // Header names are case-insensitive: the caller's spelling replaces ours, never doubles it.
  for (const [name, value] of Object.entries(req.headers)) {
    for (const ours of Object.keys(headers)) if (ours.toLowerCase() === name.toLowerCase()) delete headers[ours];
    headers[name] = value;
  }
  const response = await sharedInstance().request<Readable>({
    method: req.method,
    url: url.href,
    headers,
    data: req.body,
    maxContentLength: req.maxResponseBytes,
    signal: req.signal,
    // Loopback never goes through a proxy, as Go's ProxyFromEnvironment decides for the pulumi
    // CLI: a proxy cannot reach this machine's stand-ins, and the tool sends plain http nowhere
    // else (urlPolicy). Anything else: undefined, so axios reads the environment.
    proxy: isLoopbackHost(url.hostname) ? false : undefined,
  });
  const body = response.data;
  // The caller learns of a broken body from reading it (a stream's iterator throws its error).
  // Aborted before it starts reading, the body errors with no one listening, and an 'error'
  // nobody listens to would end the process.
  body.on("error", ignore);
  // axios pipes Node's response through its own streams; destroying the last of them leaves
  // Node's response unread, and its keep-alive socket stays busy (and the process open) until the
  // server drops the connection: seconds, or never. A body closed before its end lets go of the
  // response: one already received in full is drained (the socket goes back to the pool), one
  // still arriving is cut off with its socket.
  const source = (response.request as { res?: IncomingMessage } | undefined)?.res;
  body.once("close", () => {
    if (source === undefined || source.readableEnded) return;
    if (source.complete) source.resume();
    else source.destroy();
  });
  return { status: response.status, headers: plainHeaders(response.headers), body };
}

const ignore = () => undefined;

/** axios' header object as Node's: names in lower case, a repeated header as an array. */
function plainHeaders(headers: unknown): IncomingHttpHeaders {
  const plain: IncomingHttpHeaders = {};
  const json = (headers as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? (headers as Record<string, unknown>);
  for (const [name, value] of Object.entries(json)) {
    if (value === undefined || value === null) continue;
    (plain as Record<string, string | string[]>)[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return plain;
}

/** True for the error a body read past its cap ends with (axios' maxContentLength). */
export function isTooLarge(err: unknown): boolean {
  return /maxContentLength size of \d+ exceeded/.test(String((err as { message?: unknown })?.message));
}
