/**
 * The Entra user fields map-users reads: only what matching needs, requested with $select
 * (https://learn.microsoft.com/graph/api/user-list).
 */
export interface EntraUser {
  /** The object ID: the value of Nexxt's "Extern toepassing ID". */
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  /** "SMTP:primary@x", "smtp:alias@x", "sip:...", "x500:..." */
  proxyAddresses?: string[] | null;
  accountEnabled?: boolean | null;
  /**
   * "Member" or "Guest" (https://learn.microsoft.com/graph/api/resources/user, userType): a guest
   * is someone of another organisation invited in, never linked by default.
   */
  userType?: string | null;
}

export const ENTRA_USER_SELECT = "id,displayName,userPrincipalName,mail,proxyAddresses,accountEnabled,userType";

/**
 * The first field of a Graph user that does not have the type Graph documents, or undefined.
 * A proxy or stand-in answering `"mail": 42` or `"proxyAddresses": "smtp:x"` must not crash the
 * matcher, nor be half-read (a string iterated as a list of characters).
 */
export function malformedField(user: EntraUser): { field: string; expected: string } | undefined {
  const text = (value: unknown) => value === undefined || value === null || typeof value === "string";
  if (!text(user.mail)) return { field: "mail", expected: "text" };
  if (!text(user.userPrincipalName)) return { field: "userPrincipalName", expected: "text" };
  if (!text(user.userType)) return { field: "userType", expected: "text" };
  const proxies: unknown = user.proxyAddresses;
  if (proxies !== undefined && proxies !== null && !(Array.isArray(proxies) && proxies.every((entry) => typeof entry === "string"))) {
    return { field: "proxyAddresses", expected: "a list of text" };
  }
  const enabled: unknown = user.accountEnabled;
  if (enabled !== undefined && enabled !== null && typeof enabled !== "boolean") return { field: "accountEnabled", expected: "true or false" };
  return undefined;
}
