import { UserError } from "../errors";
import { HARMLESS, quoteRejected } from "../util/redact";

// An array, not a Set: Pulumi's closure serializer copies a Set as a plain object whose `has`
// throws in the dynamic provider's process.
const LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "[::1]", "::1"];

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Accepts an https URL, or plain http only to a loopback address (the test servers): a bearer
 * token or client secret must never cross a network in clear text.
 */
export function requireSecureUrl(value: string, what: string, example = "https://pbx.example.nl/api/office365"): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${what} ${quoteRejected(value, HARMLESS.path)} is not a URL; give an absolute https URL such as ${example}.`);
  }
  refuseCredentials(url, what, example);
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new UserError(`${what} ${quoteRejected(shownUrl(url), HARMLESS.url)} must use https (plain http is accepted only for a loopback test server); use for example ${example}.`);
}

/**
 * Query parameter names that carry credentials. A token in a URL ends up in proxy logs, browser
 * history and our own output; the bearer token has its own setting.
 */
const CREDENTIAL_PARAMETER = /^(access[_-]?token|api[_-]?key|apikey|auth|authorization|client[_-]?secret|code|key|password|passwd|pwd|secret|sig|signature|token)$/i;

/**
 * A URL with user:password@ (an HTTP client given the URL whole sends it as Basic auth instead
 * of, or beside, the bearer token) or with a credential in its query is refused; the message
 * shows neither. The transport never sends a URL's credentials either (transport.ts).
 */
export function refuseCredentials(url: URL, what: string, example: string): void {
  if (url.username !== "" || url.password !== "") {
    throw new UserError(
      `${what} for ${url.host} holds a user name or password (user:password@); remove it: the token goes in its own setting and is sent as a bearer token, e.g. ${example}.`,
    );
  }
  const named = [...url.searchParams.keys()].filter((name) => CREDENTIAL_PARAMETER.test(name));
  if (named.length > 0) {
    throw new UserError(
      `${what} for ${url.host} carries a credential in its query (${named.join(", ")}); remove it: the token goes in its own setting and is sent as a bearer token, e.g. ${example}.`,
    );
  }
}

/**
 * A text that may be a URL, fit for a message: user:password@ becomes ***@ and every query
 * value becomes ***. Text that is not a URL is returned as is.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, "$1***@").replace(/([?&][^=&#\s]*=)[^&#\s]*/g, "$1***");
}

/**
 * The URL as the user wrote it, for an error, without what may be secret: no user:password@ and
 * no query or fragment (tokens travel there). The path stays, so the user recognises the value,
 * and quoteRejected still hides a path with a token-like piece in it.
 */
export function shownUrl(url: URL): string {
  let pathname = url.pathname;
  try {
    pathname = decodeURI(pathname);
  } catch {
    // Keep the encoded form of a path that is not valid percent-encoding.
  }
  return `${url.protocol}//${url.host}${pathname}`;
}
