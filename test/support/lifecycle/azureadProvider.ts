import { randomBytes, randomUUID } from "node:crypto";
import { ruleOf } from "./replaceRules";
import type { SimTenant, TenantApplication, TenantServicePrincipal } from "./tenant";

/**
 * The azuread provider's create/read/update/delete against the simulated tenant, with the
 * provider's own refusals. Outputs are what the provider reads back, not the inputs echoed.
 */
export interface ProviderResult {
  id: string;
  outputs: Record<string, unknown>;
}

type Inputs = Record<string, unknown>;

const objectIdOf = (resourceId: unknown) =>
  String(resourceId ?? "")
    .split("/")
    .pop() ?? "";

export class SimAzureadProvider {
  constructor(private readonly tenant: SimTenant) {}

  private appByResourceId(resourceId: unknown): TenantApplication {
    const app = this.tenant.app(objectIdOf(resourceId));
    if (!app) throw new Error(`retrieving application ${String(resourceId)}: 404 Not Found`);
    return app;
  }

  create(type: string, inputs: Inputs): ProviderResult {
    const t = this.tenant;
    switch (type) {
      case "azuread:index/application:Application": {
        const namesake = inputs.preventDuplicateNames ? t.applications.find((a) => a.displayName === inputs.displayName) : undefined;
        if (namesake) {
          // tf.ImportAsDuplicateDiag (internal/helpers/tf/errors.go), raised by application_resource.go.
          throw new Error(
            `An existing "azuread_application" with name "${String(inputs.displayName)}" (ID: "/applications/${namesake.objectId}") was found and \`prevent_duplicate_names\` was specified`,
          );
        }
        const app: TenantApplication = {
          objectId: randomUUID(),
          clientId: randomUUID(),
          displayName: String(inputs.displayName ?? ""),
          signInAudience: String(inputs.signInAudience ?? "AzureADMyOrg"),
          notes: String(inputs.notes ?? ""),
          // The caller is added on create and removed again unless the config lists it
          // (applicationResourceCreate, removeCallerOwner): the owners are the configured ones.
          owners: ownersOf(inputs),
          requiredResourceAccess: toTenantAccess(inputs.requiredResourceAccesses),
          passwords: [],
          extra: {},
        };
        writeOtherFields(type, app.extra, inputs);
        t.applications.push(app);
        return { id: `/applications/${app.objectId}`, outputs: { ...this.readApplication(app), preventDuplicateNames: inputs.preventDuplicateNames } };
      }
      case "azuread:index/servicePrincipal:ServicePrincipal": {
        if (t.servicePrincipals.some((sp) => sp.clientId === inputs.clientId)) {
          throw new Error(
            `Creating service principal for application with client ID "${String(inputs.clientId)}": 409 Conflict: The service principal already exists (set use_existing or import it)`,
          );
        }
        const app = t.applications.find((a) => a.clientId === inputs.clientId);
        const sp: TenantServicePrincipal = {
          objectId: randomUUID(),
          clientId: String(inputs.clientId),
          displayName: app?.displayName ?? "",
          notes: String(inputs.notes ?? ""),
          owners: ownersOf(inputs),
          extra: {},
        };
        writeOtherFields(type, sp.extra, inputs);
        t.servicePrincipals.push(sp);
        return { id: `/servicePrincipals/${sp.objectId}`, outputs: this.read(type, `/servicePrincipals/${sp.objectId}`)! };
      }
      case "azuread:index/applicationPassword:ApplicationPassword": {
        const app = this.appByResourceId(inputs.applicationId);
        const password = t.addPassword(app, {
          displayName: inputs.displayName as string | undefined,
          startDate: inputs.startDate === undefined ? undefined : new Date(String(inputs.startDate)),
          endDate: t.parseEndDate(inputs.endDate),
        });
        return { id: `${app.objectId}/password/${password.keyId}`, outputs: t.passwordState(app, password, inputs) };
      }
      case "azuread:index/appRoleAssignment:AppRoleAssignment": {
        const same = t.assignments.find(
          (a) => a.appRoleId === inputs.appRoleId && a.principalObjectId === inputs.principalObjectId && a.resourceObjectId === inputs.resourceObjectId,
        );
        if (same) throw new Error("Could not create app role assignment: 400 Bad Request: Permission being assigned already exists on the object");
        const assignment = {
          id: randomBytes(24).toString("base64url"),
          appRoleId: String(inputs.appRoleId),
          principalObjectId: String(inputs.principalObjectId),
          resourceObjectId: String(inputs.resourceObjectId),
        };
        t.assignments.push(assignment);
        const id = `/servicePrincipals/${assignment.resourceObjectId}/appRoleAssignedTo/${assignment.id}`;
        return { id, outputs: this.read(type, id)! };
      }
      case "azuread:index/applicationApiAccess:ApplicationApiAccess": {
        const app = this.appByResourceId(inputs.applicationId);
        const id = `/applications/${app.objectId}/apiAccess/${String(inputs.apiClientId)}`;
        // application_api_access_resource.go: an API the app already lists "requires import"
        // (metadata.ResourceRequiresImport, worded as tf.ImportAsExistsDiag).
        if (app.requiredResourceAccess.some((r) => r.resourceAppId.toLowerCase() === String(inputs.apiClientId).toLowerCase())) {
          throw new Error(`A resource with the ID "${id}" already exists. To be managed via Terraform, this resource needs to be imported into the State.`);
        }
        app.requiredResourceAccess.push({ resourceAppId: String(inputs.apiClientId), resourceAccess: accessesOf(inputs) });
        return { id, outputs: this.read(type, id)! };
      }
      default:
        throw new Error(`simulated azuread provider: no create for ${type}`);
    }
  }

  private readApplication(app: TenantApplication): Record<string, unknown> {
    return {
      ...readOtherFields("azuread:index/application:Application", app.extra),
      objectId: app.objectId,
      clientId: app.clientId,
      displayName: app.displayName,
      signInAudience: app.signInAudience,
      notes: app.notes,
      owners: [...app.owners],
      requiredResourceAccesses: app.requiredResourceAccess.map((r) => ({ resourceAppId: r.resourceAppId, resourceAccesses: r.resourceAccess.map((a) => ({ ...a })) })),
    };
  }

  /** The resource as Graph has it now; undefined when it is gone. */
  read(type: string, id: string): Record<string, unknown> | undefined {
    const t = this.tenant;
    switch (type) {
      case "azuread:index/application:Application": {
        const app = t.app(objectIdOf(id));
        return app && this.readApplication(app);
      }
      case "azuread:index/servicePrincipal:ServicePrincipal": {
        const sp = t.servicePrincipals.find((s) => s.objectId === objectIdOf(id));
        return (
          sp && {
            ...readOtherFields(type, sp.extra),
            objectId: sp.objectId,
            clientId: sp.clientId,
            notes: sp.notes,
            displayName: sp.displayName,
            owners: [...sp.owners],
          }
        );
      }
      case "azuread:index/applicationPassword:ApplicationPassword": {
        const [appObjectId, , keyId] = id.split("/");
        const app = t.app(appObjectId);
        const password = app?.passwords.find((p) => p.keyId === keyId);
        return app && password ? t.passwordState(app, password, {}) : undefined;
      }
      case "azuread:index/appRoleAssignment:AppRoleAssignment": {
        const a = t.assignments.find((x) => x.id === objectIdOf(id));
        return a && { appRoleId: a.appRoleId, principalObjectId: a.principalObjectId, resourceObjectId: a.resourceObjectId, principalType: "ServicePrincipal" };
      }
      case "azuread:index/applicationApiAccess:ApplicationApiAccess": {
        const [, , appObjectId, , apiClientId] = id.split("/");
        const api = t.app(appObjectId)?.requiredResourceAccess.find((r) => r.resourceAppId === apiClientId);
        if (!api) return undefined;
        const ids = (kind: string) => api.resourceAccess.filter((a) => a.type === kind).map((a) => a.id);
        return { applicationId: `/applications/${appObjectId}`, apiClientId, roleIds: ids("Role"), scopeIds: ids("Scope") };
      }
      default:
        throw new Error(`simulated azuread provider: no read for ${type}`);
    }
  }

  update(type: string, id: string, news: Inputs): Record<string, unknown> {
    const t = this.tenant;
    switch (type) {
      case "azuread:index/application:Application": {
        const app = this.appByResourceId(id);
        if (news.displayName !== undefined) app.displayName = String(news.displayName);
        // Optional with a Default: left out, the default is written.
        app.signInAudience = String(news.signInAudience ?? "AzureADMyOrg");
        // Optional, not computed: leaving them out of the config clears them in Graph.
        app.notes = String(news.notes ?? "");
        app.requiredResourceAccess = toTenantAccess(news.requiredResourceAccesses);
        app.owners = ownersOf(news);
        writeOtherFields(type, app.extra, news);
        return { ...this.readApplication(app), preventDuplicateNames: news.preventDuplicateNames };
      }
      case "azuread:index/servicePrincipal:ServicePrincipal": {
        const sp = t.servicePrincipals.find((s) => s.objectId === objectIdOf(id))!;
        sp.notes = String(news.notes ?? "");
        sp.owners = ownersOf(news);
        writeOtherFields(type, sp.extra, news);
        return this.read(type, id)!;
      }
      case "azuread:index/applicationApiAccess:ApplicationApiAccess": {
        const [, , appObjectId, , apiClientId] = id.split("/");
        const api = t.app(appObjectId)!.requiredResourceAccess.find((r) => r.resourceAppId === apiClientId)!;
        api.resourceAccess = accessesOf(news);
        return this.read(type, id)!;
      }
      default:
        throw new Error(`simulated azuread provider: ${type} has no in-place update`);
    }
  }

  delete(type: string, id: string): void {
    const t = this.tenant;
    switch (type) {
      case "azuread:index/application:Application": {
        const index = t.applications.findIndex((a) => a.objectId === objectIdOf(id));
        if (index >= 0) {
          // Deleting an application deletes its service principal in the home tenant too.
          const [app] = t.applications.splice(index, 1);
          for (const sp of t.servicePrincipals.filter((s) => s.clientId === app.clientId))
            this.delete("azuread:index/servicePrincipal:ServicePrincipal", `/servicePrincipals/${sp.objectId}`);
        }
        return;
      }
      case "azuread:index/servicePrincipal:ServicePrincipal": {
        const index = t.servicePrincipals.findIndex((s) => s.objectId === objectIdOf(id));
        if (index < 0) return;
        const [sp] = t.servicePrincipals.splice(index, 1);
        removeWhere(t.assignments, (a) => a.principalObjectId === sp.objectId);
        removeWhere(t.delegatedGrants, (g) => g.clientObjectId === sp.objectId);
        return;
      }
      case "azuread:index/applicationPassword:ApplicationPassword": {
        const [appObjectId, , keyId] = id.split("/");
        const app = t.app(appObjectId);
        if (app) removeWhere(app.passwords, (p) => p.keyId === keyId);
        return;
      }
      case "azuread:index/appRoleAssignment:AppRoleAssignment":
        removeWhere(t.assignments, (a) => a.id === objectIdOf(id));
        return;
      case "azuread:index/applicationApiAccess:ApplicationApiAccess": {
        const [, , appObjectId, , apiClientId] = id.split("/");
        const app = t.app(appObjectId);
        if (app) removeWhere(app.requiredResourceAccess, (r) => r.resourceAppId === apiClientId);
        return;
      }
      default:
        throw new Error(`simulated azuread provider: no delete for ${type}`);
    }
  }
}

/** The fields held in a Graph object's `extra` bag: every table field but those handled by name. */
const NAMED_FIELDS = new Set(["displayName", "signInAudience", "notes", "owners", "requiredResourceAccesses", "clientId"]);

function otherFields(type: string): [string, ReturnType<typeof ruleOf>["fields"][string]][] {
  return Object.entries(ruleOf(type).fields).filter(([name, rule]) => !NAMED_FIELDS.has(name) && !rule.stateOnly && rule.omitted !== "required");
}

/** What the provider reads back for the other fields: Graph's value, or the schema default. */
function readOtherFields(type: string, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, rule] of otherFields(type)) {
    const value = extra[name] ?? (rule.omitted === "defaulted" ? rule.default : undefined);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The provider's create/update of the other fields, as the table says an omitted input acts. */
function writeOtherFields(type: string, extra: Record<string, unknown>, inputs: Inputs): void {
  for (const [name, rule] of otherFields(type)) {
    const value = inputs[name];
    if (value !== undefined) extra[name] = value;
    else if (rule.omitted === "cleared") delete extra[name];
    else if (rule.omitted === "defaulted") extra[name] = rule.default;
    // computed: left as Graph has it.
  }
}

function ownersOf(inputs: Inputs): string[] {
  return Array.isArray(inputs.owners) ? inputs.owners.map(String) : [];
}

function removeWhere<T>(items: T[], predicate: (item: T) => boolean): void {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) items.splice(i, 1);
}

function toTenantAccess(value: unknown): TenantApplication["requiredResourceAccess"] {
  if (!Array.isArray(value)) return [];
  return value.map((r: { resourceAppId: string; resourceAccesses?: { id: string; type: string }[] }) => ({
    resourceAppId: r.resourceAppId,
    resourceAccess: (r.resourceAccesses ?? []).map((a) => ({ id: a.id, type: a.type })),
  }));
}

function accessesOf(inputs: Inputs): { id: string; type: string }[] {
  const roles = ((inputs.roleIds as string[] | undefined) ?? []).map((id) => ({ id, type: "Role" }));
  const scopes = ((inputs.scopeIds as string[] | undefined) ?? []).map((id) => ({ id, type: "Scope" }));
  return [...roles, ...scopes];
}
