import { Cloud, CloudName } from "../catalogue/clouds";
import { UserError } from "../errors";
import { isGuid } from "../identifiers";

/** What one customer's admin-consent link is made of. */
export interface ConsentLinkInput {
  /** The customer's cloud: its login host serves the consent page, its Graph root names the scope. */
  cloud: Cloud;
  /** The customer's tenant: the admin signs in there, and the consent is recorded there. */
  tenantId: string;
  /** The partner's pipeline app (registered in the partner's tenant of the same cloud). */
  clientId: string;
  /** Registered on the partner app as a web redirect URI; Entra sends the admin there afterwards. */
  redirectUri: string;
  /** Echoed back to the redirect URI (the stack name, so the page can say which customer consented). */
  state?: string;
}

/**
 * The v2.0 admin-consent link (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent):
 * `<login host>/<tenant>/v2.0/adminconsent?client_id=…&scope=<graph root>/.default&redirect_uri=…&state=…`.
 * The v2 endpoint rather than v1's `/adminconsent?client_id=` because it names every parameter
 * Microsoft documents as required, and "in order to request app permissions, you must use the
 * /.default value": `/.default` asks for exactly the Graph application permissions configured on
 * the partner app, nothing chosen at run time. The tenant is the customer's GUID, never
 * `common`/`organizations`, so an admin signed in elsewhere cannot consent for the wrong tenant.
 */
export function adminConsentLink(input: ConsentLinkInput): string {
  if (!isGuid(input.tenantId))
    throw new UserError(`The tenant ID '${input.tenantId}' is not a GUID; give the customer's Directory (tenant) ID from the Entra admin center (Overview).`);
  if (!isGuid(input.clientId))
    throw new UserError(`The partner app ID '${input.clientId}' is not a GUID; give the Application (client) ID of the partner's pipeline app (partner.yaml).`);
  checkRedirectUri(input.redirectUri);
  const query = new URLSearchParams({
    client_id: input.clientId.toLowerCase(),
    scope: `${input.cloud.graphRoot.replace(/\/+$/, "")}/.default`,
    redirect_uri: input.redirectUri,
  });
  if (input.state !== undefined) query.set("state", input.state);
  return `${input.cloud.loginHost.replace(/\/+$/, "")}/${input.tenantId.toLowerCase()}/v2.0/adminconsent?${query.toString()}`;
}

/**
 * Entra sends the admin to the redirect URI after consenting, with the tenant and scope in the
 * query: an https page the partner controls (Microsoft allows http only for localhost), registered
 * on the partner app exactly as written here.
 */
export function checkRedirectUri(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(
      `The consent redirect URI '${value}' is not an address; give an https page of the partner's own site, for example https://www.partner.example/nexxt/consented.`,
    );
  }
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "" || url.hash !== "") {
    throw new UserError(
      `The consent redirect URI '${value}' must be a plain https address (no credentials, no #fragment); give an https page of the partner's own site, for example https://www.partner.example/nexxt/consented.`,
    );
  }
}

/**
 * The tenant-wide admin-consent URL in its v1 form, as Microsoft gives it:
 * https://login.microsoftonline.com/{organization}/adminconsent?client_id={client-id}
 * (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent,
 * "Construct the URL for granting tenant-wide admin consent"). Used for an app that is not one of
 * partner.yaml's: its registered redirect URI is not known here, and v2 requires one.
 */
export function tenantWideConsentUrl(loginHost: string, tenantId: string, clientId: string): string {
  return `${loginHost.replace(/\/+$/, "")}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

/** What consentLinkFor reads of partner.yaml (partnerConfig.ts imports this module, so no type from there). */
interface PartnerApps {
  consentRedirectUri: string;
  apps: Partial<Record<CloudName, { deploy: string; preview?: string }>>;
}

/**
 * The consent link for the app that signs in to a customer's tenant: the same v2 link
 * `new-customer` prints when it is one of partner.yaml's apps of this cloud, else the v1 form.
 */
export function consentLinkFor(input: { cloud: Cloud; loginHost: string; tenantId: string; clientId: string; partner: PartnerApps | undefined }): string {
  const apps = input.partner?.apps[input.cloud.name];
  const clientId = input.clientId.toLowerCase();
  if (input.partner !== undefined && apps !== undefined && [apps.deploy, apps.preview].some((id) => id?.toLowerCase() === clientId)) {
    return adminConsentLink({
      cloud: { ...input.cloud, loginHost: input.loginHost },
      tenantId: input.tenantId,
      clientId,
      redirectUri: input.partner.consentRedirectUri,
    });
  }
  return tenantWideConsentUrl(input.loginHost, input.tenantId, input.clientId);
}
