import { UserError } from "../errors";
import { GUID_EXAMPLE, isGuid } from "../identifiers";

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
 * Checks a parsed JSON value against the document shape. `source` names the file or URL in the
 * error. The error never quotes apiKey.
 */
export function parseConnectorDocument(value: unknown, source: string): ConnectorDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UserError(`${source} is not a Nexxt connector configuration: expected a JSON object with applicationId, apiKey and oauth2TokenEndpoint.`);
  }
  const record = value as Record<string, unknown>;
  const text = (key: keyof ConnectorDocument): string => {
    const field = record[key];
    if (typeof field !== "string" || field.trim() === "") {
      throw new UserError(`${source}: field '${key}' is missing or empty; it must be a non-empty string (regenerate the file with \`pulumi up\`).`);
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
      throw new UserError(`${source}: field '${key}' is '${doc[key]}', which is not a GUID such as ${GUID_EXAMPLE}.`);
    }
  }
  if (Number.isNaN(Date.parse(doc.secretExpiresAt))) {
    throw new UserError(`${source}: field 'secretExpiresAt' is '${doc.secretExpiresAt}', which is not an ISO 8601 date such as 2027-11-27T00:00:00Z.`);
  }
  const permissions = record.permissions;
  if (!Array.isArray(permissions) || permissions.some((p) => typeof p !== "string")) {
    throw new UserError(`${source}: field 'permissions' must be a list of Graph permission names such as ["User.Read.All", "Contacts.Read"].`);
  }
  doc.permissions = permissions as string[];
  return doc;
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
