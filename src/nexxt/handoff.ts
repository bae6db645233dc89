import { findPermission } from "../catalogue/graphPermissions";
import { UserError } from "../errors";
import { displayUrl } from "../http/httpError";
import type { ConnectorDocument } from "./connectorDocument";

/** The document as the hand-off sees it: the secret is not needed and never read. */
export type HandoffDocument = Omit<ConnectorDocument, "apiKey">;

export interface HandoffInput {
  /** The Pulumi stack (one customer). */
  stack: string;
  document: HandoffDocument;
  /** The Nexxt's hostname or IP address (nexxt:nexxtHost), which goes to ClearVox sales with the Company ID. */
  nexxtHost?: string;
  /** Where the customer's Nexxt runs (nexxt:url), for the licence page link. */
  nexxtUrl?: string;
  /** Where the connector file with the secret was written. */
  connectorFilePath?: string;
  /** The URL the document was pushed to (nexxt:apiUrl); shown without its query. */
  pushedTo?: string;
  /** Set when the registration was made by hand and taken over (nexxt:existingApplicationId). */
  adopted?: boolean;
}

/**
 * The licence page Customer Care opens to activate the link: the guide's
 * `http(s)://<nexxt-host>/accounts/edit/<company-ID>` (Beheermenu > Bedrijven > Wijzigen).
 */
export function licencePageUrl(nexxtUrl: string, companyId: string): string {
  let base: URL;
  try {
    base = new URL(nexxtUrl);
  } catch {
    throw new UserError(`nexxt:url '${nexxtUrl}' is not a URL; give the address of the customer's Nexxt such as https://pbx.example.nl.`);
  }
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  base.search = "";
  base.hash = "";
  return new URL(`accounts/edit/${encodeURIComponent(companyId)}`, base).toString();
}

/**
 * Renders `<stack>.handoff.md` for ClearVox Customer Care: everything needed to activate the
 * licence and check the link, and where the secret is kept, never the secret itself.
 */
export function renderHandoff(input: HandoffInput): string {
  const doc = input.document;
  const lines: string[] = [
    `# Nexxt Office 365 link: ${inline(input.stack)}`,
    "",
    "For ClearVox Customer Care. Written by `pulumi up`; it holds no secret and may be mailed.",
    "",
    "| What | Value |",
    "|---|---|",
    `| Company ID (Bedrijfs-ID) | ${code(doc.companyId)} |`,
    `| Nexxt hostname or IP address (for the licence order) | ${input.nexxtHost !== undefined ? code(input.nexxtHost) : "not recorded: set nexxt:nexxtHost"} |`,
  ];
  if (input.nexxtUrl !== undefined) lines.push(`| Licence page | ${licencePageUrl(input.nexxtUrl, doc.companyId)} |`);
  lines.push(
    `| Toepassings-id (application ID) | ${code(doc.applicationId)} |`,
    `| Tenant ID | ${code(doc.tenantId)} |`,
    `| OAuth 2.0 token endpoint (v1) | ${code(doc.oauth2TokenEndpoint)} |`,
    `| API sleutel (client secret) expires | ${expiry(doc.secretExpiresAt)} |`,
    "",
    "## Microsoft Graph application permissions (admin consent granted)",
    "",
    ...permissionLines(doc.permissions),
    "",
    "## Where the API sleutel (client secret) is",
    "",
  );
  if (input.connectorFilePath !== undefined) {
    lines.push(`- In the connector configuration file ${code(input.connectorFilePath)}, field \`apiKey\` (readable by its owner only).`);
  }
  if (input.pushedTo !== undefined) {
    lines.push(`- Sent to Nexxt with \`PUT ${displayUrl(input.pushedTo)}\`.`);
  }
  lines.push(
    `- In the stack's encrypted state: \`pulumi stack output clientSecret --show-secrets --stack ${inline(input.stack)}\`.`,
    "",
    "Do not mail the secret. Before it expires, rotate it with `pulumi up` (a new secret replaces the old one everywhere above).",
    "",
  );
  if (input.adopted) {
    lines.push(
      "## Taken over from a registration made by hand",
      "",
      "This app registration was created by hand (the manual guide) and is now managed by this stack. Client secrets made by hand",
      "were left alone: they cannot be read back, so the managed secret above takes over and is the one Nexxt holds. Once",
      "`nexxt-onboard verify` passes, delete the hand-made secrets in Entra (App registrations > Certificates & secrets).",
      "",
    );
  }
  return lines.join("\n");
}

function permissionLines(permissions: readonly string[]): string[] {
  if (permissions.length === 0) return ["- none"];
  return permissions.map((name) => {
    const known = findPermission(name);
    return `- ${code(name)}: ${known ? known.description : "not in this tool's permission catalogue; check it in the Microsoft Graph permissions reference"}`;
  });
}

/** The date alone is what people read; the exact instant follows for the record. */
function expiry(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return code(iso);
  return `${at.toISOString().slice(0, 10)} (${code(at.toISOString())})`;
}

/** Markdown code span; backticks and line breaks cannot break out of it or the table. */
function code(value: string): string {
  return "`" + inline(value).replace(/`/g, "'") + "`";
}

function inline(value: string): string {
  return value.replace(/[\r\n|]+/g, " ").trim();
}
