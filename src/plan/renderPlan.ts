import type { OfflinePlan, PlannedResource } from "./offlinePlan";

/** Short names for the resource types a reviewer meets. */
const TYPE_LABELS: Record<string, string> = {
  "nexxt:office365:Connector": "Connector (component)",
  "azuread:index/application:Application": "App registration",
  "azuread:index/servicePrincipal:ServicePrincipal": "Service principal",
  "azuread:index/applicationPassword:ApplicationPassword": "Client secret",
  "azuread:index/appRoleAssignment:AppRoleAssignment": "Admin consent (app role grant)",
  "azuread:index/applicationApiAccess:ApplicationApiAccess": "API permissions (Graph)",
  "pulumi-nodejs:dynamic/nexxt:ConnectorFile": "Connector configuration file",
  "pulumi-nodejs:dynamic/nexxt:NexxtConfigPush": "Connector configuration pushed to Nexxt",
};

const KEY_PROPERTIES: Record<string, string[]> = {
  "azuread:index/application:Application": ["displayName", "signInAudience", "preventDuplicateNames"],
  "azuread:index/servicePrincipal:ServicePrincipal": ["clientId"],
  "azuread:index/applicationPassword:ApplicationPassword": ["displayName", "endDate"],
  "azuread:index/appRoleAssignment:AppRoleAssignment": ["appRoleId", "principalObjectId", "resourceObjectId"],
  "azuread:index/applicationApiAccess:ApplicationApiAccess": ["apiClientId", "roleIds"],
  "pulumi-nodejs:dynamic/nexxt:ConnectorFile": ["directory", "stackName", "document"],
  "pulumi-nodejs:dynamic/nexxt:NexxtConfigPush": ["url", "apiToken", "document", "retainOnDelete"],
};

/** The plan as a reviewer reads it on a pull request. Pure: takes the plan, returns text. */
export function renderPlan(plan: OfflinePlan): string {
  const lines: string[] = [];
  lines.push(`Offline plan for stack '${plan.stack}' (${plan.file}) as of ${plan.at.slice(0, 10)}`);
  lines.push(`Tenant ${plan.tenantId}, cloud ${plan.cloud}. Assumes:`);
  for (const assumption of plan.assumptions) lines.push(`  - ${assumption}`);
  lines.push("");
  lines.push(`On a new stack, \`pulumi up\` would register ${plan.resources.length} resource${plan.resources.length === 1 ? "" : "s"}:`);
  const width = Math.max(...plan.resources.map((r) => (TYPE_LABELS[r.type] ?? r.type).length));
  for (const resource of inReadingOrder(plan.resources)) lines.push(...renderResource(resource, width));
  lines.push("");
  lines.push("Microsoft Graph application permissions, granted with admin consent:");
  const nameWidth = Math.max(...plan.permissions.map((p) => p.name.length));
  for (const permission of plan.permissions) {
    const flag = permission.highPrivilege ? "  [HIGH PRIVILEGE: allowed by nexxt:allowHighPrivilege]" : "";
    lines.push(`  ${permission.name.padEnd(nameWidth)}  ${permission.id}  ${permission.description}${flag}`);
  }
  lines.push("");
  lines.push("Client secrets:");
  for (const secret of [...plan.secrets].sort((a, b) => a.slot.localeCompare(b.slot))) {
    const role = secret.active ? "newest: Nexxt holds this one" : "previous: still valid, kept for the overlap";
    lines.push(`  slot ${secret.slot}  generation ${secret.generation}  expires ${secret.expiresAt.slice(0, 10)}  (${role})`);
  }
  lines.push(`  next rotation ${plan.nextRotationAt.slice(0, 10)} (the next secret is issued and handed to Nexxt that day)`);
  lines.push(`  rotation start ${plan.rotationStart} (first secret; later ones every nexxt:rotationDays, ${plan.jitterDays} day(s) early for this stack)`);
  lines.push("");
  lines.push("Stack outputs:");
  const outputWidth = Math.max(...Object.keys(plan.outputs).map((k) => k.length));
  for (const [key, value] of Object.entries(plan.outputs)) {
    lines.push(`  ${key.padEnd(outputWidth)}  ${outputValue(value)}`);
  }
  return lines.join("\n");
}

/**
 * One line per output: a multi-line text (the hand-off document) is named by its first line and
 * length, not poured into the table; `--json` carries it whole.
 */
function outputValue(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value);
  const lines = value.split("\n");
  return lines.length === 1 ? value : `${lines[0]} (${lines.length} lines of text; --json has it whole)`;
}

/**
 * Registration order, except that resources of one type and parent (the two secret slots) are
 * listed by name: slot a before slot b, whichever the schedule registers first.
 */
function inReadingOrder(resources: readonly PlannedResource[]): PlannedResource[] {
  const ordered = [...resources];
  const positions = ordered.map((resource, index) => ({ resource, index })).filter(({ resource }) => resource.type === "azuread:index/applicationPassword:ApplicationPassword");
  const byName = positions.map(({ resource }) => resource).sort((a, b) => a.name.localeCompare(b.name));
  positions.forEach(({ index }, i) => (ordered[index] = byName[i]));
  return ordered;
}

function renderResource(resource: PlannedResource, width: number): string[] {
  const label = (TYPE_LABELS[resource.type] ?? resource.type).padEnd(width);
  const verb = resource.importId ? `~ import ${resource.importId} as` : "+";
  const lines = [`  ${verb} ${label}  ${resource.name}`];
  const keys = KEY_PROPERTIES[resource.type] ?? Object.keys(resource.properties).filter((k) => !k.startsWith("__"));
  for (const key of keys) {
    const value = resource.properties[key];
    if (value === undefined) continue;
    lines.push(`      ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  return lines;
}
