import { GRAPH_PERMISSIONS } from "../catalogue/graphPermissions";
import { MICROSOFT_GRAPH_APP_ID } from "../catalogue/clouds";
import type { ConnectorSettings } from "../config/settings";
import { DEFAULT_DISPLAY_NAME } from "../config/schema";
import { managedNote } from "../connector/managedNote";
import type { AccessTokenClaims } from "../graph/jwtClaims";
import type { Check } from "../graph/verifyChecks";
import { consentLinkFor } from "../partner/consentLink";
import type { PartnerConfig } from "../partner/partnerConfig";
import { judgeCredentialPolicy } from "./credentialPolicy";
import { signInPrivilege } from "./signInPrivilege";
import type { Read, TakeoverFacts, TenantFacts } from "./tenantFacts";

/**
 * The preflight checks, from what was read: pure, so every tenant history is tested without a
 * server. Each failure says what `pulumi up` would hit and what to do before running it.
 */
export interface PreflightInput {
  settings: ConnectorSettings;
  /** `<project>/<stack>`: the note pulumi up writes on the registrations it creates. */
  stackRef: string;
  now: Date;
  /** The cloud's login host (or --authority-host), for the admin-consent link. */
  loginHost: string;
  /** How preflight signed in, in words (never a secret). */
  signInDescription: string;
  /** The client ID when signing in as an application (service principal, OIDC), else undefined. */
  appClientId: string | undefined;
  /** partner.yaml, when the partner has one: its apps get the same consent link `new-customer` prints. */
  partner: PartnerConfig | undefined;
  /** `facts` is read only when the sign-in is for the stack's tenant. */
  outcome: { ok: true; claims: AccessTokenClaims; facts: TenantFacts | undefined } | { ok: false; message: string; codes: number[]; unavailable: boolean };
}

/**
 * AADSTS codes that mean "this app is not (yet) consented in this tenant", Microsoft's words
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes): 700016
 * UnauthorizedClient_DoesNotMatchRequest, "the application wasn't found in the directory/tenant.
 * This can happen if the application has not been installed by the administrator of the tenant
 * or consented to by any user in the tenant"; 7000229, the client application is missing its
 * service principal in the tenant; 65001 DelegationDoesNotExist, "the user or administrator has
 * not consented to use the application".
 */
export const CONSENT_MISSING_CODES: readonly number[] = [700016, 7000229, 65001];

/** Owners named on the line; a registration with more says how many more. */
const MAX_LISTED = 10;

export function preflightChecks(input: PreflightInput): Check[] {
  const { settings } = input;
  const checks: Check[] = [];
  if (!input.outcome.ok) {
    const consentMissing = input.appClientId !== undefined && input.outcome.codes.some((code) => CONSENT_MISSING_CODES.includes(code));
    checks.push({
      kind: "sign-in",
      subject: input.signInDescription,
      verdict: "fail",
      detail: input.outcome.message === "" ? "could not sign in" : input.outcome.message,
      explanation: input.outcome.unavailable
        ? {
            cause: "the Azure CLI is not installed or not logged in",
            fix: `run \`az login --tenant ${settings.tenantId}\` as a Global Administrator (or set ARM_CLIENT_ID, ARM_TENANT_ID and ARM_CLIENT_SECRET as the pipeline does)`,
          }
        : consentMissing
          ? consentFix(input, "Microsoft Entra refused the sign-in because the app has no service principal in this tenant: it was never consented here")
          : {
              cause: `Microsoft Entra refused the sign-in: ${input.outcome.message}`,
              fix: "check ARM_TENANT_ID, ARM_CLIENT_ID and the secret or OIDC token, and --cloud; then run preflight again",
            },
    });
    if (input.appClientId !== undefined) {
      checks.push(
        consentMissing
          ? {
              kind: "consent",
              subject: input.appClientId,
              verdict: "fail",
              detail: "not consented in this tenant",
              explanation: consentFix(input, "the partner's app is not consented in the customer's tenant"),
            }
          : skippedCheck("consent", input.appClientId, "the sign-in failed"),
      );
    }
    for (const kind of ["tenant", "privilege", "graph-sp", "namesake", "policy"] as const) checks.push(skippedCheck(kind, "", "no sign-in"));
    return checks;
  }

  const { claims, facts } = input.outcome;
  const who = claims.upn ?? (claims.appid ? `app ${claims.appid}` : "an unnamed identity");
  checks.push({ kind: "sign-in", subject: input.signInDescription, verdict: "pass", detail: `signed in as ${who}` });
  const privilege = signInPrivilege(claims, facts?.directoryRoles?.ok ? facts.directoryRoles.value : []);
  if (input.appClientId !== undefined) {
    checks.push(
      privilege.appOnly && claims.roles.length === 0
        ? {
            kind: "consent",
            subject: input.appClientId,
            verdict: "fail",
            detail: "the app signs in here but holds no Microsoft Graph application permission in this tenant",
            explanation: consentFix(input, "the app was added to this tenant without admin consent for its Graph permissions"),
          }
        : { kind: "consent", subject: input.appClientId, verdict: "pass", detail: `consented in this tenant${claims.roles.length > 0 ? ` (${claims.roles.join(", ")})` : ""}` },
    );
  }

  const tid = claims.tid?.toLowerCase();
  if (tid !== settings.tenantId || facts === undefined) {
    checks.push({
      kind: "tenant",
      subject: settings.tenantId,
      verdict: "fail",
      detail: `the sign-in is for tenant ${claims.tid ?? "(none named)"}, not nexxt:tenantId ${settings.tenantId}`,
      explanation: {
        cause: "pulumi up would sign in to another tenant than the stack's, and refuses to run there",
        fix: `sign in to the customer's tenant: \`az login --tenant ${settings.tenantId}\`, or set ARM_TENANT_ID=${settings.tenantId}`,
      },
    });
    for (const kind of ["privilege", "graph-sp", "namesake", "policy"] as const) checks.push(skippedCheck(kind, "", "signed in to another tenant"));
    return checks;
  }
  checks.push({ kind: "tenant", subject: settings.tenantId, verdict: "pass", detail: "the sign-in is for nexxt:tenantId" });
  checks.push(privilegeCheck(privilege));
  checks.push(graphServicePrincipalCheck(facts.graphServicePrincipal));
  if (settings.existingApplicationId === undefined) checks.push(...facts.namesakes.map((namesake) => namesakeCheck(namesake, input)));
  checks.push(policyCheck(facts, input));
  if (facts.takeover) checks.push(...takeoverChecks(facts.takeover, facts, input));
  return checks;
}

function consentFix(input: PreflightInput, cause: string) {
  const link = consentLinkFor({
    cloud: input.settings.cloud,
    loginHost: input.loginHost,
    tenantId: input.settings.tenantId,
    clientId: input.appClientId ?? "<client-id>",
    partner: input.partner,
  });
  return {
    cause,
    fix: `have the customer's Global Administrator (or Privileged Role Administrator) open ${link} , sign in and accept; then run preflight again`,
  };
}

function skippedCheck(kind: Check["kind"], subject: string, because: string): Check {
  return { kind, subject, verdict: "skip", detail: `not checked: ${because}` };
}

/** A read that failed: a refusal is "could not check", said with what would let it; an outage fails. */
function unread(kind: Check["kind"], subject: string, read: Extract<Read<unknown>, { ok: false }>, needs: string): Check {
  if (read.status === 403 || read.status === 401) {
    return {
      kind,
      subject,
      verdict: "skip",
      detail: `not checked: Graph refused the sign-in (${read.status}${read.code ? ` ${read.code}` : ""})`,
      explanation: { cause: "the sign-in may not read this", fix: needs },
    };
  }
  return {
    kind,
    subject,
    verdict: "fail",
    detail: read.message,
    explanation: {
      cause: read.unreachable ? "Microsoft Graph could not be reached (after retries)" : "Microsoft Graph answered with an error",
      fix: "check --graph-url (or --cloud) and the network, then run preflight again",
    },
    unreachable: read.unreachable,
  };
}

function privilegeCheck(privilege: ReturnType<typeof signInPrivilege>): Check {
  const held = privilege.held.length > 0 ? privilege.held.join(", ") : privilege.appOnly ? "no relevant Graph application permission" : "no relevant directory role";
  const subject = privilege.appOnly ? "Graph application permissions" : "directory roles";
  if (privilege.mayCreate === true && privilege.mayGrant) {
    return { kind: "privilege", subject, verdict: "pass", detail: `may create the registration and grant Graph application permissions (${held})` };
  }
  if (privilege.appOnly) {
    const missing = [
      privilege.mayCreate === true ? "" : "Application.ReadWrite.OwnedBy (creates and manages its own registrations)",
      privilege.mayGrant ? "" : "AppRoleAssignment.ReadWrite.All and Application.Read.All (grant the Graph permissions)",
    ].filter(Boolean);
    return {
      kind: "privilege",
      subject,
      verdict: "fail",
      detail: `the sign-in holds ${held}`,
      explanation: {
        cause: "pulumi up would fail creating the registration or granting its permissions",
        fix: `grant the pipeline's app the Graph application permissions ${missing.join(" and ")}, with admin consent in this tenant`,
      },
    };
  }
  if (privilege.mayGrant && privilege.mayCreate === "tenant-setting") {
    return {
      kind: "privilege",
      subject,
      verdict: "warn",
      detail: `may grant Graph application permissions (${held}); creating the registration relies on the tenant letting users register applications`,
      explanation: {
        cause: "no role of the sign-in creates registrations; members may, while User settings > 'Users can register applications' is Yes (the default)",
        fix: "keep that setting on, or add the Application Administrator role (or sign in as a Global Administrator)",
      },
    };
  }
  return {
    kind: "privilege",
    subject,
    verdict: "fail",
    detail: `the signed-in user holds ${held}`,
    explanation: {
      cause:
        "granting Microsoft Graph application permissions needs Privileged Role Administrator or Global Administrator; Application Administrator and Cloud Application Administrator may not grant Graph app roles",
      fix: "sign in (`az login`) as a Global Administrator, or activate Privileged Role Administrator together with Application Administrator",
    },
  };
}

function graphServicePrincipalCheck(read: TenantFacts["graphServicePrincipal"]): Check {
  const subject = `Microsoft Graph (${MICROSOFT_GRAPH_APP_ID})`;
  if (!read.ok) return unread("graph-sp", subject, read, "grant the sign-in Application.Read.All, or sign in as a member user");
  if (read.value === undefined) {
    return {
      kind: "graph-sp",
      subject,
      verdict: "fail",
      detail: "this tenant has no service principal for Microsoft Graph",
      explanation: {
        cause: "pulumi up grants permissions on Graph's service principal, and would find none",
        fix: `create it once: \`az ad sp create --id ${MICROSOFT_GRAPH_APP_ID}\` (as an administrator of the tenant)`,
      },
    };
  }
  return { kind: "graph-sp", subject, verdict: "pass", detail: `service principal ${read.value.id}` };
}

function namesakeCheck(namesake: TenantFacts["namesakes"][number], input: PreflightInput): Check {
  const subject = `'${namesake.name}'`;
  if (!namesake.found.ok) return unread("namesake", subject, namesake.found, "grant the sign-in Application.Read.All, or sign in as a member user");
  const ours = managedNote(input.stackRef);
  const foreign = namesake.found.value.filter((app) => app.notes !== ours);
  if (foreign.length === 0) {
    const own = namesake.found.value.length > 0;
    return { kind: "namesake", subject, verdict: "pass", detail: own ? "the registration of this name is this stack's own" : "no registration of this name" };
  }
  const listed = foreign.map((app) => `${app.appId}${app.createdDateTime ? ` (created ${app.createdDateTime.slice(0, 10)})` : ""}`).join(", ");
  const made = namesake.name === DEFAULT_DISPLAY_NAME ? "made by hand (the vendor's guide names it so)" : "not made by this stack";
  const configured = namesake.name === input.settings.displayName;
  return {
    kind: "namesake",
    subject,
    // The configured name is refused by pulumi up; the guide's name under another display name only
    // means the customer may end with two Nexxt registrations.
    verdict: configured ? "fail" : "warn",
    detail: `${foreign.length === 1 ? "a registration" : `${foreign.length} registrations`} ${made}: ${listed}`,
    explanation: {
      cause: configured ? "pulumi up refuses to create a second registration of the same name" : "the customer already has a Nexxt registration; a new one would sit beside it",
      fix:
        foreign.length === 1
          ? `take it over: add the line  nexxt:existingApplicationId: "${foreign[0].appId}"  to the stack file${configured ? ", or choose another nexxt:displayName" : ""}`
          : `take over the one Nexxt uses (nexxt:existingApplicationId: "<its client ID>") and delete the others, or choose another nexxt:displayName`,
    },
  };
}

function policyCheck(facts: TenantFacts, input: PreflightInput): Check {
  const days = input.settings.secretLifetimeDays;
  const subject = `client secret of ${days} days`;
  if (!facts.defaultPolicy.ok) {
    return unread("policy", subject, facts.defaultPolicy, "grant the sign-in Policy.Read.All (an app), or sign in with a role that reads policies such as Global Reader (a user)");
  }
  const takeover = facts.takeover;
  if (takeover?.assignedPolicies && !takeover.assignedPolicies.ok) {
    return unread("policy", subject, takeover.assignedPolicies, "grant the sign-in Application.Read.All, or sign in as a member user");
  }
  const registration = takeover?.registration.ok ? takeover.registration.value : undefined;
  const created = registration?.createdDateTime ? new Date(registration.createdDateTime) : input.now;
  const verdict = judgeCredentialPolicy({
    secretLifetimeDays: days,
    appCreatedAt: Number.isNaN(created.getTime()) ? input.now : created,
    now: input.now,
    tenantDefault: facts.defaultPolicy.value,
    assigned: takeover?.assignedPolicies?.ok ? takeover.assignedPolicies.value : [],
  });
  if (verdict.allowed) return { kind: "policy", subject, verdict: "pass", detail: verdict.note };
  const lower =
    verdict.limitDays !== undefined
      ? `set nexxt:secretLifetimeDays to ${verdict.limitDays} or less (and nexxt:rotationDays plus nexxt:rotationOverlapDays below it)`
      : "this tenant allows no new client secret for it";
  return {
    kind: "policy",
    subject,
    verdict: "fail",
    detail: verdict.reason,
    explanation: {
      cause: `Graph would refuse the secret with ${verdict.errorCode} after the registration was created`,
      fix: `${lower}; or ask the tenant's administrator to exempt this app (assign it an app management policy without this restriction). See docs/preflight.md.`,
    },
  };
}

function takeoverChecks(takeover: TakeoverFacts, facts: TenantFacts, input: PreflightInput): Check[] {
  const subject = takeover.clientId;
  if (!takeover.registration.ok) return [unread("takeover", subject, takeover.registration, "grant the sign-in Application.Read.All, or sign in as a member user")];
  const app = takeover.registration.value;
  if (app === undefined) {
    return [
      {
        kind: "takeover",
        subject,
        verdict: "fail",
        detail: "nexxt:existingApplicationId names no registration in this tenant",
        explanation: {
          cause: "pulumi up refuses to take over a registration that is not there",
          fix: "copy the Application (client) ID from Entra admin center > App registrations, or remove the key to create a new registration",
        },
      },
    ];
  }
  const checks: Check[] = [{ kind: "takeover", subject, verdict: "pass", detail: `'${app.displayName}' (object ${app.id}) is taken over, not created` }];
  const owners = takeover.owners;
  if (owners && !owners.ok) checks.push(unread("takeover", `${subject} owners`, owners, "grant the sign-in Application.Read.All"));
  else if (owners) {
    const names = owners.value.map((owner) => owner.userPrincipalName ?? owner.displayName ?? owner.id);
    const shown = names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(", ")} and ${names.length - MAX_LISTED} more` : names.join(", ");
    checks.push({
      kind: "takeover",
      subject: `${subject} owners`,
      verdict: "pass",
      detail: names.length > 0 ? `kept: ${shown}` : "none (the registration has no owner)",
    });
  }
  const roleNames = new Map(
    (facts.graphServicePrincipal.ok && facts.graphServicePrincipal.value ? facts.graphServicePrincipal.value.appRoles : []).map((role) => [role.id, role.value ?? role.id]),
  );
  for (const permission of GRAPH_PERMISSIONS.values()) if (!roleNames.has(permission.id)) roleNames.set(permission.id, permission.name);
  const graphEntry = (app.requiredResourceAccess ?? []).find((entry) => entry.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID);
  const listed = (graphEntry?.resourceAccess ?? []).map((access) => (access.type === "Role" ? (roleNames.get(access.id) ?? access.id) : `${access.id} (delegated)`));
  const wanted = input.settings.permissions.map((permission) => permission.name);
  checks.push({
    kind: "takeover",
    subject: `${subject} permissions`,
    verdict: "pass",
    detail: `${listed.length > 0 ? `listed now: ${listed.join(", ")}` : "no Microsoft Graph entry yet"}; kept, and pulumi up adds ${wanted.filter((name) => !listed.includes(name)).join(", ") || "nothing"}`,
  });
  const grants = takeover.grants;
  if (takeover.servicePrincipal && takeover.servicePrincipal.ok && takeover.servicePrincipal.value === undefined) {
    checks.push({
      kind: "takeover",
      subject: `${subject} consents`,
      verdict: "pass",
      detail: "no service principal yet: pulumi up creates it and grants the configured permissions",
    });
  } else if (grants && !grants.ok) {
    checks.push(unread("takeover", `${subject} consents`, grants, "grant the sign-in Application.Read.All"));
  } else if (grants) {
    const granted = grants.value.map(
      (grant) =>
        (roleNames.get(grant.appRoleId) ?? grant.appRoleId) +
        (grant.resourceDisplayName && grant.resourceDisplayName !== "Microsoft Graph" ? ` on ${grant.resourceDisplayName}` : ""),
    );
    const adds = wanted.filter((name) => !granted.includes(name));
    checks.push({
      kind: "takeover",
      subject: `${subject} consents`,
      verdict: "pass",
      detail: `${granted.length > 0 ? `granted now: ${granted.join(", ")}` : "none granted yet"}; every one is kept${adds.length > 0 ? `, and pulumi up grants ${adds.join(", ")}` : ""}`,
    });
  }
  const secrets = app.passwordCredentials ?? [];
  if (secrets.length > 0) {
    checks.push({
      kind: "takeover",
      subject: `${subject} secrets`,
      verdict: "pass",
      detail: `${secrets.length} existing client secret${secrets.length > 1 ? "s" : ""} kept until they expire; pulumi up adds its own`,
    });
  }
  return checks;
}
