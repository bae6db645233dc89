import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID } from "../catalogue/clouds";
import { parseSettings } from "../config/schema";
import type { ConnectorSettings } from "../config/settings";
import { resolveGraphAppRoles } from "../connector/appRoles";
import { AdoptedRegistration, NexxtConnector, managedNote } from "../connector/connector";
import { assertSameTenant } from "../connector/tenantGuard";
import { UserError } from "../errors";
import { lookupFailure, lookupOutcome } from "./lookupErrors";
import { previousGrantedRoleIds } from "./previousGrants";

export interface ProgramOptions {
  /** The date the secret schedule is computed for: today for `pulumi up`, `--at` for `plan`. */
  now: Date;
  /** Options for the connector component (tests pass transformations to see each child's options). */
  componentOptions?: pulumi.ComponentResourceOptions;
}

/** The stack outputs: what Nexxt needs, and what the other commands read. */
export interface StackOutputs {
  applicationId: pulumi.Output<string>;
  tenantId: string;
  tokenEndpoint: string;
  clientSecret: pulumi.Output<string>;
  secretExpiresAt: pulumi.Output<string>;
  nextRotationAt: string;
  servicePrincipalObjectId: pulumi.Output<string>;
  grantedPermissions: pulumi.Output<string[]>;
  /** The Graph app role IDs this stack holds an assignment for: the next run reads them back (previousGrants.ts). */
  grantedRoleIds: pulumi.Output<string[]>;
  companyId: string;
  handoff: pulumi.Output<string>;
}

/**
 * The whole program. Everything that can be wrong is checked before the first resource is
 * registered: the config, the tenant the credentials belong to, the permissions the tenant's
 * Graph offers, and a namesake registration that is not ours.
 */
export async function nexxtProgram(options: ProgramOptions): Promise<StackOutputs> {
  try {
    return await defineStack(options);
  } catch (err) {
    // A RunError ends `pulumi up` with our sentence alone, not a stack trace around it.
    if (err instanceof UserError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

async function defineStack(options: ProgramOptions): Promise<StackOutputs> {
  const settings = parseSettings(stackConfig());
  const stackRef = `${pulumi.getProject()}/${pulumi.getStack()}`;

  const client = await azuread.getClientConfig();
  assertSameTenant(settings.tenantId, client.tenantId);

  const graph = await azuread.getServicePrincipal({ clientId: MICROSOFT_GRAPH_APP_ID });
  const appRoles = resolveGraphAppRoles(settings.permissions, graph.appRoleIds);
  const adopt = settings.existingApplicationId ? await findRegistrationToAdopt(settings.existingApplicationId, settings.tenantId, stackRef) : undefined;
  if (!adopt) await refuseNamesake(settings, stackRef);

  const connector = new NexxtConnector(
    "nexxt",
    {
      settings,
      stackRef,
      graphServicePrincipalObjectId: graph.objectId,
      appRoles,
      now: options.now,
      adopt,
      stackName: pulumi.getStack(),
      apiToken: settings.sink.apiUrl ? new pulumi.Config("nexxt").requireSecret("apiToken") : undefined,
    },
    options.componentOptions,
  );

  return {
    applicationId: connector.applicationId,
    tenantId: settings.tenantId,
    tokenEndpoint: connector.tokenEndpoint,
    clientSecret: connector.clientSecret,
    secretExpiresAt: connector.secretExpiresAt,
    nextRotationAt: connector.nextRotationAt,
    servicePrincipalObjectId: connector.servicePrincipalObjectId,
    grantedPermissions: connector.grantedPermissions,
    grantedRoleIds: connector.grantedRoleIds,
    companyId: settings.companyId,
    handoff: connector.handoff,
  };
}

/**
 * The stack's config. The azuread provider also takes its cloud from ARM_ENVIRONMENT, so that
 * counts as `azuread:environment` when the stack does not set it.
 */
function stackConfig(): Record<string, string> {
  const config = { ...pulumi.runtime.allConfig() };
  const armEnvironment = process.env.ARM_ENVIRONMENT;
  if (config["azuread:environment"] === undefined && armEnvironment) config["azuread:environment"] = armEnvironment;
  return config;
}

/**
 * `preventDuplicateNames` only fails at create time, with the provider's words. Looking first
 * lets us refuse before anything is created and say how to take the namesake over. Our own
 * registration (on a re-run) is recognised by the note we write on it.
 */
async function refuseNamesake(settings: ConnectorSettings, stackRef: string): Promise<void> {
  let found: azuread.GetApplicationResult | undefined;
  try {
    found = await azuread.getApplication({ displayName: settings.displayName });
  } catch (err) {
    // None, or several (which the provider's duplicate check still refuses at create time).
    if (lookupOutcome(err)) return;
    throw lookupFailure(`app registrations named '${settings.displayName}'`, settings.tenantId, err);
  }
  if (found.notes === managedNote(stackRef)) return;
  throw new UserError(
    `An app registration named '${settings.displayName}' already exists in tenant ${settings.tenantId} (client ID ${found.clientId}) and was not created by this stack; ` +
      `to take it over, set nexxt:existingApplicationId to ${found.clientId}, or choose another nexxt:displayName.`,
  );
}

async function findRegistrationToAdopt(clientId: string, tenantId: string, stackRef: string): Promise<AdoptedRegistration> {
  let app: azuread.GetApplicationResult;
  try {
    app = await azuread.getApplication({ clientId });
  } catch (err) {
    if (lookupOutcome(err) !== "none") throw lookupFailure(`the app registration with client ID ${clientId}`, tenantId, err);
    throw new UserError(
      `nexxt:existingApplicationId ${clientId} is not an app registration in tenant ${tenantId}; copy the Application (client) ID from Entra admin center > App registrations, or remove the key to create a new registration.`,
    );
  }
  let servicePrincipalObjectId: string | undefined;
  try {
    const found = await azuread.getServicePrincipal({ clientId });
    // One this stack created on an earlier run (it has our note) stays the stack's own: taking it
    // over now would record retainOnDelete and `destroy` would leave it behind.
    servicePrincipalObjectId = found.notes === managedNote(stackRef) ? undefined : found.objectId;
  } catch (err) {
    if (lookupOutcome(err) !== "none") throw lookupFailure(`the service principal of client ID ${clientId}`, tenantId, err);
    servicePrincipalObjectId = undefined;
  }
  const graph = (app.requiredResourceAccesses ?? []).find((r) => r.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID);
  const graphAccess = graph && {
    roleIds: graph.resourceAccesses.filter((a) => a.type === "Role").map((a) => a.id),
    scopeIds: graph.resourceAccesses.filter((a) => a.type === "Scope").map((a) => a.id),
  };
  return {
    applicationObjectId: app.objectId,
    servicePrincipalObjectId,
    displayName: app.displayName,
    signInAudience: app.signInAudience,
    graphAccess,
    grantedBefore: await previousGrantedRoleIds(),
  };
}
