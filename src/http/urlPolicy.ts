import { UserError } from "../errors";

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
    throw new UserError(`${what} '${value}' is not a URL; give an absolute https URL such as ${example}.`);
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new UserError(
    `${what} '${shownUrl(url)}' must use https (plain http is accepted only for a loopback test server); use for example ${example}.`,
  );
}

/**
 * The URL as the user wrote it, for an error, without what may be secret: no user:password@ and
 * no query or fragment (tokens travel there). The path stays, so the user recognises the value.
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
