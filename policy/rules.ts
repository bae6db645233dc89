import { MICROSOFT_GRAPH_APP_ID } from "../src/catalogue/clouds";
import { GRAPH_PERMISSIONS, GraphPermission, isHighPrivilege } from "../src/catalogue/graphPermissions";
import { SECRET_LIFETIME_DAYS } from "../src/config/secretLimits";
import { DAY_MS } from "../src/util/time";

/**
 * The guardrails as pure functions of resource inputs: each returns the violations it finds, as
 * sentences. The program enforces the same rules from the stack config; these check what actually
 * reaches the engine, so a change to the program (or a hand-written resource) cannot slip past.
 */

/** The guide: supported account types "Accounts in any organizational directory (Multitenant)". */
export const MULTITENANT_AUDIENCE = "AzureADMultipleOrgs";

export function signInAudienceViolations(signInAudience: unknown): string[] {
  if (signInAudience === MULTITENANT_AUDIENCE) return [];
  return [
    `signInAudience is ${JSON.stringify(signInAudience ?? null)}, but the Nexxt app registration must be multitenant (${MULTITENANT_AUDIENCE}, "Accounts in any organizational directory"); ` +
      "for a registration taken over with nexxt:existingApplicationId, change its supported account types in Entra first.",
  ];
}

/** `Application.requiredResourceAccesses`: [{ resourceAppId, resourceAccesses: [{ id, type }] }]. */
export function requiredResourceAccessViolations(accesses: unknown, allowHighPrivilege: boolean): string[] {
  if (accesses === undefined || accesses === null) return [];
  if (!Array.isArray(accesses)) return [`requiredResourceAccesses is not a list: ${JSON.stringify(accesses)}.`];
  return accesses.flatMap((access: { resourceAppId?: unknown; resourceAccesses?: unknown }) => {
    const resource = resourceViolations(access?.resourceAppId);
    if (resource.length > 0) return resource;
    const entries = Array.isArray(access.resourceAccesses) ? (access.resourceAccesses as { id?: unknown; type?: unknown }[]) : [];
    return entries.flatMap((entry) =>
      entry?.type === "Role"
        ? appRoleViolations(entry.id, allowHighPrivilege)
        : [
            `requests Microsoft Graph ${JSON.stringify(entry?.type)} ${JSON.stringify(entry?.id)}; the Nexxt sync runs without a signed-in user and uses application permissions (type Role) only.`,
          ],
    );
  });
}

/** `ApplicationApiAccess` (permissions of a registration taken over): apiClientId, roleIds, scopeIds. */
export function apiAccessViolations(apiClientId: unknown, roleIds: unknown, scopeIds: unknown, allowHighPrivilege: boolean): string[] {
  const resource = resourceViolations(apiClientId);
  if (resource.length > 0) return resource;
  const scopes = Array.isArray(scopeIds) ? scopeIds : [];
  const scopeProblems =
    scopes.length > 0 ? [`requests delegated Microsoft Graph scopes ${JSON.stringify(scopes)}; the Nexxt sync uses application permissions (roleIds) only.`] : [];
  const roles = Array.isArray(roleIds) ? roleIds : [];
  return [...scopeProblems, ...roles.flatMap((id) => appRoleViolations(id, allowHighPrivilege))];
}

/** An app role granted (AppRoleAssignment.appRoleId) or requested: a Graph permission in the catalogue, within the privilege rule. */
export function appRoleViolations(appRoleId: unknown, allowHighPrivilege: boolean): string[] {
  const permission = permissionById(appRoleId);
  if (!permission) {
    return [
      `app role ${JSON.stringify(appRoleId)} is not a Microsoft Graph application permission in the nexxt-office365 catalogue (src/catalogue/graphPermissions.ts); only catalogued Graph permissions may be requested or granted.`,
    ];
  }
  if (isHighPrivilege(permission) && !allowHighPrivilege) {
    return [
      `${permission.name} (${permission.description}) is a high-privilege permission; it is allowed only for a stack whose policy config sets allowHighPrivilege (policy/config/<stack>.json), next to nexxt:allowHighPrivilege in the stack.`,
    ];
  }
  return [];
}

/** `ApplicationPassword.endDate`: set, a date, and no later than the program's longest lifetime from now. */
export function secretEndDateViolations(endDate: unknown, now: Date, maxLifetimeDays: number = SECRET_LIFETIME_DAYS.max): string[] {
  if (endDate === undefined || endDate === null || endDate === "") {
    return ["the client secret has no endDate; set one explicitly (the program always does), so its lifetime is a reviewed choice and not the provider's default."];
  }
  const end = typeof endDate === "string" ? Date.parse(endDate) : Number.NaN;
  if (Number.isNaN(end)) return [`the client secret's endDate ${JSON.stringify(endDate)} is not an RFC 3339 date.`];
  const latest = now.getTime() + maxLifetimeDays * DAY_MS;
  if (end > latest) {
    const days = Math.ceil((end - now.getTime()) / DAY_MS);
    return [`the client secret would live ${days} days (until ${endDate}); at most ${maxLifetimeDays} days are allowed (nexxt:secretLifetimeDays).`];
  }
  return [];
}

/** Every grant of the stack goes to one resource service principal (Microsoft Graph, resolved by the program). */
export function grantResourceViolations(resourceObjectIds: readonly unknown[]): string[] {
  const distinct = [...new Set(resourceObjectIds)];
  if (distinct.length <= 1) return [];
  return [
    `the app role assignments go to ${distinct.length} different resource service principals (${distinct.map((id) => JSON.stringify(id)).join(", ")}); every grant must go to Microsoft Graph.`,
  ];
}

function resourceViolations(resourceAppId: unknown): string[] {
  if (resourceAppId === MICROSOFT_GRAPH_APP_ID) return [];
  return [`requests permissions on API ${JSON.stringify(resourceAppId ?? null)}; only Microsoft Graph (${MICROSOFT_GRAPH_APP_ID}) is allowed.`];
}

function permissionById(id: unknown): GraphPermission | undefined {
  if (typeof id !== "string") return undefined;
  const lower = id.toLowerCase();
  return [...GRAPH_PERMISSIONS.values()].find((permission) => permission.id === lower);
}
