import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { DEFAULT_PERMISSIONS } from "../catalogue/graphPermissions";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../emulator/microsoftEmulator";
import { CONNECTOR_PATH, NexxtEmulator, startNexxtEmulator } from "../emulator/nexxtEmulator";
import { ConnectorDocument, serializeConnectorDocument } from "../nexxt/connectorDocument";
import { writeFileAtomic } from "../util/atomicFile";
import { DEMO_COMPANY_ID, DEMO_TENANT_ID, demoEntraUsers, demoNexxtCsv, demoNexxtUsers } from "./demoDirectory";
import { utcTimestamp, DAY_MS } from "../util/time";

/** The app the demo's Entra tenant knows; the secret and the Nexxt token are new each start. */
export const DEMO_APP_ID = "d3e0a000-de70-4000-8000-0000000000a1";

export interface DemoOptions {
  /** Where the connector file, the export and the token file go (created if missing). */
  dir: string;
  /** The Microsoft stand-in's port; Nexxt's is the next one. 0: any free ports. */
  port: number;
  now: Date;
}

export interface DemoFiles {
  connectorFile: string;
  nexxtUsersFile: string;
  /** Holds the Nexxt API token (0600): commands read it into NEXXT_API_TOKEN. */
  apiTokenFile: string;
  mappingFile: string;
}

export interface RunningDemo {
  microsoft: MicrosoftEmulator;
  nexxt: NexxtEmulator;
  files: DemoFiles;
  /** Base URLs of the stand-ins, http://127.0.0.1:<port>. */
  microsoftUrl: string;
  nexxtUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the Microsoft login + Graph stand-in and the Nexxt stand-in on 127.0.0.1 with the demo
 * directory, and writes what a real onboarding would have produced: the connector configuration
 * (as `pulumi up` writes it, mode 0600: it holds the client secret) and Nexxt's user export.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  await checkDemoDirectory(options.dir);
  // Fresh each start and never printed: they only live in the 0600 files and the stand-ins.
  const clientSecret = `DEMO~${randomBytes(18).toString("base64url")}`;
  const apiToken = `demo-nexxt-token-${randomBytes(12).toString("hex")}`;
  const users = demoEntraUsers();
  const microsoft = await startMicrosoftEmulator({
    tenants: [{ tenantId: DEMO_TENANT_ID, apps: [{ appId: DEMO_APP_ID, secrets: [{ value: clientSecret }], roles: [...DEFAULT_PERMISSIONS] }], users, mailboxless: [users[3].id] }],
    latencyMs: 15,
    port: options.port,
  });
  let nexxt: NexxtEmulator;
  try {
    const nexxtUsers = Object.fromEntries(demoNexxtUsers().map((user) => [user.id, { name: user.name, email: user.email, externalApplicationId: "" }]));
    nexxt = await startNexxtEmulator({ apiToken, users: nexxtUsers, latencyMs: 10, port: options.port === 0 ? 0 : options.port + 1 });
  } catch (err) {
    await microsoft.close();
    throw err;
  }
  const close = async () => {
    await Promise.all([microsoft.close(), nexxt.close()]);
  };
  try {
    const files: DemoFiles = {
      connectorFile: path.join(options.dir, DEMO_MARKER_FILE),
      nexxtUsersFile: path.join(options.dir, "nexxt-users.csv"),
      apiTokenFile: path.join(options.dir, "nexxt-api-token"),
      mappingFile: path.join(options.dir, "mapping.csv"),
    };
    const expires = new Date(options.now.getTime() + 365 * DAY_MS);
    const document: ConnectorDocument = {
      applicationId: DEMO_APP_ID,
      apiKey: clientSecret,
      oauth2TokenEndpoint: `${microsoft.url}/${DEMO_TENANT_ID}/oauth2/token`,
      tenantId: DEMO_TENANT_ID,
      companyId: DEMO_COMPANY_ID,
      secretExpiresAt: utcTimestamp(expires),
      permissions: [...DEFAULT_PERMISSIONS],
    };
    await writeFileAtomic(files.connectorFile, serializeConnectorDocument(document), { directorySetting: "--dir", directoryName: "The demo directory" });
    await writeFileAtomic(files.apiTokenFile, `${apiToken}\n`, { directorySetting: "--dir", directoryName: "The demo directory" });
    // Like every file the tool writes: created new and renamed into place, so a link planted at
    // the name is replaced, never written through (src/util/atomicFile.ts).
    await writeFileAtomic(files.nexxtUsersFile, demoNexxtCsv(demoNexxtUsers()), { mode: 0o644, directorySetting: "--dir", directoryName: "The demo directory" });
    // A mapping and journal of an earlier demo would make --apply skip everyone: start afresh.
    await fs.rm(files.mappingFile, { force: true });
    await fs.rm(path.join(options.dir, "mapping.journal.jsonl"), { force: true });
    return { microsoft, nexxt, files, microsoftUrl: microsoft.url, nexxtUrl: nexxt.url, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The demo resets its own files on every start (a journal of an earlier run would make --apply
 * skip everyone in the fresh Nexxt stand-in), so it only writes into a new or empty directory,
 * or one an earlier demo made: never over a user's own mapping.csv.
 */
async function checkDemoDirectory(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new Error(`${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"}); choose another --dir`);
  }
  if (entries.length > 0 && !entries.includes(DEMO_MARKER_FILE)) {
    throw new Error(`${dir} already holds files that are not the demo's; give a new or empty directory with --dir`);
  }
}

const DEMO_MARKER_FILE = "demo.nexxt.json";

/** The commands the demo prints, as a user types them from the directory the demo started in. */
export function demoCommands(demo: Pick<RunningDemo, "files" | "microsoftUrl" | "nexxtUrl">, cwd: string): string[] {
  const rel = (file: string) => shownPath(file, cwd);
  const config = rel(demo.files.connectorFile);
  const graph = `--graph-url ${demo.microsoftUrl}`;
  return [
    `export NEXXT_API_TOKEN="$(cat ${rel(demo.files.apiTokenFile)})"`,
    `bin/nexxt-onboard verify --config ${config} ${graph}`,
    `bin/nexxt-onboard map-users --config ${config} ${graph} --nexxt-users ${rel(demo.files.nexxtUsersFile)} --out ${rel(demo.files.mappingFile)}`,
    `bin/nexxt-onboard map-users --config ${config} ${graph} --nexxt-users ${rel(demo.files.nexxtUsersFile)} --out ${rel(demo.files.mappingFile)} --apply --nexxt-user-url '${demo.nexxtUrl}/users/{id}'`,
    `bin/nexxt-onboard push-config --config ${config} --api-url ${demo.nexxtUrl}${CONNECTOR_PATH}`,
  ];
}

/** Relative to where the user stands when that is below it, else absolute. */
export function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
