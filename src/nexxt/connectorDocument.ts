import { UserError } from "../errors";
import { COMPANY_ID_RULE, GUID_EXAMPLE, hasControlCharacters, isCompanyId, isGuid } from "../identifiers";
import { isLoopbackHost } from "../http/urlPolicy";
import { parseIsoInstant } from "../util/strictDate";
import { registerSecret } from "../util/redact";

/**
 * The Nexxt connector configuration: what the guide's step 5 had the admin copy by hand. One
 * JSON document per customer, the same shape in the file sink, the HTTPS push and every command
 * that reads it (verify, map-users, secrets-report, push-config).
 */
export interface ConnectorDocument {
  /** The Toepassings-id: the application (client) ID. */
  applicationId: string;
  /** The API sleutel: the client secret. Never log it. */
  apiKey: string;
  /** The v1 token endpoint, https://<login host>/<tenantId>/oauth2/token. */
  oauth2TokenEndpoint: string;
  tenantId: string;
  companyId: string;
  /** ISO 8601. */
  secretExpiresAt: string;
  /** Graph application permission names that admin consent granted. */
  permissions: string[];
}

/**
 * Checks a parsed JSON value against the document shape, as strictly as the program writes it:
 * GUIDs, a Company ID, the v1 token endpoint of this very tenant over https, an ISO 8601 expiry,
 * one-line values. `source` names the file or URL in the error. No error quotes a value of the
 * document: a secret pasted into the wrong field would be printed (and apiKey is registered with
 * the redactor the moment it is read).
 */
export function parseConnectorDocument(value: unknown, source: string): ConnectorDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UserError(`${source} is not a Nexxt connector configuration: expected a JSON object with applicationId, apiKey and oauth2TokenEndpoint.`);
  }
  const record = value as Record<string, unknown>;
  registerSecret(typeof record.apiKey === "string" ? record.apiKey : undefined);
  const text = (key: keyof ConnectorDocument): string => {
    const field = record[key];
    if (typeof field !== "string" || field.trim() === "") {
      throw new UserError(`${source}: field '${key}' is missing or empty; it must be a non-empty string (regenerate the file with \`pulumi up\`).`);
    }
    if (hasControlCharacters(field)) {
      throw new UserError(`${source}: field '${key}' holds a line break or another control character; regenerate the file with \`pulumi up\`.`);
    }
    return field;
  };
  const doc: ConnectorDocument = {
    applicationId: text("applicationId"),
    apiKey: text("apiKey"),
    oauth2TokenEndpoint: text("oauth2TokenEndpoint"),
    tenantId: text("tenantId"),
    companyId: text("companyId"),
    secretExpiresAt: text("secretExpiresAt"),
    permissions: [],
  };
  for (const key of ["applicationId", "tenantId"] as const) {
    if (!isGuid(doc[key])) {
      throw new UserError(`${source}: field '${key}' is not a GUID (its value is not shown); expected one such as ${GUID_EXAMPLE} (regenerate the file with \`pulumi up\`).`);
    }
  }
  if (!isCompanyId(doc.companyId)) {
    throw new UserError(`${source}: field 'companyId' is not a Nexxt Company ID; ${COMPANY_ID_RULE}, for example 4711.`);
  }
  checkTokenEndpoint(doc.oauth2TokenEndpoint, doc.tenantId, source);
  if (parseIsoInstant(doc.secretExpiresAt) === undefined) {
    throw new UserError(`${source}: field 'secretExpiresAt' is not an ISO 8601 instant that exists, such as 2027-11-27T00:00:00Z.`);
  }
  const permissions = record.permissions;
  if (!Array.isArray(permissions) || permissions.some((p) => typeof p !== "string" || p.trim() === "" || hasControlCharacters(p))) {
    throw new UserError(`${source}: field 'permissions' must be a list of Graph permission names such as ["User.Read.All", "Contacts.Read"].`);
  }
  doc.permissions = permissions as string[];
  return doc;
}

/**
 * The v1 endpoint exactly as the program writes it, https://<login host>/<tenantId>/oauth2/token
 * (plain http only to a loopback test server), for the document's own tenant: an endpoint of
 * another tenant or the v2 path (/oauth2/v2.0/token, which wants a scope, not a resource) would
 * not work for Nexxt, so it is an error here, not something to replace quietly.
 */
function checkTokenEndpoint(endpoint: string, tenantId: string, source: string): void {
  const example = `https://login.microsoftonline.com/${tenantId}/oauth2/token`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UserError(`${source}: field 'oauth2TokenEndpoint' is not a URL; expected the v1 token endpoint ${example}.`);
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  if (!secure || url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new UserError(`${source}: field 'oauth2TokenEndpoint' must be an https URL without user name, password or query; expected ${example}.`);
  }
  const segments = url.pathname.split("/");
  if (/\/oauth2\/v2\.0\/token\/?$/i.test(url.pathname)) {
    throw new UserError(`${source}: field 'oauth2TokenEndpoint' is the v2 endpoint (/oauth2/v2.0/token); Nexxt signs in with the v1 form ${example}.`);
  }
  if (segments.length !== 4 || segments[2] !== "oauth2" || segments[3] !== "token") {
    throw new UserError(`${source}: field 'oauth2TokenEndpoint' is not of the v1 form <login host>/<tenant>/oauth2/token; expected ${example}.`);
  }
  if (segments[1].toLowerCase() !== tenantId.toLowerCase()) {
    throw new UserError(`${source}: field 'oauth2TokenEndpoint' names another tenant than field 'tenantId' (${tenantId}); Nexxt would sign in elsewhere: expected ${example}.`);
  }
}

/** Field order is fixed so the file and the pushed body are byte-identical for the same values. */
export function serializeConnectorDocument(doc: ConnectorDocument): string {
  const ordered: ConnectorDocument = {
    applicationId: doc.applicationId,
    apiKey: doc.apiKey,
    oauth2TokenEndpoint: doc.oauth2TokenEndpoint,
    tenantId: doc.tenantId,
    companyId: doc.companyId,
    secretExpiresAt: doc.secretExpiresAt,
    permissions: [...doc.permissions],
  };
  return JSON.stringify(ordered, null, 2) + "\n";
}
