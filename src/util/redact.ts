/**
 * The one redaction rule of the process. Every secret the process learns (a client secret read
 * from a connector file or the environment, a Nexxt API token, an access token Microsoft issued,
 * the bearer of any request the http layer sends) is registered here, in every encoding it can
 * come back in, and every text that leaves the process (stdout, stderr, --json, journals, written
 * files, error messages) goes through `redact`. Servers echo requests in their errors (an AADSTS
 * description quoting `client_secret`, an HTML page with the form, a 401 quoting the bearer), so
 * redaction cannot be left to the place that builds a message: it happens before any text is cut
 * to length, and once more at the output boundary (src/cli/io.ts).
 *
 * The registry lives on globalThis, not in a module variable: Pulumi serializes dynamic providers
 * with the functions they call and copies captured module state by value (see sendWithRetry.ts).
 */
const REGISTRY_KEY = "__nexxtOffice365Secrets";
export const REDACTED = "[redacted]";

/** Shorter values would garble ordinary text (and no real secret or token is this short). */
const MIN_SECRET_LENGTH = 6;

interface Registry {
  /** Every encoded form, longest first, so a form that contains another is replaced whole. */
  forms: string[];
}

function registry(): Registry {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  return (holder[REGISTRY_KEY] ??= { forms: [] });
}

/**
 * The forms a secret takes on the wire and in the answers that echo it: raw, URL-encoded (both
 * encodeURIComponent's and the form encoding URLSearchParams uses, with `+` for a space, in upper
 * and lower case hex), JSON-escaped, HTML-escaped, and base64 (standard and URL-safe).
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  for (const encoded of [percent, form, percent.replace(/%20/g, "+")]) {
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  }
  forms.add(JSON.stringify(secret).slice(1, -1));
  forms.add(JSON.stringify(secret).slice(1, -1).replace(/\//g, "\\/"));
  forms.add(secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"));
  forms.add(secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;"));
  const base64 = Buffer.from(secret, "utf8").toString("base64");
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ""));
  forms.add(Buffer.from(secret, "utf8").toString("base64url"));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Adds a secret (in all its forms) to the process-wide registry. Safe to call repeatedly. */
export function registerSecret(secret: string | undefined | null): void {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
  const reg = registry();
  const known = new Set(reg.forms);
  let added = false;
  for (const form of encodedForms(secret)) {
    if (known.has(form)) continue;
    reg.forms.push(form);
    added = true;
  }
  if (added) reg.forms.sort((a, b) => b.length - a.length);
}

/** Masks every registered secret in a text. */
export function redact(text: string): string {
  return replaceAll(text, registry().forms);
}

/**
 * Masks the registered secrets and the given ones (all their forms). The extra ones are
 * registered too: a secret worth masking once is worth masking everywhere.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  for (const secret of secrets) registerSecret(secret);
  return redact(text);
}

/** A parsed body (JSON value) with every string in it redacted; shape and non-strings kept. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[redact(key)] = redactDeep(item);
    return out as T;
  }
  return value;
}

/** Redacts first, then cuts: a cut made first could split a secret and let its prefix through. */
export function redactAndTruncate(text: string, maxChars: number): string {
  return redact(text).slice(0, maxChars);
}

/** For tests only: forget every registered secret. */
export function clearSecretRegistry(): void {
  registry().forms = [];
}

function replaceAll(text: string, forms: readonly string[]): string {
  let result = text;
  for (const form of forms) if (result.includes(form)) result = result.split(form).join(REDACTED);
  return result;
}
