import { CLOUDS, CLOUD_NAMES, CloudName } from "../catalogue/clouds";
import { DEFAULT_PERMISSIONS, GRAPH_PERMISSIONS, GraphPermission, findPermission, isHighPrivilege } from "../catalogue/graphPermissions";
import { ConfigError, ConfigProblem } from "./configProblem";
import { asBoolean, asInteger, asList, asText, isSecureValue, show } from "./configValues";
import type { ConnectorSettings } from "./settings";
import { closestMatch } from "./suggest";
import { rotationFits } from "../schedule/secretSchedule";
import { isLoopbackHost, refuseCredentials } from "../http/urlPolicy";
import { COMPANY_ID_RULE, GUID_EXAMPLE, NEXXT_HOST_RULE, hasControlCharacters, isCompanyId, isGuid, isNexxtHost } from "../identifiers";
import { SECRET_LIFETIME_DAYS } from "./secretLimits";
import { parseCalendarDate } from "../util/strictDate";

/** Pulumi project name: stack config keys are `nexxt:<key>`. */
export const CONFIG_NAMESPACE = "nexxt";

export interface ConfigKeySpec {
  key: string;
  required: boolean;
  /** For the README, the scaffolded stack file and `plan`. */
  description: string;
  /** The default, as a user would write it; undefined when there is none. */
  defaultValue?: string;
  example: string;
  /** Set with `pulumi config set --secret`: stored encrypted, never shown. */
  secret?: boolean;
}

export const EXAMPLE_TENANT_ID = "11111111-2222-3333-4444-555555555555";
export const DEFAULT_DISPLAY_NAME = "ClearVox Nexxt";
export const EXAMPLE_CLIENT_ID = "66666666-7777-8888-9999-000000000000";
export const ROTATION_DEFAULTS = { rotationDays: 180, overlapDays: 30 } as const;
/** Entra limits an application's display name to 256 characters (Graph application resource). */
const MAX_DISPLAY_NAME_LENGTH = 256;

export const CONFIG_KEYS: readonly ConfigKeySpec[] = [
  { key: "tenantId", required: true, description: "The customer's Microsoft Entra tenant ID (Directory ID, a GUID).", example: EXAMPLE_TENANT_ID },
  {
    key: "companyId",
    required: true,
    description: "The customer's Nexxt Company ID (a positive whole number), or the licence page address http(s)://<nexxt host>/accounts/edit/<id>.",
    example: "12345",
  },
  {
    key: "nexxtHost",
    required: false,
    description:
      "The customer's Nexxt hostname or IP address: it goes to ClearVox sales with the Company ID when the licence is ordered, and is shown in the hand-off. `new-customer` writes it.",
    example: "pbx.example.nl",
  },
  { key: "url", required: false, description: "The customer's Nexxt base URL (https).", example: "https://pbx.example.nl" },
  { key: "displayName", required: false, description: "Display name of the app registration.", defaultValue: DEFAULT_DISPLAY_NAME, example: DEFAULT_DISPLAY_NAME },
  {
    key: "permissions",
    required: false,
    description: "Microsoft Graph application permissions, by name.",
    defaultValue: JSON.stringify(DEFAULT_PERMISSIONS),
    example: '["User.Read.All", "Contacts.Read"]',
  },
  {
    key: "allowHighPrivilege",
    required: false,
    description: "Allow permissions that can write or read beyond a directory and contact sync.",
    defaultValue: "false",
    example: "false",
  },
  {
    key: "secretLifetimeDays",
    required: false,
    description: `Lifetime of the client secret in days (${SECRET_LIFETIME_DAYS.min} to ${SECRET_LIFETIME_DAYS.max}).`,
    defaultValue: String(SECRET_LIFETIME_DAYS.default),
    example: "365",
  },
  { key: "cloud", required: false, description: `Microsoft cloud: ${CLOUD_NAMES.join(", ")}.`, defaultValue: "public", example: "public" },
  {
    key: "rotationDays",
    required: false,
    description: "How often a new client secret is issued, in days (two slots, rotated in turn).",
    defaultValue: String(ROTATION_DEFAULTS.rotationDays),
    example: "180",
  },
  {
    key: "rotationOverlapDays",
    required: false,
    description: "How long the previous secret stays valid after a rotation, in days.",
    defaultValue: String(ROTATION_DEFAULTS.overlapDays),
    example: "30",
  },
  {
    key: "rotationStart",
    required: true,
    description:
      "The day (YYYY-MM-DD, UTC, quoted) the stack's first secret is issued; later secrets follow every nexxt:rotationDays, shifted per stack so customers do not rotate on one day. `new-customer` writes today.",
    example: '"2027-01-05"',
  },
  {
    key: "existingApplicationId",
    required: false,
    description: "Client ID of an app registration made by hand, to take over (import) instead of creating one.",
    example: EXAMPLE_CLIENT_ID,
  },
  {
    key: "connectorConfigDir",
    required: false,
    description: "Directory for <stack>.nexxt.json and <stack>.handoff.md; an empty value switches the file off.",
    defaultValue: "out",
    example: "out",
  },
  {
    key: "apiUrl",
    required: false,
    description: "Nexxt URL that receives the connector configuration (PUT, and DELETE on destroy).",
    example: "https://pbx.example.nl/api/office365/connector",
  },
  { key: "apiToken", required: false, secret: true, description: "Bearer token for nexxt:apiUrl (required with it; set with --secret).", example: "<token>" },
  { key: "retainOnDelete", required: false, description: "Keep the configuration in Nexxt on `pulumi destroy` (no DELETE).", defaultValue: "false", example: "false" },
];

const KNOWN_KEYS = CONFIG_KEYS.map((spec) => spec.key);

/** A problem found while reading one key: collected, so every problem is reported at once. */
class KeyProblem extends Error {}

type Raw = Readonly<Record<string, unknown>>;

/**
 * Validates a stack's configuration (full keys: `nexxt:tenantId`, `azuread:environment`, ...)
 * and returns typed settings, or throws a ConfigError listing every problem. Pure: the program,
 * `plan` and `validate` all call it, so they agree on what a valid stack is.
 */
export function parseSettings(raw: Raw, source?: string): ConnectorSettings {
  const problems: ConfigProblem[] = [];
  const read = <T>(key: string, parse: (value: unknown) => T): T | undefined => {
    try {
      const value = raw[`${CONFIG_NAMESPACE}:${key}`];
      if (holdsControlCharacters(value)) {
        throw new KeyProblem(
          `nexxt:${key} holds a line break or another control character; write the value on one line, without control characters (a line break in a stack file could forge a comment such as the shared-tenant marker).`,
        );
      }
      return parse(value);
    } catch (err) {
      if (!(err instanceof KeyProblem)) throw err;
      problems.push({ key: `${CONFIG_NAMESPACE}:${key}`, message: err.message });
      return undefined;
    }
  };

  problems.push(...unknownKeyProblems(raw));
  const tenantId = read("tenantId", parseTenantId);
  const companyId = read("companyId", parseCompanyId);
  const nexxtUrl = read("url", parseNexxtUrl);
  const nexxtHost = read("nexxtHost", parseNexxtHost);
  const displayName = read("displayName", parseDisplayName);
  const allowHighPrivilege = read("allowHighPrivilege", (value) => parseBoolean("allowHighPrivilege", value, false));
  const permissions = read("permissions", (value) => parsePermissions(value, allowHighPrivilege ?? false));
  const secretLifetimeDays = read("secretLifetimeDays", parseSecretLifetimeDays);
  const cloudName = read("cloud", parseCloudName);
  const rotationDays = read("rotationDays", (value) => parseDays("rotationDays", value, ROTATION_DEFAULTS.rotationDays, 1, SECRET_LIFETIME_DAYS.max - 1));
  const overlapDays = read("rotationOverlapDays", (value) => parseDays("rotationOverlapDays", value, ROTATION_DEFAULTS.overlapDays, 1, SECRET_LIFETIME_DAYS.max - 1));
  const rotationStart = read("rotationStart", parseRotationStart);
  const existingApplicationId = read("existingApplicationId", parseExistingApplicationId);
  const connectorConfigDir = read("connectorConfigDir", parseConnectorConfigDir);
  const apiUrl = read("apiUrl", parseApiUrl);
  read("apiToken", (value) => checkApiToken(value, apiUrl));
  const retainOnDelete = read("retainOnDelete", (value) => parseBoolean("retainOnDelete", value, false));
  if (secretLifetimeDays !== undefined && rotationDays !== undefined && overlapDays !== undefined) {
    const rotation = { lifetimeDays: secretLifetimeDays, rotationDays, overlapDays };
    if (!rotationFits(rotation)) {
      problems.push({
        key: `${CONFIG_NAMESPACE}:secretLifetimeDays`,
        message:
          `nexxt:secretLifetimeDays ${secretLifetimeDays} is shorter than nexxt:rotationDays ${rotationDays} plus nexxt:rotationOverlapDays ${overlapDays}: ` +
          `a secret must outlive its successor's issue by the overlap, so Nexxt never holds an expired one; raise the lifetime to at least ${rotationDays + overlapDays} or rotate more often.`,
      });
    }
  }
  if (cloudName !== undefined) {
    const mismatch = providerEnvironmentProblem(cloudName, raw["azuread:environment"]);
    if (mismatch) problems.push(mismatch);
  }

  if (problems.length > 0) throw new ConfigError(problems, source);
  return {
    tenantId: tenantId!,
    companyId: companyId!,
    nexxtUrl,
    nexxtHost,
    displayName: displayName!,
    permissions: permissions!,
    allowHighPrivilege: allowHighPrivilege!,
    secretLifetimeDays: secretLifetimeDays!,
    cloud: CLOUDS[cloudName!],
    rotation: { lifetimeDays: secretLifetimeDays!, rotationDays: rotationDays!, overlapDays: overlapDays!, rotationStart: rotationStart! },
    existingApplicationId,
    sink: { connectorConfigDir, apiUrl, retainOnDelete: retainOnDelete! },
  };
}

/** Any string in the value (a list's items included) with a control character. */
function holdsControlCharacters(value: unknown): boolean {
  if (typeof value === "string") return hasControlCharacters(value);
  if (Array.isArray(value)) return value.some(holdsControlCharacters);
  return false;
}

function unknownKeyProblems(raw: Raw): ConfigProblem[] {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.keys(raw)
    .filter((key) => key.startsWith(prefix) && !KNOWN_KEYS.includes(key.slice(prefix.length)))
    .map((key) => {
      const suggestion = closestMatch(key.slice(prefix.length), KNOWN_KEYS);
      return {
        key,
        message:
          `${key} is not a setting of this program` +
          (suggestion ? `; did you mean ${prefix}${suggestion}?` : `; known keys are ${KNOWN_KEYS.map((k) => prefix + k).join(", ")}.`) +
          (suggestion ? " Rename it (a misspelt key would silently fall back to the default)." : ""),
      };
    });
}

function requireText(key: string, value: unknown, example: string, what: string): string {
  if (isSecureValue(value)) throw new KeyProblem(`nexxt:${key} must be plain text, not a secret: set it with \`pulumi config set nexxt:${key} ${example}\`.`);
  const text = asText(value);
  if (text === undefined || text === "") {
    throw new KeyProblem(`nexxt:${key} is required: set it to ${what}, for example \`pulumi config set nexxt:${key} ${example}\`.`);
  }
  return text;
}

export function parseTenantId(value: unknown): string {
  const text = requireText("tenantId", value, GUID_EXAMPLE, "the customer's Directory (tenant) ID");
  if (!isGuid(text)) {
    throw new KeyProblem(
      `nexxt:tenantId ${show(value)} is not a GUID; use the customer's Directory (tenant) ID from the Entra admin center (Overview), for example ${GUID_EXAMPLE}.`,
    );
  }
  if (/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(text)) {
    throw new KeyProblem(`nexxt:tenantId '${text}' is the empty GUID; use the customer's real Directory (tenant) ID, for example ${GUID_EXAMPLE}.`);
  }
  return text.toLowerCase();
}

/**
 * The Company ID rule lives in identifiers.ts (COMPANY_ID_RULE). An http:// address is taken too,
 * because the guide writes http(s) (a Nexxt on a LAN IP often has no certificate) and the address
 * is only read for its ID: nothing is ever sent to it.
 */

export function parseCompanyId(value: unknown): string {
  const text = requireText("companyId", value, "12345", "the Nexxt Company ID (Beheermenu > Bedrijven > Wijzigen)").trim();
  let id = text;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new KeyProblem(`nexxt:companyId ${show(value)} is not a valid address; ${COMPANY_ID_RULE}, for example 12345.`);
    }
    const match = /\/accounts\/edit\/([^/]+)\/?$/.exec(url.pathname);
    if ((url.protocol !== "https:" && url.protocol !== "http:") || !match) {
      throw new KeyProblem(`nexxt:companyId ${show(value)} is an address but not a licence page; ${COMPANY_ID_RULE}, for example 12345.`);
    }
    try {
      id = decodeURIComponent(match[1]);
    } catch {
      throw new KeyProblem(
        `nexxt:companyId ${show(value)} has a malformed % escape in its last segment; paste the licence page address exactly as the browser shows it, or just the ID, for example 12345.`,
      );
    }
  }
  if (!isCompanyId(id)) {
    throw new KeyProblem(`nexxt:companyId ${show(value)} is not a Company ID; ${COMPANY_ID_RULE}, for example 12345.`);
  }
  return id;
}

/** The value as an absolute URL, or undefined when it is not one. */
function asUrl(value: unknown): URL | undefined {
  const text = asText(value);
  if (text === undefined) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function parseNexxtUrl(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const example = "https://pbx.example.nl";
  const url = asUrl(value);
  if (!url || url.protocol !== "https:" || url.search || url.hash || url.username || url.password) {
    throw new KeyProblem(`nexxt:url ${show(value)} is not an https base URL; give the customer's Nexxt address, for example ${example}.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function parseNexxtHost(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const text = asText(value);
  if (text === undefined || isSecureValue(value) || !isNexxtHost(text.trim())) {
    throw new KeyProblem(`nexxt:nexxtHost ${show(value)} is not a hostname or IP address; ${NEXXT_HOST_RULE}.`);
  }
  return text.trim().toLowerCase();
}

export function parseDisplayName(value: unknown): string {
  if (value === undefined || value === null) return DEFAULT_DISPLAY_NAME;
  const text = asText(value);
  if (text === undefined || text === "" || text.length > MAX_DISPLAY_NAME_LENGTH) {
    throw new KeyProblem(`nexxt:displayName ${show(value)} must be text of 1 to ${MAX_DISPLAY_NAME_LENGTH} characters, for example "${DEFAULT_DISPLAY_NAME}".`);
  }
  // The azuread provider puts the name into an OData filter without escaping it (its application
  // data source and prevent_duplicate_names lookup, applications.go), so Graph rejects the filter.
  if (text.includes("'")) {
    throw new KeyProblem(
      `nexxt:displayName '${text}' contains an apostrophe, which the azuread provider cannot look up (Graph rejects its filter); write it without "'", for example "${text.replace(/'/g, "")}".`,
    );
  }
  return text;
}

function parseBoolean(key: string, value: unknown, defaultValue: boolean): boolean {
  if (value === undefined || value === null) return defaultValue;
  const parsed = asBoolean(value);
  if (parsed === undefined) throw new KeyProblem(`nexxt:${key} ${show(value)} must be true or false, for example ${defaultValue}.`);
  return parsed;
}

export function parsePermissions(value: unknown, allowHighPrivilege: boolean): GraphPermission[] {
  const example = '["User.Read.All", "Contacts.Read"]';
  if (value === undefined || value === null) return DEFAULT_PERMISSIONS.map((name) => findPermission(name)!);
  const list = asList(value);
  if (list === undefined || list.some((item) => typeof item !== "string")) {
    throw new KeyProblem(`nexxt:permissions ${show(value)} must be a list of Microsoft Graph permission names, for example ${example}.`);
  }
  if (list.length === 0) {
    throw new KeyProblem(`nexxt:permissions is an empty list; the sync needs at least one permission, for example ${example}.`);
  }
  const resolved: GraphPermission[] = [];
  for (const name of list as string[]) {
    const permission = findPermission(name);
    if (!permission) {
      const suggestion = closestMatch(name, [...GRAPH_PERMISSIONS.keys()]);
      throw new KeyProblem(
        `nexxt:permissions names '${name}', which is not a Microsoft Graph application permission this tool knows` +
          (suggestion ? `; did you mean ${suggestion}?` : `; use names such as User.Read.All or Contacts.Read (see \`nexxt-onboard plan --help\`).`),
      );
    }
    if (resolved.some((p) => p.name === permission.name)) {
      throw new KeyProblem(`nexxt:permissions lists '${permission.name}' twice; list each permission once, for example ${example}.`);
    }
    if (isHighPrivilege(permission) && !allowHighPrivilege) {
      throw new KeyProblem(
        `nexxt:permissions asks for '${permission.name}' (${permission.description}), a high-privilege permission the Nexxt sync does not need; remove it, or set nexxt:allowHighPrivilege to true if this customer really requires it.`,
      );
    }
    resolved.push(permission);
  }
  return resolved;
}

export function parseSecretLifetimeDays(value: unknown): number {
  return parseDays("secretLifetimeDays", value, SECRET_LIFETIME_DAYS.default, SECRET_LIFETIME_DAYS.min, SECRET_LIFETIME_DAYS.max);
}

function parseDays(key: string, value: unknown, defaultValue: number, min: number, max: number): number {
  if (value === undefined || value === null) return defaultValue;
  const days = asInteger(value);
  if (days === undefined || days < min || days > max) {
    throw new KeyProblem(`nexxt:${key} ${show(value)} must be a whole number of days from ${min} to ${max}, for example ${defaultValue}.`);
  }
  return days;
}

/** A calendar date that exists (strict: 2027-02-30 and 5 Jan 2027 are refused, not rolled over). */
export function parseRotationStart(value: unknown): Date {
  if (value === undefined || value === null || value === "") {
    // No default: one would give every such stack the same rotation day and a first secret that
    // lives only part of its lifetime (issue 17, finding 4).
    throw new KeyProblem(
      `nexxt:rotationStart is not set; add the day the stack's first secret is issued, quoted, such as nexxt:rotationStart: "${todayExample()}" (today, for a stack about to be deployed; bin/nexxt-onboard new-customer writes it).`,
    );
  }
  const text = asText(value);
  const date = text === undefined ? undefined : parseCalendarDate(text);
  if (!date) {
    throw new KeyProblem(
      `nexxt:rotationStart ${show(value)} is not a calendar date that exists; write the day the stack's first secret is issued as YYYY-MM-DD, in quotes, for example "2027-01-05".`,
    );
  }
  return date;
}

/** Today as YYYY-MM-DD, for the fix in a sentence (the parse itself does not depend on the date). */
function todayExample(): string {
  return new Date().toISOString().slice(0, 10);
}

export function parseExistingApplicationId(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const text = asText(value);
  if (text === undefined || !isGuid(text)) {
    throw new KeyProblem(
      `nexxt:existingApplicationId ${show(value)} is not a GUID; give the Application (client) ID of the registration made by hand (Entra admin center > App registrations > Overview), for example ${EXAMPLE_CLIENT_ID}.`,
    );
  }
  return text.toLowerCase();
}

/** Relative paths are resolved against the project directory by the file sink. */
export function parseConnectorConfigDir(value: unknown): string | undefined {
  if (value === undefined || value === null) return "out";
  const text = asText(value);
  if (text === undefined) throw new KeyProblem(`nexxt:connectorConfigDir ${show(value)} must be a directory path, for example out.`);
  return text === "" ? undefined : text;
}

export function parseApiUrl(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const example = "https://pbx.example.nl/api/office365/connector";
  const url = asUrl(value);
  const secure = url && (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname)));
  if (!url || !secure || url.username || url.password) {
    throw new KeyProblem(`nexxt:apiUrl ${show(value)} must be an https URL (plain http only to a loopback test server) without credentials in it, for example ${example}.`);
  }
  try {
    refuseCredentials(url, "nexxt:apiUrl", example);
  } catch (err) {
    throw new KeyProblem((err as Error).message);
  }
  return url.toString();
}

function checkApiToken(value: unknown, apiUrl: string | undefined): void {
  const present = value !== undefined && value !== null && value !== "";
  if (apiUrl !== undefined && !present) {
    throw new KeyProblem(
      "nexxt:apiToken is required with nexxt:apiUrl: set it with `pulumi config set --secret nexxt:apiToken` (it prompts, so the token stays out of shell history).",
    );
  }
  if (present && !isSecureValue(value) && typeof value !== "string") {
    throw new KeyProblem("nexxt:apiToken must be a text secret: set it with `pulumi config set --secret nexxt:apiToken`.");
  }
}

export function parseCloudName(value: unknown): CloudName {
  if (value === undefined || value === null) return "public";
  const text = asText(value)?.toLowerCase();
  if (text === undefined || !(CLOUD_NAMES as readonly string[]).includes(text)) {
    throw new KeyProblem(`nexxt:cloud ${show(value)} is not a Microsoft cloud this tool knows; use one of ${CLOUD_NAMES.join(", ")}, for example public.`);
  }
  return text as CloudName;
}

/**
 * The azuread provider talks to the cloud named by its own `environment` setting; the token
 * endpoint we hand Nexxt must be in the same cloud, or Nexxt would be sent to the wrong login host.
 */
export function providerEnvironmentProblem(cloud: CloudName, environment: unknown): ConfigProblem | undefined {
  const text = asText(environment)?.toLowerCase();
  if (text === undefined || text === "") return undefined;
  if (CLOUDS[cloud].azureadEnvironments.includes(text)) return undefined;
  const expected = CLOUDS[cloud].azureadEnvironments[0];
  return {
    key: "azuread:environment",
    message: `azuread:environment '${text}' does not match nexxt:cloud '${cloud}'; set azuread:environment to ${expected} or change nexxt:cloud so both name the same Microsoft cloud.`,
  };
}
