import { DAY_MS } from "../util/time";

/**
 * Does the tenant's app management policy let `pulumi up` add a client secret (addPassword) of
 * `secretLifetimeDays`? Pure: it judges policy objects already read from Graph.
 *
 * Facts, from Microsoft's Graph reference:
 *  - tenantAppManagementPolicy (GET /policies/defaultAppManagementPolicy): `isEnabled` (default
 *    false) and `applicationRestrictions` apply to every application "unless overridden when an
 *    appManagementPolicy is applied to the object"
 *    (https://learn.microsoft.com/graph/api/resources/tenantappmanagementpolicy).
 *  - appManagementPolicy (GET /applications/{id}/appManagementPolicies): `isEnabled` and
 *    `restrictions`; assigned to one app, it takes the tenant default's place for that app
 *    (https://learn.microsoft.com/graph/api/resources/appmanagementpolicy).
 *  - passwordCredentialConfiguration: `restrictionType` passwordAddition (no new passwords),
 *    passwordLifetime (with `maxLifetime`, an ISO 8601 duration such as P90D), customPasswordAddition
 *    (no passwords the caller chooses; addPassword has Microsoft generate it, so not ours),
 *    symmetricKey*; `restrictForAppsCreatedAfterDateTime`: the restriction applies to apps created
 *    on or after it; `state`: enabled or disabled
 *    (https://learn.microsoft.com/graph/api/resources/passwordcredentialconfiguration).
 * Graph refuses addPassword with CredentialInvalidLifetimeAsPerAppPolicy (lifetime too long) or
 * CredentialTypeNotAllowedAsPerAppPolicy (passwords blocked).
 */
export interface PasswordRestriction {
  restrictionType?: string;
  maxLifetime?: string | null;
  restrictForAppsCreatedAfterDateTime?: string | null;
  state?: string | null;
}

/** The parts of a tenantAppManagementPolicy or an appManagementPolicy this check reads. */
export interface AppManagementPolicy {
  id?: string;
  displayName?: string | null;
  isEnabled?: boolean;
  /** tenantAppManagementPolicy */
  applicationRestrictions?: { passwordCredentials?: PasswordRestriction[] | null } | null;
  /** appManagementPolicy */
  restrictions?: { passwordCredentials?: PasswordRestriction[] | null } | null;
}

export type PolicyVerdict =
  | { allowed: true; policy: string | undefined; note: string }
  | { allowed: false; policy: string; errorCode: "CredentialInvalidLifetimeAsPerAppPolicy" | "CredentialTypeNotAllowedAsPerAppPolicy"; limitDays?: number; reason: string };

export interface PolicyQuestion {
  secretLifetimeDays: number;
  /** When the registration was created: now for a new one, its createdDateTime when taken over. */
  appCreatedAt: Date;
  /** The run's date: maxLifetime is measured from the secret's start. */
  now: Date;
  /** The tenant default. */
  tenantDefault: AppManagementPolicy;
  /** Policies assigned to the taken-over registration (none for a new one). */
  assigned: AppManagementPolicy[];
}

/**
 * The policy that governs the app (an enabled assigned one, else the tenant default when
 * enabled) and whether it allows the secret.
 */
export function judgeCredentialPolicy(question: PolicyQuestion): PolicyVerdict {
  const assigned = question.assigned.find((policy) => policy.isEnabled !== false);
  const governing = assigned ?? (question.tenantDefault.isEnabled === true ? question.tenantDefault : undefined);
  if (governing === undefined) {
    const why = question.tenantDefault.isEnabled === true ? "" : "the tenant's default app management policy is not enabled";
    return { allowed: true, policy: undefined, note: why || "no app management policy applies" };
  }
  const name = policyName(governing, assigned !== undefined);
  const restrictions = (assigned ? governing.restrictions?.passwordCredentials : governing.applicationRestrictions?.passwordCredentials) ?? [];
  const applying = restrictions.filter((restriction) => applies(restriction, question.appCreatedAt));

  const blocked = applying.find((restriction) => restriction.restrictionType === "passwordAddition");
  if (blocked) {
    return {
      allowed: false,
      policy: name,
      errorCode: "CredentialTypeNotAllowedAsPerAppPolicy",
      reason: `${name} blocks new client secrets (passwordAddition${since(blocked)})`,
    };
  }
  const lifetime = applying.find((restriction) => restriction.restrictionType === "passwordLifetime" && typeof restriction.maxLifetime === "string");
  if (lifetime) {
    const maxEnd = addIsoDuration(question.now, lifetime.maxLifetime as string);
    if (maxEnd === undefined) {
      // Not a duration we can read: say so instead of guessing either way.
      return {
        allowed: false,
        policy: name,
        errorCode: "CredentialInvalidLifetimeAsPerAppPolicy",
        reason: `${name} limits client secrets to maxLifetime '${lifetime.maxLifetime}', which is not an ISO 8601 duration this tool can read; compare it with nexxt:secretLifetimeDays ${question.secretLifetimeDays} by hand`,
      };
    }
    const limitDays = Math.floor((maxEnd.getTime() - question.now.getTime()) / DAY_MS);
    const wanted = new Date(question.now.getTime() + question.secretLifetimeDays * DAY_MS);
    if (wanted.getTime() > maxEnd.getTime()) {
      return {
        allowed: false,
        policy: name,
        errorCode: "CredentialInvalidLifetimeAsPerAppPolicy",
        limitDays,
        reason: `${name} limits client secrets to ${lifetime.maxLifetime} (${limitDays} days${since(lifetime)}); nexxt:secretLifetimeDays is ${question.secretLifetimeDays}`,
      };
    }
    return { allowed: true, policy: name, note: `${name} allows client secrets of up to ${lifetime.maxLifetime} (${limitDays} days); ${question.secretLifetimeDays} days fits` };
  }
  return { allowed: true, policy: name, note: `${name} sets no password restriction that applies to this app` };
}

function policyName(policy: AppManagementPolicy, assigned: boolean): string {
  const label = policy.displayName ? `'${policy.displayName}'` : policy.id ? `'${policy.id}'` : "(unnamed)";
  return assigned
    ? `the app management policy ${label}${policy.id ? ` (id ${policy.id})` : ""} assigned to this registration`
    : `the tenant's default app management policy ${label}`;
}

function since(restriction: PasswordRestriction): string {
  return restriction.restrictForAppsCreatedAfterDateTime ? `, for apps created from ${restriction.restrictForAppsCreatedAfterDateTime.slice(0, 10)}` : "";
}

/** A restriction counts unless disabled, or dated after the app was created. */
function applies(restriction: PasswordRestriction, appCreatedAt: Date): boolean {
  if (restriction.state === "disabled") return false;
  const from = restriction.restrictForAppsCreatedAfterDateTime;
  if (from === undefined || from === null) return true;
  const date = new Date(from);
  return Number.isNaN(date.getTime()) || appCreatedAt.getTime() >= date.getTime();
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * `start` plus an ISO 8601 duration (PnYnMnWnDTnHnMnS), years and months on the calendar (UTC),
 * as a date is: P6M from 31 August is 28 or 29 February. Undefined when the text is not one.
 */
export function addIsoDuration(start: Date, duration: string): Date | undefined {
  const match = DURATION.exec(duration.trim());
  if (!match || duration.trim() === "P" || duration.trim().endsWith("T")) return undefined;
  const [years, months, weeks, days, hours, minutes] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part)));
  const seconds = match[7] === undefined ? 0 : Number(match[7]);
  const end = new Date(start.getTime());
  const targetMonth = end.getUTCMonth() + months + years * 12;
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(targetMonth);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return new Date(end.getTime() + (weeks * 7 + days) * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000);
}
