import { ExitCode } from "../exitCodes";
import { UserError } from "../errors";
import { HttpError, displayUrl } from "../http/httpError";
import { DEFAULT_RETRY_POLICY } from "../http/retryPolicy";
import { HttpResponse, RetryInfo, sendWithRetry } from "../http/sendWithRetry";
import { requireSecureUrl } from "../http/urlPolicy";
import { ConnectorDocument, serializeConnectorDocument } from "./connectorDocument";
import { redactSecrets } from "../util/redact";

export const DEFAULT_PUSH_TIMEOUT_MS = 10_000;
export const DEFAULT_PUSH_RETRIES = 5;
const DEFAULT_URL_SETTING = "nexxt:apiUrl";
const DEFAULT_TOKEN_SETTING = "nexxt:apiToken";

export interface NexxtTarget {
  /** The full URL of this customer's connector configuration at Nexxt. */
  url: string;
  /** Sent as `Authorization: Bearer <apiToken>`. Never printed. */
  apiToken: string;
}

export interface PushOptions {
  /** Per request. Defaults to 10 000 ms. */
  timeoutMs?: number;
  /** Attempts after the first. Defaults to 5. */
  retries?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Names the URL's setting in errors. Defaults to "nexxt:apiUrl"; the CLI says "--api-url". */
  urlSetting?: string;
  /** Names the token's source in errors. Defaults to "nexxt:apiToken"; the CLI names its environment variable. */
  tokenSetting?: string;
  /** First backoff in ms; tests make it small. Defaults to the http layer's 500. */
  baseDelayMs?: number;
  /** Injected in tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PushResult {
  /** The URL without its query (it may hold a token). */
  url: string;
  status: number;
  attempts: number;
}

export interface DeleteResult extends PushResult {
  /** Nexxt answered 404 or 410: nothing was there to delete. */
  alreadyGone: boolean;
}

/** PUTs the document, byte for byte as the connector file holds it. Resolves only when Nexxt accepted it (2xx). */
export async function pushConnectorDocument(target: NexxtTarget, document: ConnectorDocument, options: PushOptions = {}): Promise<PushResult> {
  const url = checkedUrl(target, options);
  try {
    const response = await sendWithRetry(
      {
        method: "PUT",
        url,
        headers: { ...authorization(target, options), "Content-Type": "application/json" },
        data: serializeConnectorDocument(document),
        // Only the status counts: a huge (or endless) body after a 200 must not turn an accepted push into a failure.
        discardBody: true,
      },
      httpOptions(options),
    );
    return summary(url, response);
  } catch (err) {
    throw pushFailure(err, "did not accept the connector configuration", [target.apiToken, document.apiKey], options);
  }
}

/** DELETEs the document; a 404 or 410 counts as already gone, so a destroy can run twice. */
export async function deleteConnectorDocument(target: NexxtTarget, options: PushOptions = {}): Promise<DeleteResult> {
  const url = checkedUrl(target, options);
  try {
    const response = await sendWithRetry(
      { method: "DELETE", url, headers: authorization(target, options), acceptStatus: (status) => status === 404 || status === 410, discardBody: true },
      httpOptions(options),
    );
    return { ...summary(url, response), alreadyGone: response.status === 404 || response.status === 410 };
  } catch (err) {
    throw pushFailure(err, "did not delete the connector configuration", [target.apiToken], options);
  }
}

/** What to try next, by what went wrong; one clause appended to the failure. */
export function pushFailureHint(status: number | undefined, urlSetting: string, tokenSetting: string): string {
  if (status === 401 || status === 403) return `check the API token (${tokenSetting}) and that it may write this configuration`;
  if (status !== undefined && status >= 300 && status < 400) {
    return `give the final address in ${urlSetting}: redirects are not followed, so the token never goes elsewhere`;
  }
  if (status === 404 || status === 405) return `check the URL (${urlSetting}) against the Nexxt API`;
  if (status !== undefined && status >= 400 && status < 500) return "Nexxt refused the request as sent; see its message";
  return "check that Nexxt is reachable, then run again: nothing was recorded as done";
}

function checkedUrl(target: NexxtTarget, options: PushOptions): string {
  const url = requireSecureUrl(target.url, options.urlSetting ?? DEFAULT_URL_SETTING);
  return url.toString();
}

/** A bearer token is visible ASCII without spaces (RFC 6750 b64token is narrower still). */
function authorization(target: NexxtTarget, options: PushOptions): Record<string, string> {
  if (!/^[\x21-\x7e]+$/.test(target.apiToken)) {
    throw new UserError(
      `The Nexxt API token from ${options.tokenSetting ?? DEFAULT_TOKEN_SETTING} is empty or holds spaces or control characters; set it to the token Nexxt issued, on one line.`,
    );
  }
  return { Authorization: `Bearer ${target.apiToken}` };
}

function httpOptions(options: PushOptions) {
  return {
    timeoutMs: options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS,
    policy: {
      ...DEFAULT_RETRY_POLICY,
      retries: options.retries ?? DEFAULT_PUSH_RETRIES,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    },
    onRetry: options.onRetry,
    sleep: options.sleep,
  };
}

function summary(url: string, response: HttpResponse<unknown>): PushResult {
  return { url: displayUrl(url), status: response.status, attempts: response.attempts };
}

/**
 * Turns a failure into one sentence with the URL (no query) and the status, and no secret even
 * when the server echoed one back. Input errors (bad URL or token) pass through unchanged.
 */
function pushFailure(err: unknown, what: string, secrets: readonly string[], options: PushOptions): Error {
  if (err instanceof UserError) return err;
  const status = err instanceof HttpError ? err.status : undefined;
  const message = redactSecrets(messageOf(err), secrets);
  const hint = pushFailureHint(status, options.urlSetting ?? DEFAULT_URL_SETTING, options.tokenSetting ?? DEFAULT_TOKEN_SETTING);
  return new UserError(`Nexxt ${what}: ${message}; ${hint}.`, ExitCode.RemoteFailed);
}

/**
 * Not `instanceof Error`: in a dynamic provider's process our error classes are Pulumi's
 * serialized copies, whose prototypes no longer reach Error.prototype.
 */
function messageOf(err: unknown): string {
  const message = typeof err === "object" && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === "string" ? message : String(err);
}
