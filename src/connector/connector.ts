import { utcTimestamp } from "../util/time";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID, v1TokenEndpoint } from "../catalogue/clouds";
import type { ConnectorSettings } from "../config/settings";
import type { ResolvedAppRole } from "./appRoles";
import { emitConnectorConfiguration } from "./connectorOutputs";
import { managedNote } from "./managedNote";
import { ScheduledSecret, graphDateTime, secretScheduleAt } from "../schedule/secretSchedule";
import { KEPT_APPLICATION_FIELDS, KEPT_SERVICE_PRINCIPAL_FIELDS } from "./takeover";

export const CONNECTOR_TYPE = "nexxt:office365:Connector";

/** What the program resolved before building: all plain values, checked against the tenant. */
export interface NexxtConnectorArgs {
  settings: ConnectorSettings;
  /** `<project>/<stack>`: marks the registration as ours in its notes. */
  stackRef: string;
  /** Object ID of the tenant's Microsoft Graph service principal (the grants' resource). */
  graphServicePrincipalObjectId: string;
  /** The permissions to grant, with app role IDs resolved from that service principal. */
  appRoles: ResolvedAppRole[];
  /** The program's clock: the secret schedule is a function of the date. */
  now: Date;
  /** When taking over a registration made by hand: its object IDs. */
  adopt?: AdoptedRegistration;
  /** The short stack name, for the connector file's name. */
  stackName: string;
  /** nexxt:apiToken (a secret), when nexxt:apiUrl is set. */
  apiToken?: pulumi.Output<string>;
}

export interface AdoptedRegistration {
  applicationObjectId: string;
  /** Undefined when the hand-made app has no service principal in this tenant yet. */
  servicePrincipalObjectId?: string;
  /** The existing registration's display name and audience, so the import matches as found. */
  displayName: string;
  signInAudience: string;
  /**
   * Microsoft Graph's entry in the registration's required permissions, when the portal already
   * put one there (it adds the delegated User.Read scope to every new registration).
   */
  graphAccess?: { roleIds: string[]; scopeIds: string[] };
  /**
   * The Graph app role IDs this stack granted on its last successful run (its `grantedRoleIds`
   * output; empty on the first). A role the registration lists is the customer's consent only
   * when the stack did not grant it: the list may gain the stack's own roles by hand later.
   */
  grantedBefore: string[];
}

/**
 * The Entra side of the Nexxt link: app registration, service principal, two rotating client
 * secrets and admin consent for the Graph application permissions. Resources come in three
 * waves: the application; then its service principal and secrets; then one grant per permission,
 * which need only the two service principals.
 */
export class NexxtConnector extends pulumi.ComponentResource {
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;
  readonly secrets: Partial<Record<"a" | "b", azuread.ApplicationPassword>>;
  readonly grants: azuread.AppRoleAssignment[];

  /** The Toepassings-id (application/client ID). */
  readonly applicationId: pulumi.Output<string>;
  readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** The newest secret's value: the API sleutel Nexxt must hold. */
  readonly clientSecret: pulumi.Output<string>;
  readonly secretExpiresAt: pulumi.Output<string>;
  readonly nextRotationAt: string;
  readonly tokenEndpoint: string;
  readonly grantedPermissions: pulumi.Output<string[]>;
  /** The app role IDs the stack holds an assignment for (sorted), once the assignments exist. */
  readonly grantedRoleIds: pulumi.Output<string[]>;
  /** The Customer Care hand-off (markdown, no secret). */
  readonly handoff: pulumi.Output<string>;

  constructor(name: string, args: NexxtConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CONNECTOR_TYPE, name, {}, opts);
    const { settings, adopt } = args;
    const child = (suffix: string) => `${name}-${suffix}`;

    const graphAccess = {
      resourceAppId: MICROSOFT_GRAPH_APP_ID,
      resourceAccesses: args.appRoles.map((role) => ({ id: role.id, type: "Role" })),
    };
    this.application = new azuread.Application(
      child("app"),
      {
        displayName: adopt?.displayName ?? settings.displayName,
        signInAudience: adopt?.signInAudience ?? "AzureADMultipleOrgs",
        requiredResourceAccesses: adopt ? undefined : [graphAccess],
        // Display names are not unique in Entra: a second "ClearVox Nexxt" is refused, not created.
        preventDuplicateNames: adopt ? undefined : true,
        notes: adopt ? undefined : managedNote(args.stackRef),
      },
      adopt
        ? {
            parent: this,
            import: `/applications/${adopt.applicationObjectId}`,
            // We did not create it, so `pulumi destroy` must not delete it; its owners, notes and
            // everything else stay as found (takeover.ts), Graph's entry is the ApiAccess below.
            retainOnDelete: true,
            ignoreChanges: [...KEPT_APPLICATION_FIELDS],
          }
        : { parent: this },
    );

    if (adopt?.graphAccess) {
      // The provider refuses to create an API the app already lists ("needs to be imported",
      // application_api_access_resource.go), so take the entry over as it is and leave it to the
      // customer on destroy: it was there before us.
      new azuread.ApplicationApiAccess(
        child("graph-access"),
        { applicationId: this.application.id, apiClientId: MICROSOFT_GRAPH_APP_ID, roleIds: adopt.graphAccess.roleIds, scopeIds: adopt.graphAccess.scopeIds },
        { parent: this, import: `/applications/${adopt.applicationObjectId}/apiAccess/${MICROSOFT_GRAPH_APP_ID}`, retainOnDelete: true },
      );
    }
    // A registration without Graph's entry gets none: the grants below are the consent (a token's
    // roles come from app role assignments, not from the list), and the list stays the customer's.
    // If the customer adds the entry later, the stack's grants stay its own (below).

    this.servicePrincipal = new azuread.ServicePrincipal(
      child("sp"),
      // A service principal the stack creates carries the note, also beside a taken-over
      // registration: the next run reads it and knows the principal is the stack's (destroy
      // removes it) rather than the customer's (destroy keeps it).
      { clientId: this.application.clientId, notes: adopt?.servicePrincipalObjectId ? undefined : managedNote(args.stackRef) },
      adopt?.servicePrincipalObjectId
        ? { parent: this, import: `/servicePrincipals/${adopt.servicePrincipalObjectId}`, retainOnDelete: true, ignoreChanges: [...KEPT_SERVICE_PRINCIPAL_FIELDS] }
        : { parent: this },
    );

    const schedule = secretScheduleAt(args.now, settings.rotation, args.stackName);
    this.secrets = {};
    for (const scheduled of [schedule.active, schedule.previous]) {
      if (!scheduled) continue;
      this.secrets[scheduled.slot] = new azuread.ApplicationPassword(
        child(`secret-${scheduled.slot}`),
        {
          applicationId: this.application.id,
          displayName: secretDisplayName(scheduled),
          // As Graph reads it back: `.000Z` would differ from the state and replace it every run.
          endDate: graphDateTime(scheduled.endDate),
          // The generation is what rotates the slot; the end date alone would too, but the keeper
          // says why the secret was replaced in `pulumi preview`.
          rotateWhenChanged: { generation: String(scheduled.generation) },
        },
        // Recorded in the state: when a later run replaces a secret Nexxt may still hold (after a
        // config change or months without a run), Pulumi leaves it in Entra to expire by itself.
        { parent: this, additionalSecretOutputs: ["value"], retainOnDelete: scheduled.retain },
      );
    }

    // A role the hand-made registration lists was consented with it (the portal's "Grant admin
    // consent" covers the list); creating its assignment again fails in Graph ("Permission being
    // assigned already exists on the object") and no data source lists assignments to import.
    // `bin/nexxt-onboard verify` checks the token's roles if that consent was never given.
    // But a role this stack granted stays the stack's, even when the customer later adds it to the
    // list by hand: read as "consented by hand", its grant would no longer be declared and Pulumi
    // would delete the assignment (issue 17, finding 2). So the decision rests on what the stack
    // itself granted on its last run, and no run removes a consent the configuration needs.
    const grantedBefore = new Set(adopt?.grantedBefore ?? []);
    const consented = new Set((adopt?.graphAccess?.roleIds ?? []).filter((id) => !grantedBefore.has(id)));
    const granting = args.appRoles.filter((role) => !consented.has(role.id));
    this.grants = granting.map(
      (role) =>
        new azuread.AppRoleAssignment(
          child(`grant-${role.name}`),
          {
            appRoleId: role.id,
            principalObjectId: this.servicePrincipal.objectId,
            resourceObjectId: args.graphServicePrincipalObjectId,
          },
          { parent: this },
        ),
    );

    // The provider's own error for a refused grant ("Insufficient privileges") does not say which
    // role is missing, and we cannot rewrite it; this line appears beside the grants in `pulumi up`.
    // Only with a real engine: on the mock runtime (plan, tests) it would go to stdout.
    if (this.grants.length > 0 && pulumi.runtime.hasEngine()) {
      void pulumi.log.info(
        "Admin consent for Microsoft Graph application permissions needs Global Administrator or Privileged Role Administrator " +
          "(a service principal needs AppRoleAssignment.ReadWrite.All); if a grant fails with Authorization_RequestDenied, sign in with such a role and run pulumi up again.",
        this,
      );
    }

    const active = this.secrets[schedule.active.slot]!;
    this.applicationId = this.application.clientId;
    this.servicePrincipalObjectId = this.servicePrincipal.objectId;
    this.clientSecret = pulumi.secret(active.value);
    this.secretExpiresAt = active.endDate;
    this.nextRotationAt = utcTimestamp(schedule.nextRotationAt);
    this.tokenEndpoint = v1TokenEndpoint(settings.cloud.loginHost, settings.tenantId);
    const names = args.appRoles.map((role) => role.name);
    this.grantedPermissions = pulumi.all(this.grants.map((grant) => grant.id)).apply(() => names);
    const grantedIds = granting.map((role) => role.id).sort();
    this.grantedRoleIds = pulumi.all(this.grants.map((grant) => grant.id)).apply(() => grantedIds);
    this.handoff = emitConnectorConfiguration(this, name, this, { settings, stackName: args.stackName, apiToken: args.apiToken });

    this.registerOutputs({
      applicationId: this.applicationId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      clientSecret: this.clientSecret,
      secretExpiresAt: this.secretExpiresAt,
      nextRotationAt: this.nextRotationAt,
      tokenEndpoint: this.tokenEndpoint,
      grantedPermissions: this.grantedPermissions,
      grantedRoleIds: this.grantedRoleIds,
      handoff: this.handoff,
    });
  }
}

/** Re-exported: the program and the tests import it from here. */
export { managedNote };

function secretDisplayName(scheduled: ScheduledSecret): string {
  return `nexxt-${scheduled.slot}-gen${scheduled.generation}`;
}
