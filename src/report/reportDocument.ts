import { ConnectorDocument, parseConnectorDocument } from "../nexxt/connectorDocument";
import { UserError } from "../errors";
import { SECRET_PLACEHOLDER } from "../util/secretPlaceholder";

/**
 * Turns a stack's masked outputs into the document secrets-report reads, so the scheduled
 * pipeline can report expiry without the connector files (they hold the secret and are not in
 * git). The secret stays masked: a clientSecret that is anything but the mask is refused, and the
 * refusal never quotes it.
 */
export function reportDocumentFromOutputs(stack: string, outputs: unknown): ConnectorDocument {
  const source = `the outputs of stack ${stack}`;
  if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
    throw new UserError(`${source} are not a JSON object; run \`pulumi stack output --json --stack ${stack}\` and check the stack has been deployed.`);
  }
  const record = outputs as Record<string, unknown>;
  if (record.clientSecret !== SECRET_PLACEHOLDER) {
    throw new UserError(`${source}: clientSecret is not masked as ${SECRET_PLACEHOLDER}; run \`pulumi stack output --json\` without --show-secrets (nothing was written).`);
  }
  return parseConnectorDocument(
    {
      applicationId: record.applicationId,
      apiKey: SECRET_PLACEHOLDER,
      oauth2TokenEndpoint: record.tokenEndpoint,
      tenantId: record.tenantId,
      companyId: record.companyId,
      secretExpiresAt: record.secretExpiresAt,
      permissions: record.grantedPermissions,
    },
    source,
  );
}
