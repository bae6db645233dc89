import type { AccessTokenClaims } from "../graph/jwtClaims";

/**
 * Microsoft Entra built-in roles, by template ID (the token's `wids` claim), as Microsoft lists
 * them: https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference.
 */
export const DIRECTORY_ROLES = {
  globalAdministrator: { id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
  privilegedRoleAdministrator: { id: "e8611ab8-c189-46e8-94e1-60213ab1f814", name: "Privileged Role Administrator" },
  applicationAdministrator: { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", name: "Application Administrator" },
  cloudApplicationAdministrator: { id: "158c047a-c907-4556-b7ef-446551a6b5f7", name: "Cloud Application Administrator" },
  applicationDeveloper: { id: "cf1c38e5-3621-4004-a7cb-879624dced7c", name: "Application Developer" },
} as const;

/**
 * What `pulumi up` needs of its sign-in, in one verdict: creating the registration, its service
 * principal and secret ("create"), and granting Microsoft Graph application permissions ("grant").
 *
 * As an application (service principal with admin-consented Graph permissions):
 *  - create: Application.ReadWrite.OwnedBy or Application.ReadWrite.All (azuread provider docs,
 *    hashicorp/terraform-provider-azuread docs/resources/application.md, application_password.md,
 *    service_principal.md, "API Permissions").
 *  - grant: AppRoleAssignment.ReadWrite.All together with Application.Read.All or
 *    Directory.Read.All (https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto,
 *    least and higher privileged); Application.ReadWrite.All includes the read.
 * As a user (the Azure CLI login), through directory roles: "Cloud Application Administrator or
 * Application Administrator, for granting consent for apps requesting any permission for any API,
 * except Microsoft Graph app roles (application permissions)"; Privileged Role Administrator (and
 * Global Administrator) for Graph app roles
 * (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent, Prerequisites).
 */
export interface SignInPrivilege {
  /** An app-only token (no `scp`), as from a service principal or OIDC. */
  appOnly: boolean;
  /**
   * "tenant-setting": no role that creates registrations, which a member user may still do
   * while the tenant's "Users can register applications" is on (its default).
   */
  mayCreate: boolean | "tenant-setting";
  mayGrant: boolean;
  /** What the token shows: permission names for an app, role names for a user. */
  held: string[];
}

const CREATE_ROLES = ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"];
const READ_FOR_GRANT = ["Application.Read.All", "Directory.Read.All", "Application.ReadWrite.All", "Directory.ReadWrite.All"];

/** `moreRoleIds`: a user's directory roles as Graph lists them, beside the token's `wids`. */
export function signInPrivilege(claims: AccessTokenClaims, moreRoleIds: readonly string[] = []): SignInPrivilege {
  // v1 tokens mark a user by `scp`; app-only tokens carry `roles` and no `scp`
  // (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
  const appOnly = claims.scp.length === 0;
  // Directory roles: a user's, or those assigned to a service principal (both in `wids`).
  const wids = new Set([...claims.wids, ...moreRoleIds].map((id) => id.toLowerCase()));
  const has = (role: { id: string }) => wids.has(role.id);
  const r = DIRECTORY_ROLES;
  const roleGrants = has(r.globalAdministrator) || has(r.privilegedRoleAdministrator);
  const roleCreates = has(r.globalAdministrator) || has(r.applicationAdministrator) || has(r.cloudApplicationAdministrator) || has(r.applicationDeveloper);
  const roleNames = Object.values(DIRECTORY_ROLES)
    .filter(has)
    .map((role) => role.name);
  if (appOnly) {
    const roles = new Set(claims.roles);
    const mayCreate = roleCreates || CREATE_ROLES.some((role) => roles.has(role));
    const mayGrant = roleGrants || (roles.has("AppRoleAssignment.ReadWrite.All") && READ_FOR_GRANT.some((role) => roles.has(role)));
    const permissions = [...CREATE_ROLES, "AppRoleAssignment.ReadWrite.All", ...READ_FOR_GRANT].filter((role, index, all) => roles.has(role) && all.indexOf(role) === index);
    return { appOnly, mayCreate, mayGrant, held: [...permissions, ...roleNames] };
  }
  // A member user without a creating role may still register apps while the tenant allows it.
  return { appOnly, mayCreate: roleCreates ? true : "tenant-setting", mayGrant: roleGrants, held: roleNames };
}
