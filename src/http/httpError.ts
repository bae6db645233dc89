import { redact } from "../util/redact";

/**
 * An HTTP failure reduced to what is safe to show: method, URL without query, status and the
 * server's own message. A client's own errors may carry the request (headers with bearer tokens,
 * form bodies with client secrets), so they never leave the http module.
 */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    /** Undefined when no response arrived (timeout, dropped connection). */
    readonly status: number | undefined,
    /** The response body, parsed when JSON; callers map known error codes from it. */
    readonly body: unknown,
    /** The network error code (ECONNRESET, ETIMEDOUT...) when no response arrived. */
    readonly code: string | undefined,
    /** How many attempts were made in all. */
    readonly attempts: number,
  ) {
    super(message);
    // Kept when Pulumi serializes this class into a dynamic provider (see UserError).
    this.message = message;
    this.name = "HttpError";
  }
}

/** Strips query and fragment (they may hold tokens) and any userinfo from a URL for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "<invalid URL>";
  }
}

/**
 * The server's message from a JSON or text body, short enough for one line. Redacted before it
 * is cut (src/util/redact.ts): a cut first could split an echoed secret and let its prefix out.
 * An HTML page is not a message: only its title is shown.
 */
export function serverMessage(body: unknown): string | undefined {
  const text = rawServerMessage(body);
  if (text === undefined) return undefined;
  return redact(text.replace(/\s+/g, " ").trim()).slice(0, 300) || undefined;
}

function rawServerMessage(body: unknown): string | undefined {
  if (body === undefined || body === null || body === "") return undefined;
  if (typeof body === "string") {
    if (/^\s*</.test(body)) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
      return title ? `an HTML page titled '${title}'` : "an HTML page";
    }
    return body.trim() || undefined;
  }
  if (typeof body === "object") {
    const record = body as Record<string, unknown>;
    // Graph: { error: { code, message } }; login: { error, error_description }; others: { message }.
    const graph = record.error as Record<string, unknown> | undefined;
    if (graph && typeof graph === "object" && typeof graph.message === "string") {
      return `${graph.code ?? "error"}: ${graph.message}`;
    }
    if (typeof record.error_description === "string") return record.error_description.split(/\r?\n/)[0];
    if (typeof record.message === "string") return record.message;
    if (typeof record.error === "string") return record.error;
  }
  return undefined;
}
