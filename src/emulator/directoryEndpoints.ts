import type * as http from "node:http";
import { sendJson } from "./faults";
import { skipTokenFor, skipTokenOffset } from "./skipToken";

/**
 * The directory endpoints `preflight` reads, answering in Microsoft Graph v1.0's shapes:
 *  - GET /v1.0/applications?$filter=displayName eq '…' | appId eq '…' (application resource type)
 *  - GET /v1.0/applications/{id}/owners (directoryObject collection, with @odata.type)
 *  - GET /v1.0/applications/{id}/appManagementPolicies (appManagementPolicy collection)
 *  - GET /v1.0/servicePrincipals?$filter=appId eq '…'
 *  - GET /v1.0/servicePrincipals/{id}/appRoleAssignments (appRoleAssignment collection)
 *  - GET /v1.0/policies/defaultAppManagementPolicy (tenantAppManagementPolicy)
 * Collections page with $top (1..999, default 100) and an opaque $skiptoken in @odata.nextLink.
 * Reading registrations needs Application.Read.All (or a wider one) for an app, nothing more for
 * a member user; reading policies needs Policy.Read.All for an app and, for a user, a role such
 * as Global Reader (https://learn.microsoft.com/graph/api/tenantappmanagementpolicy-get).
 */
export interface SignedInCaller {
  /** Application permissions (app-only tokens). */
  roles: string[];
  /** Directory role template IDs. */
  wids: string[];
  /** Delegated scopes (user tokens). */
  scopes: string[];
  appOnly: boolean;
  objectId?: string;
}

export interface EmulatedDirectoryObject {
  "@odata.type": "#microsoft.graph.user" | "#microsoft.graph.servicePrincipal";
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  appId?: string;
}

export interface EmulatedRegistration {
  id: string;
  appId: string;
  displayName: string;
  notes?: string | null;
  createdDateTime: string;
  signInAudience?: string;
  requiredResourceAccess?: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: "Role" | "Scope" }> }>;
  /** As Graph lists them: never the secret itself, only its hint and dates. */
  passwordCredentials?: Array<{ keyId: string; displayName: string | null; startDateTime: string; endDateTime: string; hint: string }>;
  owners?: EmulatedDirectoryObject[];
  /** IDs of appManagementPolicies assigned to this registration. */
  appManagementPolicyIds?: string[];
}

export interface EmulatedAppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalDisplayName: string;
  principalType: "ServicePrincipal";
  resourceId: string;
  resourceDisplayName: string;
  createdDateTime: string;
}

export interface EmulatedServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appRoles?: Array<{ id: string; value: string; displayName: string; allowedMemberTypes: string[]; isEnabled: boolean }>;
  /** App roles granted TO this service principal (its application permissions). */
  appRoleAssignments?: EmulatedAppRoleAssignment[];
}

export interface EmulatedDirectory {
  applications?: EmulatedRegistration[];
  servicePrincipals?: EmulatedServicePrincipal[];
  /** The tenantAppManagementPolicy; Graph's built-in default (disabled, no restriction) when absent. */
  defaultAppManagementPolicy?: Record<string, unknown>;
  /** Custom appManagementPolicy objects, assigned to registrations by ID. */
  appManagementPolicies?: Array<Record<string, unknown> & { id: string }>;
}

const APP_READ_ROLES = ["Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.Read.All", "Directory.ReadWrite.All"];
const POLICY_READ_ROLES = ["Policy.Read.All", "Policy.Read.ApplicationConfiguration", "Policy.ReadWrite.ApplicationConfiguration"];
/** Global Administrator, Global Reader, Security Administrator, Security Reader, Application Administrator, Cloud Application Administrator. */
const POLICY_READER_DIRECTORY_ROLES = [
  "62e90394-69f5-4237-9190-012177145e10",
  "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "5d6b6bb7-de71-4623-b4af-96380a352509",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "158c047a-c907-4556-b7ef-446551a6b5f7",
];

export const GRAPH_DEFAULT_APP_MANAGEMENT_POLICY = {
  id: "00000000-0000-0000-0000-000000000000",
  displayName: "Default app management tenant policy",
  description:
    "Default tenant policy that enforces app management restrictions on applications and service principals. To apply policy to targeted resources, create a new policy under appManagementPolicies collection.",
  isEnabled: false,
  applicationRestrictions: { passwordCredentials: [], keyCredentials: [] },
  servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
};

export interface DirectoryRequest {
  url: URL;
  res: http.ServerResponse;
  caller: SignedInCaller;
  directory: EmulatedDirectory | undefined;
  baseUrl: string;
  graphError: (res: http.ServerResponse, status: number, code: string, message: string) => void;
}

/** Answers the request when it is one of the directory endpoints; false otherwise. */
export function answerDirectoryRequest(request: DirectoryRequest): boolean {
  const { url, res, caller, directory, baseUrl, graphError } = request;
  if (directory === undefined) return false;
  const path = url.pathname;
  const denied = () => graphError(res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  const mayReadApps = !caller.appOnly || caller.roles.some((role) => APP_READ_ROLES.includes(role));
  const notFound = (id: string) =>
    graphError(res, 404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

  if (path === "/v1.0/policies/defaultAppManagementPolicy") {
    const mayReadPolicies = caller.appOnly
      ? caller.roles.some((role) => POLICY_READ_ROLES.includes(role))
      : caller.wids.some((role) => POLICY_READER_DIRECTORY_ROLES.includes(role));
    if (!mayReadPolicies) denied();
    else
      sendJson(res, 200, {
        "@odata.context": `${baseUrl}/v1.0/$metadata#policies/defaultAppManagementPolicy/$entity`,
        ...(directory.defaultAppManagementPolicy ?? GRAPH_DEFAULT_APP_MANAGEMENT_POLICY),
      });
    return true;
  }
  if (path === "/v1.0/applications" || path === "/v1.0/servicePrincipals") {
    if (!mayReadApps) return (denied(), true);
    const filter = parseEqFilter(url.searchParams.get("$filter"));
    if (filter === "invalid") return (graphError(res, 400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified."), true);
    const all: Array<Record<string, unknown>> =
      path === "/v1.0/applications"
        ? ((directory.applications ?? []).map(registrationView) as Array<Record<string, unknown>>)
        : (directory.servicePrincipals ?? []).map(servicePrincipalView);
    const matching =
      filter === undefined
        ? all
        : all.filter((item) => typeof item[filter.property] === "string" && (item[filter.property] as string).toLowerCase() === filter.value.toLowerCase());
    sendPage(request, path, matching);
    return true;
  }
  const sub = /^\/v1\.0\/(applications|servicePrincipals)\/([^/]+)\/(owners|appManagementPolicies|appRoleAssignments)$/.exec(path);
  if (sub) {
    if (!mayReadApps) return (denied(), true);
    const id = decodeURIComponent(sub[2]);
    if (sub[1] === "applications" && sub[3] !== "appRoleAssignments") {
      const app = (directory.applications ?? []).find((a) => a.id === id);
      if (!app) return (notFound(id), true);
      if (sub[3] === "owners") sendPage(request, path, app.owners ?? []);
      else
        sendPage(
          request,
          path,
          (app.appManagementPolicyIds ?? []).map((policyId) => (directory.appManagementPolicies ?? []).find((p) => p.id === policyId)).filter((p) => p !== undefined),
        );
      return true;
    }
    if (sub[1] === "servicePrincipals" && sub[3] === "appRoleAssignments") {
      const sp = (directory.servicePrincipals ?? []).find((s) => s.id === id);
      if (!sp) return (notFound(id), true);
      sendPage(request, path, sp.appRoleAssignments ?? []);
      return true;
    }
  }
  return false;
}

function registrationView(app: EmulatedRegistration): Record<string, unknown> {
  return {
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    notes: app.notes ?? null,
    createdDateTime: app.createdDateTime,
    signInAudience: app.signInAudience ?? "AzureADMultipleOrgs",
    requiredResourceAccess: app.requiredResourceAccess ?? [],
    passwordCredentials: app.passwordCredentials ?? [],
  };
}

function servicePrincipalView(sp: EmulatedServicePrincipal): Record<string, unknown> {
  return { id: sp.id, appId: sp.appId, displayName: sp.displayName, appRoles: sp.appRoles ?? [] };
}

/** `property eq 'value'`, with '' for a quote inside the value, as OData writes it. */
function parseEqFilter(filter: string | null): { property: string; value: string } | undefined | "invalid" {
  if (filter === null) return undefined;
  const match = /^\s*(displayName|appId)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
  if (!match) return "invalid";
  return { property: match[1], value: match[2].replace(/''/g, "'") };
}

function sendPage(request: DirectoryRequest, path: string, items: readonly unknown[]): void {
  const { url, res, baseUrl, graphError } = request;
  const topText = url.searchParams.get("$top");
  const top = topText === null ? 100 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    return graphError(res, 400, "Request_UnsupportedQuery", `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`);
  }
  const offset = skipTokenOffset(url);
  const page: Record<string, unknown> = { "@odata.context": `${baseUrl}/v1.0/$metadata#${path.split("/").pop()}` };
  if (offset + top < items.length) {
    const next = new URL(`${baseUrl}${path}`);
    for (const [key, value] of url.searchParams) if (key !== "$skiptoken") next.searchParams.set(key, value);
    next.searchParams.set("$top", String(top));
    next.searchParams.set("$skiptoken", skipTokenFor(offset + top));
    page["@odata.nextLink"] = next.toString();
  }
  page.value = items.slice(offset, offset + top);
  sendJson(res, 200, page);
}
