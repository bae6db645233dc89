import { maskUrlCredentials } from "../http/urlPolicy";
import { quoteRejected } from "../util/redact";

/**
 * Stack configuration arrives in two forms: strings from the Pulumi engine (structured values
 * as JSON text) and native YAML values when a stack file is read directly (plan, validate).
 * These helpers accept both, so every reader validates with the same rules.
 */

/** A `secure:` value in a stack file: ciphertext only, never readable here. */
export function isSecureValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A list: a YAML sequence, a JSON array text, or comma-separated text. */
export function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return text === "" ? [] : text.split(",").map((part) => part.trim());
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return undefined;
}

export function asInteger(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/**
 * How a refused value is shown in an error, quotes included: never the content of a secret. A
 * value set with --secret is `<secret>`; any other is quoted only when it cannot be a secret
 * pasted under the wrong key (quoteRejected: short, or plain text without a random-looking run),
 * else described by its length.
 */
export function show(value: unknown): string {
  if (isSecureValue(value)) return "<secret>";
  const text = typeof value === "string" ? maskUrlCredentials(value) : JSON.stringify(value);
  return quoteRejected(text, PLAIN_TEXT);
}

/** What a stack value that is not a secret looks like: words, numbers, dates, addresses, names. */
const PLAIN_TEXT = /^[\p{L}\p{N} .,:/_()'"#*[\]{}-]{1,80}$/u;
