import { MICROSOFT_GRAPH_APP_ID } from "../catalogue/clouds";
import { GraphClient, GraphRequestError } from "../graph/graphClient";
import type { AppManagementPolicy } from "./credentialPolicy";

/**
 * What preflight reads of the tenant, each read kept with its own outcome: a refusal (403) or an
 * unreachable Graph makes that one check "not checked", never a pass. Shapes are Graph v1.0's
 * (application, servicePrincipal, directoryObject, appRoleAssignment, tenantAppManagementPolicy,
 * appManagementPolicy); only the fields used are typed.
 */
export type Read<T> = { ok: true; value: T } | { ok: false; status: number | undefined; code: string | undefined; message: string; unreachable: boolean };

export interface RegistrationFacts {
  id: string;
  appId: string;
  displayName: string;
  notes: string | null;
  createdDateTime?: string;
  requiredResourceAccess?: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
  passwordCredentials?: Array<{ displayName?: string | null; endDateTime?: string }>;
}

export interface GraphServicePrincipalFacts {
  id: string;
  appRoles: Array<{ id: string; value: string | null }>;
}

export interface OwnerFacts {
  "@odata.type"?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
}

export interface GrantFacts {
  appRoleId: string;
  resourceId: string;
  resourceDisplayName?: string;
}

export interface TakeoverFacts {
  clientId: string;
  registration: Read<RegistrationFacts | undefined>;
  owners?: Read<OwnerFacts[]>;
  assignedPolicies?: Read<AppManagementPolicy[]>;
  servicePrincipal?: Read<{ id: string } | undefined>;
  grants?: Read<GrantFacts[]>;
}

export interface TenantFacts {
  /** A user's active directory roles (template IDs), read from Graph; undefined for an app. */
  directoryRoles?: Read<string[]>;
  graphServicePrincipal: Read<GraphServicePrincipalFacts | undefined>;
  /** Registrations per display name looked up (the configured one, the guide's). */
  namesakes: Array<{ name: string; found: Read<RegistrationFacts[]> }>;
  defaultPolicy: Read<AppManagementPolicy>;
  takeover?: TakeoverFacts;
}

export interface FactsQuestion {
  names: string[];
  /** A user signed in: read the user's directory roles too. */
  user?: boolean;
  existingApplicationId?: string;
}

/** OData string literal: a quote inside is doubled. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const APP_FIELDS = "id,appId,displayName,notes,createdDateTime,requiredResourceAccess,passwordCredentials";

/**
 * Every read is independent of the others, so they go out together (a preflight is a handful of
 * round trips, not a dozen in a row); each one's failure is its own Read, never the whole.
 */
export async function readTenantFacts(graph: GraphClient, question: FactsQuestion): Promise<TenantFacts> {
  const [graphServicePrincipal, directoryRoles, namesakes, defaultPolicy, takeover] = await Promise.all([
    attempt(async () => {
      const found = await all<GraphServicePrincipalFacts>(
        graph,
        `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq ${literal(MICROSOFT_GRAPH_APP_ID)}`)}&$select=id,appId,appRoles`,
      );
      return found[0];
    }),
    // The token's wids claim may be absent (Microsoft: "an application shouldn't take a dependency on
    // a claim being present", access-token-claims-reference); Graph lists the active roles, group
    // assignments included (https://learn.microsoft.com/graph/api/user-list-transitivememberof).
    question.user
      ? attempt(async () =>
          (await all<{ roleTemplateId?: string }>(graph, "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,roleTemplateId")).flatMap((role) =>
            role.roleTemplateId ? [role.roleTemplateId] : [],
          ),
        )
      : undefined,
    Promise.all(
      question.names.map(async (name) => ({
        name,
        found: await attempt(() => all<RegistrationFacts>(graph, `/v1.0/applications?$filter=${encodeURIComponent(`displayName eq ${literal(name)}`)}&$select=${APP_FIELDS}`)),
      })),
    ),
    attempt(() => graph.get<AppManagementPolicy>("/v1.0/policies/defaultAppManagementPolicy")),
    question.existingApplicationId === undefined ? undefined : readTakeover(graph, question.existingApplicationId),
  ]);
  return { directoryRoles, graphServicePrincipal, namesakes, defaultPolicy, takeover };
}

async function readTakeover(graph: GraphClient, clientId: string): Promise<TakeoverFacts> {
  const [registration, servicePrincipal] = await Promise.all([
    attempt(async () => (await all<RegistrationFacts>(graph, `/v1.0/applications?$filter=${encodeURIComponent(`appId eq ${literal(clientId)}`)}&$select=${APP_FIELDS}`))[0]),
    attempt(async () => (await all<{ id: string }>(graph, `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq ${literal(clientId)}`)}&$select=id`))[0]),
  ]);
  if (!registration.ok || registration.value === undefined) return { clientId, registration };
  const id = encodeURIComponent(registration.value.id);
  const [owners, assignedPolicies, grants] = await Promise.all([
    attempt(() => all<OwnerFacts>(graph, `/v1.0/applications/${id}/owners?$select=id,displayName,userPrincipalName`)),
    attempt(() => all<AppManagementPolicy>(graph, `/v1.0/applications/${id}/appManagementPolicies`)),
    servicePrincipal.ok && servicePrincipal.value !== undefined
      ? attempt(() => all<GrantFacts>(graph, `/v1.0/servicePrincipals/${encodeURIComponent(servicePrincipal.value!.id)}/appRoleAssignments`))
      : undefined,
  ]);
  return { clientId, registration, owners, assignedPolicies, servicePrincipal, grants };
}

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const items: T[] = [];
  for await (const page of graph.pages<T>(path)) items.push(...page);
  return items;
}

async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    if (!(err instanceof GraphRequestError)) throw err;
    return { ok: false, status: err.status, code: err.graphError?.code, message: err.message, unreachable: err.unreachable };
  }
}
