import axios, { AxiosInstance, AxiosResponse } from "axios";
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
  const sleep = options.sleep ?? realSleep;
  const instance = options.axiosInstance ?? sharedHttpInstance();
  const where = `${req.method} ${displayUrl(req.url)}`;
  const maxAttempts = policy.retries + 1;

  for (let attempt = 1; ; attempt++) {
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
        timeout: options.timeoutMs,
      });
    } catch (err) {
      networkCode = (err as { code?: string }).code ?? "ERR_NETWORK";
    }

    if (response) {
      const status = response.status;
      if ((status >= 200 && status < 300) || req.acceptStatus?.(status)) {
        return { status, headers: flattenHeaders(response.headers), data: response.data as T, attempts: attempt };
      }
      const message = serverMessage(response.data);
      if (!isRetryableStatus(status) || attempt >= maxAttempts) {
        const tried = attempt > 1 ? ` after ${attempt} attempts` : "";
        throw new HttpError(
          `${where} failed with HTTP ${status}${tried}${message ? `: ${message}` : ""}`,
          req.method,
          displayUrl(req.url),
          status,
          response.data,
          undefined,
          attempt,
        );
      }
      const retryAfter = parseRetryAfter(headerValue(response.headers, "retry-after"));
      const delayMs = backoffDelayMs(policy, attempt, retryAfter);
      options.onRetry?.({ attempt, delayMs, reason: `HTTP ${status}` });
      await sleep(delayMs);
      continue;
    }

    const explanation = networkCode === "ETIMEDOUT" ? `no answer within ${options.timeoutMs} ms` : `connection failed (${networkCode})`;
    if (!isRetryableNetworkCode(networkCode) || attempt >= maxAttempts) {
      const tried = attempt > 1 ? ` after ${attempt} attempts` : "";
      throw new HttpError(`${where} failed: ${explanation}${tried}`, req.method, displayUrl(req.url), undefined, undefined, networkCode, attempt);
    }
    const delayMs = backoffDelayMs(policy, attempt, undefined);
    options.onRetry?.({ attempt, delayMs, reason: networkCode ?? "network error" });
    await sleep(delayMs);
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
