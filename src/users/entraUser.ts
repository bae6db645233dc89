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
}

export const ENTRA_USER_SELECT = "id,displayName,userPrincipalName,mail,proxyAddresses,accountEnabled";
