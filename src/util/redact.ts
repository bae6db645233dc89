/**
 * Replaces every occurrence of the given secrets in a text. Used on messages built from what a
 * server answered: a server that echoes the request (Authorization header, body) in its error
 * must not make us print the token or the client secret.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  const present = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of present) result = result.split(secret).join("[redacted]");
  return result;
}
