import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { MAX_REQUEST_BYTES, TOO_LARGE, exchange, isTooLarge } from "./transport";
import { HttpError, displayUrl, serverMessage } from "./httpError";
import { redactDeep, registerSecret } from "../util/redact";
import { DEFAULT_RETRY_POLICY, RetryPolicy, backoffDelayMs, isRetryableNetworkCode, isRetryableStatus, parseRetryAfter } from "./retryPolicy";

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as is (form bodies); anything else as JSON. */
  data?: unknown;
  /** Statuses (besides 2xx) the caller handles itself, e.g. 404 on a DELETE that already happened. */
  acceptStatus?: (status: number) => boolean;
  /**
   * "text": an accepted response's data is the body as a string, unparsed, for a caller that reads
   * part of it before (or instead of) parsing it. Error bodies are still parsed when they are JSON,
   * so HttpError carries the same body either way. Default: JSON is parsed.
   */
  responseType?: "text";
  /**
   * The most an accepted answer may be, in bytes (decompressed): a larger one fails this request
   * (not retried) instead of filling memory. Default RESPONSE_LIMITS.other; see RESPONSE_LIMITS.
   */
  maxResponseBytes?: number;
  /** The caller needs only the status of an accepted answer (a PUT, a DELETE): its body is not read at all. */
  discardBody?: boolean;
  /**
   * Shown the start of an accepted answer's body while the rest is still on its way, for a caller
   * that can act on the first bytes (a collection page's next link): called with the text so far
   * after each chunk, until it answers true or PEEK_LIMIT bytes have arrived. A retried attempt
   * shows its own body from the start again. The answer is still read, capped and judged in full
   * as without it: what the caller does with a peek it must be able to undo when the request
   * fails after all.
   */
  peek?: (textSoFar: string) => boolean;
}

/** The most of an answer's start shown to a peek: Graph's leading members (context, next link) are < 4 KB. */
const PEEK_LIMIT = 64 * 1024;

/**
 * How much of an answer is read, per kind. Generous for real answers (a Graph page of 999 users
 * is ~300 KB, a token answer ~2 KB); a server that answers more is not one we talk to.
 */
export const RESPONSE_LIMITS = {
  /** Token endpoint answers. */
  token: 64 * 1024,
  /** One Graph collection page. */
  graphPage: 16 * 1024 * 1024,
  /**
   * Anything else (a Nexxt user record, a Graph object). Not named `default`: Pulumi's closure
   * serializer takes an object with a `default` key for an `import *` result and fails on it.
   */
  other: 1024 * 1024,
  /** Of an error answer only the start is read: its message is all we use. */
  errorBody: 64 * 1024,
} as const;

/**
 * Timeouts cannot be switched off: a timeout of 0 (or 0.5, truncated to 0) reads as "none" to
 * many clients, and Node fires a setTimeout above 2^31-1 ms at once. Whatever a caller passes, a
 * request waits between 1 ms and 10 minutes; a value that is not a number gets the default.
 */
export const MAX_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 30_000;

export function boundedTimeoutMs(value: number): number {
  if (typeof value !== "number" || Number.isNaN(value)) return DEFAULT_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.max(1, Math.ceil(value)));
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  /** "HTTP 503", "HTTP 429", "ECONNRESET": never a header or a body. */
  reason: string;
}

export interface HttpClientOptions {
  /** Per attempt: a server that never answers fails this attempt after timeoutMs. */
  timeoutMs: number;
  policy?: RetryPolicy;
  onRetry?: (info: RetryInfo) => void;
  /** Injected in tests to skip real waiting; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Aborting ends the request in flight (or the wait before a retry) with an HttpError; nothing is retried after it. */
  signal?: AbortSignal;
  /**
   * Gentler than `signal` (Ctrl-C during map-users --apply): once aborted, no attempt starts and
   * the wait before a retry ends at once (an HttpError ERR_CANCELED), but the attempt in flight
   * finishes and its answer counts, so what was sent is known.
   */
  stopRetries?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | undefined>;
  data: T;
  attempts: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one request with bounded retries: network errors, 408, 429 and 5xx are retried with
 * backoff (honouring Retry-After); any other non-accepted status fails at once. Every failure
 * becomes an HttpError that holds no header and no request body.
 */
export async function sendWithRetry<T = unknown>(req: HttpRequest, options: HttpClientOptions): Promise<HttpResponse<T>> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const where = `${req.method} ${displayUrl(req.url)}`;
  const maxAttempts = policy.retries + 1;

  const aborted = (attempt: number) =>
    new HttpError(`${where} was abandoned: the work it was part of ended`, req.method, displayUrl(req.url), undefined, undefined, "ERR_CANCELED", attempt);

  // Every bearer that goes out is a secret the redactor must know, whoever built the request.
  const authorization = Object.entries(req.headers ?? {}).find(([name]) => name.toLowerCase() === "authorization")?.[1];
  if (authorization !== undefined) registerSecret(authorization.replace(/^(Bearer|Basic)\s+/i, ""));
  const timeoutMs = boundedTimeoutMs(options.timeoutMs);
  const limit = req.maxResponseBytes ?? RESPONSE_LIMITS.other;
  // A string goes out byte for byte (form bodies); anything else as JSON, and says so.
  const body = req.data === undefined ? undefined : Buffer.from(typeof req.data === "string" ? req.data : JSON.stringify(req.data), "utf8");
  const headers = { ...req.headers };
  if (body !== undefined && typeof req.data !== "string" && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  if (body !== undefined && body.length > MAX_REQUEST_BYTES) {
    throw new HttpError(
      `${where} was not sent: its body is ${body.length} bytes, more than the ${MAX_REQUEST_BYTES} any request of this tool needs`,
      req.method,
      displayUrl(req.url),
      undefined,
      undefined,
      "ERR_REQUEST_TOO_LARGE",
      0,
    );
  }

  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted || options.stopRetries?.aborted) throw aborted(attempt - 1);
    let answer: { status: number; headers: IncomingHttpHeaders; body: Buffer | undefined; tooLarge: boolean } | undefined;
    let networkCode: string | undefined;
    // One deadline for the whole attempt, headers and body: a server that trickles a byte at a
    // time never trips a socket idle timeout, but it trips this.
    const attemptStop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attemptStop.abort();
    }, timeoutMs);
    const onOuterAbort = () => attemptStop.abort();
    options.signal?.addEventListener("abort", onOuterAbort);
    try {
      // axios caps the body (after decompression) at the larger of the two limits; an error
      // answer is cut short here instead, as only its start is read.
      const maxResponseBytes = Math.max(limit, RESPONSE_LIMITS.errorBody);
      const response = await exchange({ method: req.method, url: req.url, headers, body, maxResponseBytes, signal: attemptStop.signal });
      const status = response.status;
      const accepted = (status >= 200 && status < 300) || req.acceptStatus?.(status) === true;
      if (accepted && req.discardBody) {
        response.body.destroy();
        answer = { status, headers: response.headers, body: undefined, tooLarge: false };
      } else {
        const read = await readLimited(response.body, accepted ? Number.POSITIVE_INFINITY : RESPONSE_LIMITS.errorBody, accepted ? req.peek : undefined);
        answer = { status, headers: response.headers, body: read.bytes, tooLarge: accepted && read.truncated };
      }
    } catch (err) {
      networkCode = timedOut ? "ETIMEDOUT" : ((err as { code?: string }).code ?? "ERR_NETWORK");
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onOuterAbort);
    }
    if (options.signal?.aborted) throw aborted(attempt);

    if (answer?.tooLarge) {
      throw new HttpError(
        `${where} answered more than ${limit} bytes, far more than such an answer can be; refusing to read it (is the URL right?)`,
        req.method,
        displayUrl(req.url),
        answer.status,
        undefined,
        TOO_LARGE,
        attempt,
      );
    }

    if (answer) {
      const status = answer.status;
      if ((status >= 200 && status < 300) || req.acceptStatus?.(status)) {
        const text = answer.body === undefined ? undefined : answer.body.toString("utf8");
        const data = text === undefined ? undefined : req.responseType === "text" ? text : jsonOrText(text);
        return { status, headers: flattenHeaders(answer.headers), data: data as T, attempts: attempt };
      }
      // Redacted before anything reads it: servers echo the request (bearer, form with the client secret).
      const body = redactDeep(jsonOrText(answer.body?.toString("utf8") ?? ""));
      const message = serverMessage(body);
      if (!isRetryableStatus(status) || attempt >= maxAttempts) {
        const tried = attempt > 1 ? ` after ${attempt} attempts` : "";
        throw new HttpError(`${where} failed with HTTP ${status}${tried}${message ? `: ${message}` : ""}`, req.method, displayUrl(req.url), status, body, undefined, attempt);
      }
      const retryAfter = parseRetryAfter(headerValue(answer.headers, "retry-after"));
      const delayMs = backoffDelayMs(policy, attempt, retryAfter);
      options.onRetry?.({ attempt, delayMs, reason: `HTTP ${status}` });
      await waitBeforeRetry(options, delayMs);
      continue;
    }

    const explanation =
      networkCode === "ETIMEDOUT"
        ? `no answer within ${timeoutMs} ms`
        : isCertificateError(networkCode)
          ? `the server's certificate was not accepted (${networkCode}), so nothing was sent. This tool always verifies certificates, whatever NODE_TLS_REJECT_UNAUTHORIZED says; behind a proxy that inspects TLS, give its CA certificate file in NODE_EXTRA_CA_CERTS`
          : `connection failed (${networkCode})`;
    if (!isRetryableNetworkCode(networkCode) || attempt >= maxAttempts) {
      const tried = attempt > 1 ? ` after ${attempt} attempts` : "";
      throw new HttpError(`${where} failed: ${explanation}${tried}`, req.method, displayUrl(req.url), undefined, undefined, networkCode, attempt);
    }
    const delayMs = backoffDelayMs(policy, attempt, undefined);
    options.onRetry?.({ attempt, delayMs, reason: networkCode ?? "network error" });
    await waitBeforeRetry(options, delayMs);
  }
}

/**
 * The wait before a retry, cut short by the signal (the loop then reports the abort). The real
 * timer is cleared on abort, so an abandoned Retry-After wait does not keep the process alive.
 */
function waitBeforeRetry(options: HttpClientOptions, ms: number): Promise<void> {
  const signals = [options.signal, options.stopRetries].filter((signal): signal is AbortSignal => signal !== undefined);
  if (signals.length === 0) return (options.sleep ?? realSleep)(ms);
  if (signals.some((signal) => signal.aborted)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const signal of signals) signal.removeEventListener("abort", done);
      resolve();
    };
    for (const signal of signals) signal.addEventListener("abort", done);
    if (options.sleep !== undefined) void options.sleep(ms).then(done);
    else timer = setTimeout(done, ms);
  });
}

/**
 * OpenSSL's verdicts on a certificate chain (Node passes them on as the error's code) and Node's
 * own for a name that does not match: never retried, as the answer would be the same.
 */
function isCertificateError(code: string | undefined): boolean {
  return code !== undefined && (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code) || code === "ERR_TLS_CERT_ALTNAME_INVALID");
}

/** A body read as text: parsed when it is JSON, else the text itself. */
function jsonOrText(data: string): unknown {
  if (data.trim() === "") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * Reads a body. An accepted one is capped by axios (maxContentLength, counted after
 * decompression): past it the read says truncated. An error answer is read only up to `limit`
 * bytes, then the socket is destroyed. Errors of the stream (a dropped connection, the deadline)
 * reject with their code only.
 */
async function readLimited(stream: Readable, limit: number, peek?: (textSoFar: string) => boolean): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let peeking = peek !== undefined;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      if (length + buffer.length > limit) {
        chunks.push(buffer.subarray(0, limit - length));
        length = limit;
        stream.destroy();
        return { bytes: Buffer.concat(chunks, length), truncated: true };
      }
      chunks.push(buffer);
      length += buffer.length;
      if (peeking) {
        // A character cut at the chunk's end decodes as U+FFFD at the very end of the text: a
        // peek that needs complete tokens (a closed string) simply waits for the next chunk.
        const text = Buffer.concat(chunks, length).subarray(0, Math.min(length, PEEK_LIMIT)).toString("utf8");
        let satisfied: boolean;
        try {
          satisfied = peek!(text);
        } catch {
          // A peek only lets the caller start early; one that fails has nothing more to see, and
          // it must not pass for a network error (that would be retried).
          satisfied = true;
        }
        peeking = !satisfied && length < PEEK_LIMIT;
      }
    }
  } catch (err) {
    if (isTooLarge(err)) return { bytes: Buffer.concat(chunks, length), truncated: true };
    throw { code: (err as { code?: string }).code ?? "ERR_NETWORK" };
  }
  return { bytes: Buffer.concat(chunks, length), truncated: false };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}

/** Node gives names in lower case; a repeated header (Set-Cookie) is joined with ", ". */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) flat[key] = value === undefined ? undefined : Array.isArray(value) ? value.join(", ") : value;
  return flat;
}
