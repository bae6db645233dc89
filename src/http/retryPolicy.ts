/**
 * When to retry an HTTP call and how long to wait: pure, so the rules are tested without sockets.
 *
 * Microsoft Graph and the login endpoint answer 429 and 503 with a Retry-After header in seconds
 * (https://learn.microsoft.com/graph/throttling); RFC 9110 also allows an HTTP-date there.
 */
export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** First backoff; doubles each attempt, with full jitter. */
  baseDelayMs: number;
  /** No single wait is longer than this, even when the server asks for more. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Network failures that say nothing about the request itself: safe to send again. An array, not
 * a Set: Pulumi's closure serializer (dynamic providers carry this code to another process)
 * copies a Set as a plain object whose `has` then throws.
 */
const TRANSIENT_NETWORK_CODES: readonly string[] = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
];

/** What isRetryableStatus and the network codes retry, in words: the --retries help and the docs quote it. */
export const RETRIED_FAILURES = "408, 429, 5xx and dropped connections";

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_NETWORK_CODES.includes(code);
}

/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds, or undefined. */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date names its day and month; Date.parse would read "-3" as the year -3.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/**
 * The wait before attempt number `attempt` (1 for the first retry). A server's Retry-After wins
 * over our own backoff; both are capped by maxDelayMs.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half jitter: never zero, and concurrent clients spread out.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
