import type { AxiosInstance, AxiosResponse, AxiosStatic } from "axios";
import * as http from "node:http";
import * as https from "node:https";
import { HttpError, displayUrl, serverMessage } from "./httpError";
import {
  DEFAULT_RETRY_POLICY,
  RetryPolicy,
  backoffDelayMs,
  isRetryableNetworkCode,
  isRetryableStatus,
  parseRetryAfter,
} from "./retryPolicy";

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
  /** Shared by all requests of one client, so paging reuses one TLS connection. */
  axiosInstance?: AxiosInstance;
  /** Aborting ends the request in flight (or the wait before a retry) with an HttpError; nothing is retried after it. */
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | undefined>;
  data: T;
  attempts: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One axios instance with keep-alive agents; TLS verification stays on (the default). */
export function createHttpInstance(): AxiosInstance {
  // Required here, not imported: axios and its dependencies are ~40 modules that `--help`,
  // `validate` and `plan` never need (test/cli/startup.test.ts). A dynamic provider's serialized
  // copy of this function requires it the same way (Pulumi's closure serializer suggests it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const axios = require("axios") as AxiosStatic;
  return axios.create({
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    // We judge statuses ourselves, and we never want axios' own error (it embeds the request).
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
    maxRedirects: 0,
    proxy: false,
  });
}

/**
 * The per-process instance lives on globalThis, not in a module variable: Pulumi serializes a
 * dynamic provider together with the functions it calls and copies captured module variables by
 * value, and a live axios instance (agents, sockets) cannot be copied. A global is looked up by
 * name in the provider process, which then creates its own.
 */
const SHARED_INSTANCE_KEY = "__nexxtOffice365HttpInstance";

function sharedHttpInstance(): AxiosInstance {
  const holder = globalThis as { [SHARED_INSTANCE_KEY]?: AxiosInstance };
  return (holder[SHARED_INSTANCE_KEY] ??= createHttpInstance());
}

/**
 * Sends one request with bounded retries: network errors, 408, 429 and 5xx are retried with
 * backoff (honouring Retry-After); any other non-accepted status fails at once. Every failure
 * becomes an HttpError that holds no header and no request body.
 */
export async function sendWithRetry<T = unknown>(req: HttpRequest, options: HttpClientOptions): Promise<HttpResponse<T>> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const instance = options.axiosInstance ?? sharedHttpInstance();
  const where = `${req.method} ${displayUrl(req.url)}`;
  const maxAttempts = policy.retries + 1;

  const aborted = (attempt: number) =>
    new HttpError(`${where} was abandoned: the work it was part of ended`, req.method, displayUrl(req.url), undefined, undefined, "ERR_CANCELED", attempt);

  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw aborted(attempt - 1);
    let response: AxiosResponse | undefined;
    let networkCode: string | undefined;
    try {
      response = await instance.request({
        method: req.method,
        url: req.url,
        headers: req.headers,
        data: req.data,
        // axios trims a string body sent as JSON; a string is promised to go out byte for byte.
        ...(typeof req.data === "string" ? { transformRequest: [(data: unknown) => data] } : {}),
        ...(req.responseType === "text" ? { responseType: "text" as const } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        timeout: options.timeoutMs,
      });
    } catch (err) {
      networkCode = (err as { code?: string }).code ?? "ERR_NETWORK";
    }
    if (options.signal?.aborted) throw aborted(attempt);

    if (response) {
      const status = response.status;
      if ((status >= 200 && status < 300) || req.acceptStatus?.(status)) {
        return { status, headers: flattenHeaders(response.headers), data: response.data as T, attempts: attempt };
      }
      const body = req.responseType === "text" ? jsonOrText(response.data) : response.data;
      const message = serverMessage(body);
      if (!isRetryableStatus(status) || attempt >= maxAttempts) {
        const tried = attempt > 1 ? ` after ${attempt} attempts` : "";
        throw new HttpError(
          `${where} failed with HTTP ${status}${tried}${message ? `: ${message}` : ""}`,
          req.method,
          displayUrl(req.url),
          status,
          body,
          undefined,
          attempt,
        );
      }
      const retryAfter = parseRetryAfter(headerValue(response.headers, "retry-after"));
      const delayMs = backoffDelayMs(policy, attempt, retryAfter);
      options.onRetry?.({ attempt, delayMs, reason: `HTTP ${status}` });
      await waitBeforeRetry(options, delayMs);
      continue;
    }

    const explanation = networkCode === "ETIMEDOUT" ? `no answer within ${options.timeoutMs} ms` : `connection failed (${networkCode})`;
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
  const signal = options.signal;
  if (signal === undefined) return (options.sleep ?? realSleep)(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done);
    if (options.sleep !== undefined) void options.sleep(ms).then(done);
    else timer = setTimeout(done, ms);
  });
}

/** An error body read as text: parsed when it is JSON (as axios does by default), else the text itself. */
function jsonOrText(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function headerValue(headers: AxiosResponse["headers"], name: string): string | undefined {
  const value = (headers as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : String(value);
}

function flattenHeaders(headers: AxiosResponse["headers"]): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    flat[key.toLowerCase()] = value === undefined || value === null ? undefined : String(value);
  }
  return flat;
}
