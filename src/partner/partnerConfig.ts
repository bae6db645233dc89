import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { CLOUD_NAMES, CloudName } from "../catalogue/clouds";
import { UserError } from "../errors";
import { isGuid } from "../identifiers";
import { readBoundedFile } from "../util/readBoundedFile";
import { checkRedirectUri } from "./consentLink";

/** Beside Pulumi.yaml; committed (client IDs and a URL are not secret). */
export const PARTNER_FILE = "partner.yaml";

/** The partner's pipeline apps in one cloud: an app registered in one cloud cannot sign in to another. */
export interface PartnerApps {
  /** The deploying app (Application.ReadWrite.OwnedBy, AppRoleAssignment.ReadWrite.All, Application.Read.All). */
  deploy: string;
  /** The read-only app of the pull-request preview and the weekly drift check (Application.Read.All). */
  preview?: string;
}

export interface PartnerConfig {
  file: string;
  consentRedirectUri: string;
  apps: Partial<Record<CloudName, PartnerApps>>;
}

const TOP_KEYS = ["consentRedirectUri", "apps"];
const APP_KEYS = ["deploy", "preview"];

/**
 * Parses partner.yaml. Every key is checked, unknown ones refused (a misspelt `deply:` would
 * otherwise leave a cloud without its app and the consent link unprinted, silently).
 */
export function parsePartnerConfig(text: string, file: string): PartnerConfig {
  const fail = (why: string) => new UserError(`${file}: ${why}; see docs/partner-identity.md for the file's format.`);
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw fail(`is not valid YAML (${(err as Error).message.split("\n")[0]})`);
  }
  if (!isRecord(doc)) throw fail("must be a mapping with consentRedirectUri and apps");
  const unknownTop = Object.keys(doc).filter((key) => !TOP_KEYS.includes(key));
  if (unknownTop.length > 0) throw fail(`unknown key ${unknownTop.map((key) => `'${key}'`).join(", ")} (expected ${TOP_KEYS.join(", ")})`);
  if (typeof doc.consentRedirectUri !== "string") throw fail("consentRedirectUri is missing: the https page Entra sends the customer's admin to after consenting");
  try {
    checkRedirectUri(doc.consentRedirectUri);
  } catch (err) {
    throw fail((err as Error).message.replace(/\.$/, ""));
  }
  if (!isRecord(doc.apps)) throw fail(`apps is missing: one entry per cloud (${CLOUD_NAMES.join(", ")}) with the deploy app's client ID`);
  const apps: Partial<Record<CloudName, PartnerApps>> = {};
  for (const [cloud, entry] of Object.entries(doc.apps)) {
    if (!(CLOUD_NAMES as readonly string[]).includes(cloud)) throw fail(`apps.${cloud} is not a cloud (expected ${CLOUD_NAMES.join(", ")})`);
    if (!isRecord(entry)) throw fail(`apps.${cloud} must be a mapping with deploy (and optionally preview)`);
    const unknown = Object.keys(entry).filter((key) => !APP_KEYS.includes(key));
    if (unknown.length > 0) throw fail(`apps.${cloud} has unknown key ${unknown.map((key) => `'${key}'`).join(", ")} (expected deploy, preview)`);
    const guid = (key: string): string | undefined => {
      const value = entry[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== "string" || !isGuid(value)) throw fail(`apps.${cloud}.${key} '${String(value)}' is not an Application (client) ID (a GUID)`);
      return value.toLowerCase();
    };
    const deploy = guid("deploy");
    if (deploy === undefined) throw fail(`apps.${cloud}.deploy is missing: the Application (client) ID of the deploying pipeline app in that cloud`);
    const preview = guid("preview");
    if (preview === deploy) throw fail(`apps.${cloud}.preview is the deploy app; the preview runs pull-request code and must be a separate, read-only app`);
    apps[cloud as CloudName] = preview === undefined ? { deploy } : { deploy, preview };
  }
  return { file, consentRedirectUri: doc.consentRedirectUri, apps };
}

/** partner.yaml of the project, or undefined when the partner has not set one up (the consent links are then not printed). */
export function readPartnerConfig(projectRoot: string, shownAs: string = PARTNER_FILE): PartnerConfig | undefined {
  const file = path.join(projectRoot, PARTNER_FILE);
  if (!fs.existsSync(file) && !isDanglingLink(file)) return undefined;
  const text = readBoundedFile(file, { what: "The partner file", maxBytes: 64 * 1024, hint: "replace it with the partner.yaml docs/partner-identity.md describes", shownAs });
  return parsePartnerConfig(text, shownAs);
}

function isDanglingLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
