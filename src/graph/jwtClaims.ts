/**
 * The claims of our own access token that verify reads. Only the payload is decoded: the token
 * was just issued to us over TLS by the token endpoint, and Graph itself validates the signature,
 * so checking it here would prove nothing more.
 *
 * Claim names of v1.0 access tokens (`appid`, `tid`, `roles`, `scp`, `wids`, `oid`, `upn`):
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 */
export interface AccessTokenClaims {
  /** Application permissions granted by admin consent; absent from the token when none are. */
  roles: string[];
  /** The tenant that issued the token. */
  tid: string | undefined;
  /** The client (application) ID the token was issued to. */
  appid: string | undefined;
  /** The audience: the resource the token is for. */
  aud: string | undefined;
  /** Expiry, seconds since the epoch. */
  exp: number | undefined;
  /** Delegated scopes, space separated in the token; present only when a user signed in. */
  scp: string[];
  /** Directory role template IDs of the signed-in user or service principal (`wids`). */
  wids: string[];
  /** Object ID of the signed-in user or service principal. */
  oid: string | undefined;
  /** The user's sign-in name (`upn`, else `unique_name`), for a user token. */
  upn: string | undefined;
}

/** Thrown when the access token is not a JWT; the message never quotes the token. */
export class MalformedTokenError extends Error {
  constructor(reason: string) {
    super(`the access token is not a readable JWT (${reason})`);
    this.name = "MalformedTokenError";
  }
}

export function decodeAccessTokenClaims(token: string): AccessTokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === "") throw new MalformedTokenError(`${parts.length} dot-separated parts, expected 3`);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    throw new MalformedTokenError("its payload is not base64url-encoded JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new MalformedTokenError("its payload is not a JSON object");
  }
  const claims = payload as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
  const roles = list(claims.roles);
  return {
    roles,
    tid: text(claims.tid),
    appid: text(claims.appid),
    aud: text(claims.aud),
    exp: typeof claims.exp === "number" ? claims.exp : undefined,
    scp: typeof claims.scp === "string" ? claims.scp.split(" ").filter((scope) => scope !== "") : [],
    wids: list(claims.wids),
    oid: text(claims.oid),
    upn: text(claims.upn) ?? text(claims.unique_name),
  };
}
