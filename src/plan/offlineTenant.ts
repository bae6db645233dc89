import { randomBytes, randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID } from "../catalogue/clouds";
import { GRAPH_PERMISSIONS } from "../catalogue/graphPermissions";
import { noneFoundMessage, providerFilter, severalFoundMessage } from "../program/providerLookupMessages";

/**
 * A stand-in for a customer's tenant and the azuread provider, for the Pulumi mock runtime: the
 * offline `plan` runs the real program against it, and the tests extend it with faults. It
 * answers in the provider's shapes: an application's `id` is `/applications/<objectId>` and its
 * `clientId` another GUID; a service principal has its own object ID; a password's ID is
 * `<application objectId>/password/<keyId>`; an app role assignment's ID is
 * `/servicePrincipals/<resource objectId>/appRoleAssignedTo/<assignment id>`.
 */
export interface TenantFixture {
  /** The tenant the signed-in credentials belong to. */
  tenantId: string;
  /** Object ID of the tenant's Microsoft Graph service principal. */
  graphServicePrincipalObjectId: string;
  /** Graph's app roles as this tenant offers them (name -> ID). Defaults to the catalogue. */
  graphAppRoleIds: Record<string, string>;
  /** Registrations that already exist, found by display name or client ID. */
  applications: ExistingApplication[];
  /** The stack's outputs in its last checkpoint, as a stack reference to it reads them; none: a new stack. */
  stackOutputs?: Record<string, unknown>;
}

export interface ExistingApplication {
  objectId: string;
  clientId: string;
  displayName: string;
  signInAudience: string;
  notes: string;
  servicePrincipalObjectId?: string;
}

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The ID the mock answered with. */
  id: string;
  state: Record<string, unknown>;
  /** Set when the resource was registered with the `import` option. */
  importId?: string;
}

export function defaultTenantFixture(tenantId: string): TenantFixture {
  return {
    tenantId,
    graphServicePrincipalObjectId: "0b6b9a35-7c3f-4f4a-9d8e-2f1c5a7e6d40",
    graphAppRoleIds: Object.fromEntries([...GRAPH_PERMISSIONS.values()].map((p) => [p.name, p.id])),
    applications: [],
  };
}

/**
 * A data-source failure in the provider's words (application_data_source.go and
 * service_principal_data_source.go). The SDK reads an invoke error's gRPC `details` only
 * (runtime/invoke.js), so the message is put there too, or the program would see an empty one.
 */
function providerError(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

/** Looks like an Entra secret's length and alphabet, but cannot be mistaken for a real one. */
export function fakeClientSecret(): string {
  return `fake~${randomBytes(24).toString("base64url")}`;
}

export class OfflineTenant implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  readonly calls: { token: string; inputs: Record<string, unknown> }[] = [];

  /**
   * @param placeholders IDs read "<nexxt-app.clientId>" instead of random GUIDs: what the
   *   offline plan shows, since the real ones are only known after `pulumi up`.
   */
  constructor(
    readonly fixture: TenantFixture,
    private readonly placeholders = false,
  ) {}

  private newGuid(resourceName: string, attribute: string): string {
    return this.placeholders ? `<${resourceName}.${attribute}>` : randomUUID();
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    // The runtime passes "" rather than undefined when the resource is not imported.
    const importId = args.id || undefined;
    const { id, state } = this.answer(args.type, args.name, inputs, importId);
    this.resources.push({ type: args.type, name: args.name, inputs, id, state, importId });
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = args.inputs as Record<string, unknown>;
    this.calls.push({ token: args.token, inputs });
    switch (args.token) {
      case "azuread:index/getClientConfig:getClientConfig":
        return { id: `clientConfigs/${this.fixture.tenantId}`, tenantId: this.fixture.tenantId, clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", objectId: randomUUID() };
      case "azuread:index/getServicePrincipal:getServicePrincipal":
        return this.servicePrincipal(inputs);
      case "azuread:index/getApplication:getApplication":
        return this.application(inputs);
      default:
        // A data source the program did not call before must not pass silently.
        throw new Error(`offline tenant: unexpected call ${args.token}`);
    }
  }

  private servicePrincipal(inputs: Record<string, unknown>): Record<string, unknown> {
    if (inputs.clientId === MICROSOFT_GRAPH_APP_ID) {
      const objectId = this.fixture.graphServicePrincipalObjectId;
      return {
        id: `/servicePrincipals/${objectId}`,
        objectId,
        clientId: MICROSOFT_GRAPH_APP_ID,
        displayName: "Microsoft Graph",
        appRoleIds: this.fixture.graphAppRoleIds,
        appRoles: Object.entries(this.fixture.graphAppRoleIds).map(([value, id]) => ({
          id,
          value,
          displayName: GRAPH_PERMISSIONS.get(value)?.description ?? value,
          allowedMemberTypes: ["Application"],
          enabled: true,
        })),
      };
    }
    const app = this.fixture.applications.find((a) => a.clientId === inputs.clientId);
    if (!app?.servicePrincipalObjectId) throw providerError(noneFoundMessage("servicePrincipal", providerFilter("appId", inputs.clientId)));
    return { id: `/servicePrincipals/${app.servicePrincipalObjectId}`, objectId: app.servicePrincipalObjectId, clientId: app.clientId, displayName: app.displayName };
  }

  private application(inputs: Record<string, unknown>): Record<string, unknown> {
    const matches = this.fixture.applications.filter(
      (a) => (inputs.clientId !== undefined && a.clientId === inputs.clientId) || (inputs.displayName !== undefined && a.displayName === inputs.displayName),
    );
    const filter = inputs.clientId !== undefined ? providerFilter("appId", inputs.clientId) : providerFilter("displayName", inputs.displayName);
    if (matches.length === 0) throw providerError(noneFoundMessage("application", filter));
    if (matches.length > 1) throw providerError(severalFoundMessage("application", filter));
    const app = matches[0];
    return {
      id: `/applications/${app.objectId}`,
      objectId: app.objectId,
      clientId: app.clientId,
      displayName: app.displayName,
      signInAudience: app.signInAudience,
      notes: app.notes,
    };
  }

  private answer(type: string, name: string, inputs: Record<string, unknown>, importId: string | undefined): { id: string; state: Record<string, unknown> } {
    switch (type) {
      case "azuread:index/application:Application": {
        const objectId = importId?.split("/").pop() ?? this.newGuid(name, "objectId");
        const existing = this.fixture.applications.find((a) => a.objectId === objectId);
        return {
          id: `/applications/${objectId}`,
          state: { ...inputs, objectId, clientId: existing?.clientId ?? this.newGuid(name, "clientId"), publisherDomain: "contoso.onmicrosoft.com" },
        };
      }
      case "azuread:index/servicePrincipal:ServicePrincipal": {
        const objectId = importId?.split("/").pop() ?? this.newGuid(name, "objectId");
        return { id: `/servicePrincipals/${objectId}`, state: { ...inputs, objectId, applicationTenantId: this.fixture.tenantId, type: "Application" } };
      }
      case "azuread:index/applicationPassword:ApplicationPassword": {
        const keyId = this.newGuid(name, "keyId");
        const appObjectId = String(inputs.applicationId ?? "")
          .split("/")
          .pop();
        return { id: `${appObjectId}/password/${keyId}`, state: { ...inputs, keyId, value: fakeClientSecret(), startDate: new Date().toISOString() } };
      }
      case "azuread:index/appRoleAssignment:AppRoleAssignment":
        return {
          id: `/servicePrincipals/${String(inputs.resourceObjectId)}/appRoleAssignedTo/${randomBytes(24).toString("base64url")}`,
          state: { ...inputs, principalType: "ServicePrincipal", resourceDisplayName: "Microsoft Graph" },
        };
      case "azuread:index/applicationApiAccess:ApplicationApiAccess":
        return { id: `${String(inputs.applicationId)}/apiAccess/${String(inputs.apiClientId)}`, state: { ...inputs } };
      case "pulumi:pulumi:StackReference":
        // Read by name (the SDK sets the id to it); a stack without a checkpoint has no outputs
        // (getSnapshotStackOutputs, pkg/backend/diy/state.go).
        return { id: String(inputs.name), state: { name: inputs.name, outputs: this.fixture.stackOutputs ?? {}, secretOutputNames: [] } };
      default:
        return { id: `${type.split(":").pop()}-${randomUUID()}`, state: { ...inputs } };
    }
  }
}
