import { CLOUDS } from "../catalogue/clouds";
import { DEFAULT_PERMISSIONS } from "../catalogue/graphPermissions";
import { ConfigError } from "../config/configProblem";
import { CONFIG_NAMESPACE, DEFAULT_DISPLAY_NAME, EXAMPLE_TENANT_ID, parseSettings } from "../config/schema";
import type { ConnectorSettings } from "../config/settings";
import { UserError } from "../errors";

/** What `new-customer` is given, as typed on the command line. */
export interface NewCustomerInput {
  tenantId: string;
  /** The Company ID, or the licence page address it is read from. */
  companyId: string;
  nexxtUrl?: string;
  /** The Nexxt's hostname or IP address (--nexxt-host). */
  nexxtHost?: string;
  /** Comma-separated Graph permission names. */
  permissions?: string;
  cloud?: string;
  displayName?: string;
  allowHighPrivilege?: boolean;
  /** The day the stack's first secret is issued (new-customer: today), written as nexxt:rotationStart. */
  rotationStart: Date;
}

export interface NewCustomerConfig {
  /** The `config:` map to write: required keys and keys that differ from the default, normalised. */
  config: Record<string, unknown>;
  settings: ConnectorSettings;
}

/** Which flag a config problem came from, so the user is told what to retype. */
const FLAG_OF_KEY: Readonly<Record<string, string>> = {
  [`${CONFIG_NAMESPACE}:tenantId`]: "--tenant-id",
  [`${CONFIG_NAMESPACE}:companyId`]: "--company-id",
  [`${CONFIG_NAMESPACE}:url`]: "--nexxt-url",
  [`${CONFIG_NAMESPACE}:nexxtHost`]: "--nexxt-host",
  [`${CONFIG_NAMESPACE}:permissions`]: "--permissions",
  [`${CONFIG_NAMESPACE}:allowHighPrivilege`]: "--allow-high-privilege",
  [`${CONFIG_NAMESPACE}:cloud`]: "--cloud",
  [`${CONFIG_NAMESPACE}:displayName`]: "--display-name",
  "azuread:environment": "--cloud",
};

const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;

/**
 * Validates the flags with the program's own parser (so new-customer can never write a stack the
 * program would refuse) and returns the config to write: the normalised values (lower-case tenant,
 * the ID out of a licence page address, catalogue spelling of permissions), defaults left out.
 */
export function newCustomerConfig(input: NewCustomerInput): NewCustomerConfig {
  const raw: Record<string, unknown> = { [key("tenantId")]: input.tenantId, [key("companyId")]: input.companyId };
  if (input.nexxtUrl !== undefined) raw[key("url")] = input.nexxtUrl;
  if (input.nexxtHost !== undefined) raw[key("nexxtHost")] = input.nexxtHost;
  if (input.displayName !== undefined) raw[key("displayName")] = input.displayName;
  if (input.permissions !== undefined) raw[key("permissions")] = input.permissions;
  if (input.allowHighPrivilege) raw[key("allowHighPrivilege")] = true;
  if (input.cloud !== undefined) raw[key("cloud")] = input.cloud;
  raw[key("rotationStart")] = isoDay(input.rotationStart);

  let settings: ConnectorSettings;
  try {
    settings = parseSettings(raw);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new UserError(err.problems.map((problem) => `${FLAG_OF_KEY[problem.key] ?? problem.key}: ${problem.message}${flagHint(problem.message)}`).join("\n"));
  }
  if (settings.tenantId === EXAMPLE_TENANT_ID) {
    throw new UserError(
      `--tenant-id ${EXAMPLE_TENANT_ID} is the fake tenant ID of stacks/Pulumi.example.yaml; give the customer's Directory (tenant) ID from the Entra admin center (Overview).`,
    );
  }

  const config: Record<string, unknown> = { [key("tenantId")]: settings.tenantId, [key("companyId")]: settings.companyId };
  if (settings.nexxtHost !== undefined) config[key("nexxtHost")] = settings.nexxtHost;
  if (settings.nexxtUrl !== undefined) config[key("url")] = settings.nexxtUrl;
  if (settings.displayName !== DEFAULT_DISPLAY_NAME) config[key("displayName")] = settings.displayName;
  const names = settings.permissions.map((permission) => permission.name);
  if (!sameNames(names, DEFAULT_PERMISSIONS)) config[key("permissions")] = names;
  if (settings.allowHighPrivilege) config[key("allowHighPrivilege")] = true;
  if (settings.cloud.name !== "public") {
    config[key("cloud")] = settings.cloud.name;
    // The azuread provider talks to the global cloud unless told otherwise; the program refuses a
    // mismatch, so the scaffold sets both.
    config["azuread:environment"] = CLOUDS[settings.cloud.name].azureadEnvironments[0];
  }
  // The stack's own rotation anchor: its first secret lives its full lifetime, and its later
  // rotations do not fall on the same day as every other stack's (src/schedule/secretSchedule.ts).
  config[key("rotationStart")] = isoDay(input.rotationStart);
  return { config, settings };
}

function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The program's sentences name config keys; on the command line the user types a flag instead. */
function flagHint(message: string): string {
  const highPrivilegeKey = key("allowHighPrivilege");
  return message.includes(highPrivilegeKey) ? ` (here: pass --allow-high-privilege rather than setting ${highPrivilegeKey})` : "";
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");
}
