import { randomBytes, randomUUID } from "node:crypto";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/catalogue/clouds";
import { GRAPH_PERMISSIONS } from "../../../src/catalogue/graphPermissions";
import { fakeClientSecret } from "../../../src/plan/offlineTenant";
import type { SimClock } from "./clock";
import { parseRfc3339, rfc3339Seconds } from "./readBack";
import { noneFoundMessage, providerFilter, severalFoundMessage } from "../../../src/program/providerLookupMessages";
import { DAY_MS } from "../../../src/util/time";

/**
 * A customer's Entra tenant as the azuread provider sees it through Microsoft Graph. It holds
 * objects, not Pulumi state: what survives a `destroy`, what a hand-made registration already
 * has, and which secrets exist on a given day are all read from here.
 */
export interface TenantPassword {
  keyId: string;
  displayName: string;
  startDate: Date;
  endDate: Date;
  value: string;
}

export interface TenantApplication {
  objectId: string;
  clientId: string;
  displayName: string;
  signInAudience: string;
  notes: string;
  owners: string[];
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  passwords: TenantPassword[];
  /** Every other field the provider reads back, by its Pulumi input name (description, web, ...). */
  extra: Record<string, unknown>;
}

export interface TenantServicePrincipal {
  objectId: string;
  clientId: string;
  displayName: string;
  notes: string;
  owners: string[];
  /** Every other field the provider reads back, by its Pulumi input name. */
  extra: Record<string, unknown>;
}

export interface TenantAssignment {
  id: string;
  appRoleId: string;
  principalObjectId: string;
  resourceObjectId: string;
}

/** A Graph failure as the provider surfaces it (its message names the HTTP status). */
export type LookupFault = "authorization" | "throttling";

export const USER_READ_SCOPE = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

export class SimTenant {
  readonly applications: TenantApplication[] = [];
  readonly servicePrincipals: TenantServicePrincipal[] = [];
  readonly assignments: TenantAssignment[] = [];
  /** Delegated consent (oauth2PermissionGrants): never touched by the program, must survive. */
  readonly delegatedGrants: { clientObjectId: string; scope: string }[] = [];
  readonly graph: TenantServicePrincipal & { appRoleIds: Record<string, string> };
  /** Makes every application lookup (azuread.getApplication) fail this way, until cleared. */
  lookupFault?: LookupFault;

  constructor(
    readonly tenantId: string,
    private readonly clock: SimClock,
  ) {
    this.graph = {
      objectId: "0b6b9a35-7c3f-4f4a-9d8e-2f1c5a7e6d40",
      clientId: MICROSOFT_GRAPH_APP_ID,
      displayName: "Microsoft Graph",
      notes: "",
      owners: [],
      extra: {},
      appRoleIds: Object.fromEntries([...GRAPH_PERMISSIONS.values()].map((p) => [p.name, p.id])),
    };
  }

  /**
   * A registration made by hand in the portal, as the guide makes it: its creator is its owner (of
   * the app and of its service principal), the portal lists Microsoft Graph's delegated User.Read
   * (with admin consent, a delegated grant) and the application roles granted, and it carries a
   * hand-made secret. `graphEntry: false`: the Graph entry was removed, nothing is listed or granted.
   */
  addHandMadeRegistration(
    displayName: string,
    grantedRoles: string[],
    options: { graphEntry?: boolean; extra?: Record<string, unknown>; servicePrincipalExtra?: Record<string, unknown> } = {},
  ): { app: TenantApplication; sp: TenantServicePrincipal } {
    const withGraph = options.graphEntry !== false;
    const roleIds = withGraph ? grantedRoles.map((name) => this.graph.appRoleIds[name]) : [];
    const creator = randomUUID();
    const app: TenantApplication = {
      objectId: randomUUID(),
      clientId: randomUUID(),
      displayName,
      signInAudience: "AzureADMultipleOrgs",
      notes: "",
      owners: [creator],
      requiredResourceAccess: withGraph
        ? [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: USER_READ_SCOPE, type: "Scope" }, ...roleIds.map((id) => ({ id, type: "Role" }))] }]
        : [],
      passwords: [],
      extra: { ...options.extra },
    };
    this.applications.push(app);
    this.addPassword(app, { displayName: "made by hand", endDate: new Date(this.clock.now().getTime() + 180 * DAY_MS) });
    const sp: TenantServicePrincipal = { objectId: randomUUID(), clientId: app.clientId, displayName, notes: "", owners: [creator], extra: { ...options.servicePrincipalExtra } };
    this.servicePrincipals.push(sp);
    for (const id of roleIds)
      this.assignments.push({ id: randomBytes(24).toString("base64url"), appRoleId: id, principalObjectId: sp.objectId, resourceObjectId: this.graph.objectId });
    if (withGraph) this.delegatedGrants.push({ clientObjectId: sp.objectId, scope: "User.Read" });
    return { app, sp };
  }

  /** The application roles granted to a service principal on Microsoft Graph, by name. */
  grantedRoles(spObjectId: string): string[] {
    const names = Object.fromEntries(Object.entries(this.graph.appRoleIds).map(([name, id]) => [id, name]));
    return this.assignments
      .filter((a) => a.principalObjectId === spObjectId && a.resourceObjectId === this.graph.objectId)
      .map((a) => names[a.appRoleId])
      .sort();
  }

  addPassword(app: TenantApplication, args: { displayName?: string; startDate?: Date; endDate?: Date }): TenantPassword {
    const now = this.clock.now();
    // Graph refuses a credential that has already ended.
    if (args.endDate && args.endDate.getTime() <= now.getTime()) throw new Error(`Graph: 400 Bad Request: endDateTime ${args.endDate.toISOString()} is in the past`);
    const password: TenantPassword = {
      keyId: randomUUID(),
      displayName: args.displayName ?? "",
      // Seconds precision: Graph does not keep milliseconds.
      startDate: new Date(Math.floor((args.startDate ?? now).getTime() / 1000) * 1000),
      endDate: args.endDate ?? new Date(now.getTime() + 2 * 365 * DAY_MS),
      value: fakeClientSecret(),
    };
    app.passwords.push(password);
    return password;
  }

  app(objectId: string): TenantApplication | undefined {
    return this.applications.find((a) => a.objectId === objectId);
  }

  /** The secrets a connector can sign in with today. */
  validPasswords(app: TenantApplication): TenantPassword[] {
    const now = this.clock.now().getTime();
    return app.passwords.filter((p) => p.startDate.getTime() <= now && p.endDate.getTime() > now);
  }

  secretExists(value: string): TenantPassword | undefined {
    for (const app of this.applications) {
      const found = app.passwords.find((p) => p.value === value);
      if (found) return found;
    }
    return undefined;
  }

  // --- data sources, answered as the provider answers them ---

  private fault(): void {
    if (this.lookupFault === "authorization") {
      throw new Error("Listing applications: unexpected status 403 (403 Forbidden) with error: Authorization_RequestDenied: Insufficient privileges to complete the operation.");
    }
    if (this.lookupFault === "throttling") {
      throw new Error("Listing applications: unexpected status 429 (429 Too Many Requests) with error: TooManyRequests: Too many requests.");
    }
  }

  /** azuread.getApplication: OData filter on one field; the provider does not escape quotes. */
  getApplication(inputs: Record<string, unknown>): Record<string, unknown> {
    this.fault();
    let filter: string;
    let matches: TenantApplication[];
    if (typeof inputs.objectId === "string") {
      const app = this.app(inputs.objectId);
      if (!app) throw new Error(`Application with object ID "${inputs.objectId}" was not found`);
      matches = [app];
      filter = "";
    } else if (typeof inputs.clientId === "string") {
      filter = providerFilter("appId", inputs.clientId);
      matches = this.applications.filter((a) => a.clientId === inputs.clientId);
    } else {
      filter = providerFilter("displayName", inputs.displayName);
      matches = this.applications.filter((a) => a.displayName === inputs.displayName);
    }
    // application_data_source.go builds the filter with fmt.Sprintf and no escaping.
    if (/eq '.*'.*'/.test(filter)) {
      throw new Error(`Listing applications for filter "${filter}": unexpected status 400 (400 Bad Request) with error: BadRequest: Invalid filter clause`);
    }
    if (matches.length === 0) throw new Error(noneFoundMessage("application", filter));
    if (matches.length > 1) throw new Error(severalFoundMessage("application", filter));
    const app = matches[0];
    return {
      id: `/applications/${app.objectId}`,
      objectId: app.objectId,
      clientId: app.clientId,
      displayName: app.displayName,
      signInAudience: app.signInAudience,
      notes: app.notes,
      owners: app.owners,
      requiredResourceAccesses: app.requiredResourceAccess.map((r) => ({ resourceAppId: r.resourceAppId, resourceAccesses: r.resourceAccess })),
    };
  }

  getServicePrincipal(inputs: Record<string, unknown>): Record<string, unknown> {
    const all = [this.graph, ...this.servicePrincipals];
    const matches = all.filter((sp) => (inputs.clientId !== undefined && sp.clientId === inputs.clientId) || (inputs.objectId !== undefined && sp.objectId === inputs.objectId));
    const filter = providerFilter("appId", inputs.clientId ?? inputs.objectId);
    if (matches.length === 0) throw new Error(noneFoundMessage("servicePrincipal", filter));
    if (matches.length > 1) throw new Error(severalFoundMessage("servicePrincipal", filter));
    const sp = matches[0];
    const appRoleIds = sp === this.graph ? this.graph.appRoleIds : {};
    return { id: `/servicePrincipals/${sp.objectId}`, objectId: sp.objectId, clientId: sp.clientId, displayName: sp.displayName, notes: sp.notes, appRoleIds };
  }

  getClientConfig(): Record<string, unknown> {
    return { id: `clientConfigs/${this.tenantId}`, tenantId: this.tenantId, clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", objectId: "7f7f7f7f-0000-4000-8000-000000000007" };
  }

  // --- resources: create / read / update / delete as the provider does them ---

  parseEndDate(value: unknown): Date | undefined {
    return value === undefined ? undefined : parseRfc3339(value, "end_date");
  }

  passwordState(app: TenantApplication, p: TenantPassword, inputs: Record<string, unknown>): Record<string, unknown> {
    return {
      ...inputs,
      applicationId: `/applications/${app.objectId}`,
      keyId: p.keyId,
      displayName: p.displayName,
      startDate: rfc3339Seconds(p.startDate),
      endDate: rfc3339Seconds(p.endDate),
      value: p.value,
    };
  }
}
