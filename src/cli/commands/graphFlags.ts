import * as path from "node:path";
import type { Argv, Options } from "yargs";
import { CLOUDS, CLOUD_NAMES, Cloud, CloudName, v1TokenEndpoint } from "../../catalogue/clouds";
import { UserError } from "../../errors";
import { DEFAULT_RETRY_POLICY, RETRIED_FAILURES } from "../../http/retryPolicy";
import { FlagValues, MAX_TIMER_MS, choiceFlag, integerFlag } from "../flagTypes";
import type { HttpClientOptions } from "../../http/sendWithRetry";
import { requireSecureUrl } from "../../http/urlPolicy";
import { ConnectorDocument, parseConnectorDocument } from "../../nexxt/connectorDocument";
import { GUID_EXAMPLE, isGuid } from "../../identifiers";
import { HARMLESS, quoteRejected, registerSecret } from "../../util/redact";
import { FILE_LIMITS, readBoundedFile } from "../../util/readBoundedFile";

/** The flags verify and map-users share: where the tenant, app and secret come from, and how to reach Microsoft. */
export const GRAPH_OPTIONS = {
  config: { type: "string", describe: "The Nexxt connector configuration JSON written by `pulumi up` (holds tenant, app, secret, token endpoint)" },
  "tenant-id": { type: "string", describe: "The customer's tenant ID (without --config)" },
  "client-id": { type: "string", describe: "The application (client) ID (without --config)" },
  "client-secret-env": { type: "string", default: "NEXXT_CLIENT_SECRET", describe: "Environment variable holding the client secret (without --config)" },
  cloud: choiceFlag("cloud", CLOUD_NAMES, { describe: "The tenant's cloud [default: public, or the cloud of the --config token endpoint]", what: "a Microsoft cloud" }),
  "authority-host": { type: "string", describe: "Login host override, e.g. https://login.microsoftonline.us" },
  "graph-url": { type: "string", describe: "Graph root override, e.g. https://graph.microsoft.us (also sent as the token's resource)" },
  json: { type: "boolean", default: false, describe: "Print machine-readable JSON on stdout" },
  "timeout-ms": {
    ...integerFlag("timeout-ms", { describe: "Per-request timeout in milliseconds", min: 1, max: MAX_TIMER_MS, unit: "milliseconds", example: 30_000 }),
    default: 30_000,
  },
  retries: {
    ...integerFlag("retries", { describe: `Retries per request on ${RETRIED_FAILURES}`, min: 0, max: 10, unit: "retries", example: 5 }),
    default: DEFAULT_RETRY_POLICY.retries,
  },
  "retry-base-ms": {
    ...integerFlag("retry-base-ms", {
      describe: "First retry backoff in ms (doubles each retry; a Retry-After header wins)",
      min: 1,
      max: MAX_TIMER_MS,
      unit: "milliseconds",
      example: 500,
    }),
    default: DEFAULT_RETRY_POLICY.baseDelayMs,
  },
} as const satisfies Record<string, Options>;

export type GraphFlags = FlagValues<typeof GRAPH_OPTIONS>;

export function withGraphFlags<T>(y: Argv<T>) {
  return y.options(GRAPH_OPTIONS);
}

/** Everything needed to talk to Microsoft as Nexxt does. Holds the secret: never print it whole. */
export interface GraphConnection {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
  graphRoot: string;
  /** The v1 `resource`: the Graph root of the tenant's cloud. */
  resource: string;
  cloud: CloudName | undefined;
  /** Permissions the connector document says were granted, when --config was given. */
  documentPermissions: string[] | undefined;
}

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Works out tenant, app, secret, token endpoint and Graph root from the flags, the environment and
 * the connector document (already read). Pure, so every combination is tested without files.
 */
export function resolveGraphConnection(flags: GraphFlags, env: NodeJS.ProcessEnv, document?: ConnectorDocument): GraphConnection {
  if (document !== undefined) return fromDocument(flags, document);
  if (flags.tenantId === undefined || flags.clientId === undefined) {
    throw new UserError("Give --config <connector.json>, or both --tenant-id and --client-id (with the secret in the variable named by --client-secret-env).");
  }
  if (!isGuid(flags.tenantId) && !DOMAIN.test(flags.tenantId)) {
    throw new UserError(`--tenant-id ${quoteRejected(flags.tenantId, HARMLESS.host)} is not a tenant ID; give the GUID from Entra admin center > Overview, e.g. ${GUID_EXAMPLE}.`);
  }
  if (!isGuid(flags.clientId)) {
    throw new UserError(`--client-id ${quoteRejected(flags.clientId, HARMLESS.word)} is not a GUID; give the Application (client) ID from App registrations > Overview.`);
  }
  const secret = secretFromEnv(env, flags.clientSecretEnv, "--client-secret-env", "the client secret value", "NEXXT_CLIENT_SECRET");
  const cloud = CLOUDS[flags.cloud ?? "public"];
  const loginHost = secureOrigin(flags.authorityHost, "--authority-host", cloud.loginHost);
  const graphRoot = graphRootOf(flags, cloud);
  return {
    tenantId: flags.tenantId,
    clientId: flags.clientId,
    clientSecret: secret,
    tokenEndpoint: v1TokenEndpoint(loginHost, flags.tenantId),
    graphRoot,
    resource: graphRoot,
    cloud: cloud.name,
    documentPermissions: undefined,
  };
}

function fromDocument(flags: GraphFlags, doc: ConnectorDocument): GraphConnection {
  if (flags.tenantId !== undefined || flags.clientId !== undefined) {
    throw new UserError("--config already names the tenant and the application; drop --tenant-id and --client-id, or drop --config.");
  }
  // parseConnectorDocument has checked it is the v1 endpoint of this very tenant; it is used as
  // written (what Nexxt uses), never rebuilt, unless --authority-host explicitly moves the host.
  const endpoint = requireSecureUrl(doc.oauth2TokenEndpoint, `${flags.config}: oauth2TokenEndpoint`, "https://login.microsoftonline.com/<tenant>/oauth2/token");
  const cloud = flags.cloud !== undefined ? CLOUDS[flags.cloud] : cloudOfLoginHost(endpoint.origin, flags.config ?? "the connector configuration");
  const graphRoot = graphRootOf(flags, cloud);
  return {
    tenantId: doc.tenantId,
    clientId: doc.applicationId,
    clientSecret: doc.apiKey,
    tokenEndpoint:
      flags.authorityHost !== undefined ? v1TokenEndpoint(secureOrigin(flags.authorityHost, "--authority-host", cloud.loginHost), doc.tenantId) : doc.oauth2TokenEndpoint,
    graphRoot,
    resource: graphRoot,
    cloud: cloud.name,
    documentPermissions: doc.permissions,
  };
}

/** US Government L4 and L5 share one login host, so only --cloud can tell them apart. */
function cloudOfLoginHost(origin: string, source: string): Cloud {
  const matches = Object.values(CLOUDS).filter((cloud) => cloud.loginHost === origin);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new UserError(
      `${source}: the token endpoint's host ${origin} serves ${matches.map((c) => c.name).join(" and ")}; say which with --cloud ${matches[0].name} or --cloud ${matches[1].name}.`,
    );
  }
  // Another host (a test server, a proxy): Graph stays the public one unless --cloud or --graph-url says otherwise.
  return CLOUDS.public;
}

function graphRootOf(flags: GraphFlags, cloud: Cloud): string {
  return secureOrigin(flags.graphUrl, "--graph-url", cloud.graphRoot);
}

function secureOrigin(value: string | undefined, flag: string, fallback: string): string {
  if (value === undefined) return fallback;
  const url = requireSecureUrl(value, flag, fallback);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * A secret from the environment variable a flag names: secrets never travel as flag values,
 * where shell history and process listings would keep them.
 */
export function secretFromEnv(env: NodeJS.ProcessEnv, name: string, flag: string, what: string, example: string): string {
  if (!ENV_NAME.test(name)) {
    // Not quoted: what stands where a name belongs is often the secret itself, pasted by mistake.
    throw new UserError(
      `the value of ${flag} is not a valid environment variable name (letters, digits and _); give a name such as ${example} and put ${what} in that variable (the secret itself never goes on the command line).`,
    );
  }
  const value = env[name];
  if (value === undefined || value === "") {
    throw new UserError(`Environment variable ${quoteRejected(name, HARMLESS.envName, true)} is empty or not set; put ${what} in it, or name another variable with ${flag}.`);
  }
  registerSecret(value);
  return value;
}

/** Reads and checks the --config file; the error names the file, never its apiKey. */
export function readConnectorDocument(file: string, cwd: string): ConnectorDocument {
  const full = path.resolve(cwd, file);
  // A symlink is followed here (the target is checked): people keep the file in a vault mount.
  const text = readBoundedFile(full, {
    what: "--config",
    maxBytes: FILE_LIMITS.connectorDocument,
    allowSymlink: true,
    shownAs: file,
    hint: "give the path of the connector configuration JSON that `pulumi up` wrote",
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`--config ${quoteRejected(file, HARMLESS.path)} is not JSON; give the connector configuration file that \`pulumi up\` wrote.`);
  }
  return parseConnectorDocument(value, file);
}

/** Reads the document when --config is given, then resolves: the one call each command makes. */
export function graphConnectionFrom(flags: GraphFlags, env: NodeJS.ProcessEnv, cwd: string): GraphConnection {
  const document = flags.config !== undefined ? readConnectorDocument(flags.config, cwd) : undefined;
  return resolveGraphConnection(flags, env, document);
}

export function httpOptionsFrom(flags: GraphFlags): HttpClientOptions {
  return {
    timeoutMs: flags.timeoutMs,
    policy: { retries: flags.retries, baseDelayMs: flags.retryBaseMs, maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs },
  };
}
