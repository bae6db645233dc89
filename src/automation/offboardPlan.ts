/**
 * What `offboard` (pulumi destroy) removes from a customer's tenant and what deliberately stays,
 * read from the stack's exported state (`pulumi stack export`, no secrets): each resource's type,
 * its plain outputs and its retainOnDelete flag (pulumi/pulumi sdk/go/common/apitype/core.go,
 * ResourceV3). Pure, so every case is tested without a CLI.
 */
export interface StayingItem {
  what: string;
  /** ISO date it goes by itself, when it does. */
  until?: string;
  /** How to remove it now, if the customer wants it gone. */
  remove: string;
}

export interface OffboardPlan {
  /** Resources the destroy deletes, as "type name". */
  deleted: string[];
  /** What stays in the customer's tenant or in Nexxt, each with how to remove it. */
  stays: StayingItem[];
  /** The Nexxt connector configuration: DELETEd by the destroy, kept (retainOnDelete), or never pushed. */
  nexxt: { pushed: false } | { pushed: true; url?: string; removed: boolean };
  /** The registration's client ID, when the state has it. */
  applicationId?: string;
}

const APPLICATION = "azuread:index/application:Application";
const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal";
const PUSH = "pulumi-nodejs:dynamic/nexxt:NexxtConfigPush";

interface StateResource {
  urn: string;
  type: string;
  outputs: Record<string, unknown>;
  retainOnDelete: boolean;
}

function resourcesOf(exported: unknown): StateResource[] {
  const resources = (exported as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
  if (!Array.isArray(resources)) return [];
  return resources
    .filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null && typeof r.type === "string" && typeof r.urn === "string")
    .map((r) => ({ urn: r.urn as string, type: r.type as string, outputs: (r.outputs as Record<string, unknown>) ?? {}, retainOnDelete: r.retainOnDelete === true }));
}

/** A plain string output; a secret (an object holding ciphertext in an export) is never read. */
function text(resource: StateResource | undefined, key: string): string | undefined {
  const value = resource?.outputs[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

export function offboardPlan(exported: unknown, companyId: string): OffboardPlan {
  const resources = resourcesOf(exported).filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
  const app = resources.find((r) => r.type === APPLICATION);
  const sp = resources.find((r) => r.type === SERVICE_PRINCIPAL);
  const push = resources.find((r) => r.type === PUSH);
  const appName = text(app, "displayName") ?? "the Nexxt registration";
  const clientId = text(app, "clientId");
  const registration = `${appName}${clientId ? ` (client ID ${clientId})` : ""}`;
  const plan: OffboardPlan = { deleted: [], stays: [], nexxt: { pushed: false }, applicationId: clientId };

  // A retained secret of a registration the destroy deletes goes with it (a password lives in its
  // application object); only a retained registration keeps its retained secrets.
  const appDeleted = app !== undefined && !app.retainOnDelete;
  for (const resource of resources) {
    if (!resource.retainOnDelete || (appDeleted && resource.type === PASSWORD)) plan.deleted.push(`${resource.type} ${nameOf(resource.urn)}`);
  }

  if (app?.retainOnDelete) {
    // A taken-over registration was the customer's before: the destroy leaves it, its owners and
    // the consents it had; only the grants and the secrets this stack made (not retained) go.
    plan.stays.push({
      what: `The registration ${registration}: it existed before this stack took it over (nexxt:existingApplicationId), so it is left as the customer had it.`,
      remove: `Entra admin center > App registrations > ${appName} > Delete, if the customer no longer wants it.`,
    });
    if (sp?.retainOnDelete) {
      plan.stays.push({
        what: `Its enterprise application (service principal) and the consents it had before the takeover.`,
        remove: `Entra admin center > Enterprise applications > ${appName} > Properties > Delete (or it goes with the registration).`,
      });
    }
    for (const secret of resources.filter((r) => r.type === PASSWORD && r.retainOnDelete)) {
      const until = text(secret, "endDate");
      plan.stays.push({
        what: `Client secret ${text(secret, "displayName") ?? nameOf(secret.urn)}${text(secret, "keyId") ? ` (key ID ${text(secret, "keyId")})` : ""}: kept because Nexxt may still have held it; it stops working by itself${until ? ` on ${until.slice(0, 10)}` : ""}.`,
        until,
        remove: `Entra admin center > App registrations > ${appName} > Certificates & secrets > delete it, once Nexxt no longer signs in with it.`,
      });
    }
  } else if (app) {
    // A deleted application "is moved to a temporary container and can be restored within 30
    // days" (Microsoft Graph reference, application: delete,
    // https://learn.microsoft.com/graph/api/application-delete).
    plan.stays.push({
      what: `The deleted registration ${registration} stays in Entra's recycle bin for 30 days (restorable), with its secrets unusable.`,
      remove: `Entra admin center > App registrations > Deleted applications > ${appName} > Delete permanently.`,
    });
  }

  if (push) {
    const url = text(push, "url");
    const retained = push.outputs.retainOnDelete === true || push.retainOnDelete;
    plan.nexxt = { pushed: true, url, removed: !retained };
    if (retained) {
      plan.stays.push({
        what: `The connector configuration in Nexxt${url ? ` (${url})` : ""}: nexxt:retainOnDelete is true, so it was not deleted; Nexxt can no longer sign in with it.`,
        remove: `Remove the Office 365 connection of company ${companyId} in Nexxt, or set nexxt:retainOnDelete to false before offboarding.`,
      });
    }
  } else if (app) {
    plan.stays.push({
      what: `The values someone pasted into Nexxt for company ${companyId} (this stack never pushed them): Nexxt can no longer sign in with them.`,
      remove: `Remove the Office 365 connection of company ${companyId} in Nexxt by hand.`,
    });
  }
  return plan;
}
