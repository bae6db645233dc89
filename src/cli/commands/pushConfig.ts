import { UserError } from "../../errors";
import { DEFAULT_RETRY_POLICY } from "../../http/retryPolicy";
import { DEFAULT_PUSH_RETRIES, DEFAULT_PUSH_TIMEOUT_MS, pushConnectorDocument } from "../../nexxt/pushClient";
import type { CommandFactory } from "../command";
import { ExitCode } from "../../exitCodes";
import { readConnectorDocument } from "./graphFlags";
import { registerSecret } from "../../util/redact";

interface PushConfigFlags {
  config: string;
  apiUrl: string;
  apiTokenEnv: string;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  json: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The push `pulumi up` makes, by hand: for an admin who restored Nexxt or moved it to another
 * URL. Same client as the NexxtConfigPush resource, so the request is byte for byte the same.
 */
export const pushConfigCommand: CommandFactory = (ctx) => ({
  command: "push-config",
  describe: "Send a connector configuration file to Nexxt (PUT, bearer token), as pulumi up does",
  builder: (y) =>
    y
      .option("config", { type: "string", demandOption: true, describe: "The connector configuration JSON that `pulumi up` wrote, e.g. out/acme.nexxt.json" })
      .option("api-url", { type: "string", demandOption: true, describe: "The full https URL of this customer's connector configuration at Nexxt" })
      .option("api-token-env", { type: "string", default: "NEXXT_API_TOKEN", describe: "Environment variable holding the Nexxt API token (never the token itself)" })
      .option("timeout-ms", { type: "number", default: DEFAULT_PUSH_TIMEOUT_MS, describe: "Per-request timeout in milliseconds" })
      .option("retries", { type: "number", default: DEFAULT_PUSH_RETRIES, describe: "Retries on network errors, 5xx and 429 (a Retry-After header is honoured)" })
      .option("retry-base-ms", { type: "number", default: DEFAULT_RETRY_POLICY.baseDelayMs, describe: "First retry backoff in ms (doubles each retry)" })
      .option("json", { type: "boolean", default: false, describe: "Print machine-readable JSON on stdout" })
      .example("NEXXT_API_TOKEN=... $0 push-config --config out/acme.nexxt.json --api-url https://pbx.acme.nl/api/office365", "Send the file pulumi up wrote to the customer's Nexxt")
      .example("$0 push-config --config out/acme.nexxt.json --api-url https://pbx.acme.nl/api/office365 --api-token-env ACME_NEXXT_TOKEN --json", "Token from another variable, JSON result for a pipeline"),
  handler: async (argv) => {
    const flags = argv as unknown as PushConfigFlags;
    const io = ctx.io;
    checkFlags(flags);
    const document = readConnectorDocument(flags.config, io.cwd);
    const apiToken = tokenFrom(flags.apiTokenEnv, io.env);
    try {
      const result = await pushConnectorDocument({ url: flags.apiUrl, apiToken }, document, {
        timeoutMs: flags.timeoutMs,
        retries: flags.retries,
        baseDelayMs: flags.retryBaseMs,
        urlSetting: "--api-url",
        tokenSetting: `environment variable ${flags.apiTokenEnv}`,
        onRetry: (info) => io.stderr(`push-config: attempt ${info.attempt} failed (${info.reason}); retrying in ${info.delayMs} ms`),
      });
      const summary = { ok: true, url: result.url, status: result.status, attempts: result.attempts, applicationId: document.applicationId, companyId: document.companyId };
      io.stdout(
        flags.json
          ? JSON.stringify(summary, null, 2)
          : `Nexxt accepted the connector configuration of application ${document.applicationId} (company ${document.companyId}): PUT ${result.url} answered HTTP ${result.status} after ${result.attempts} attempt(s).`,
      );
      ctx.setExitCode(ExitCode.Ok);
    } catch (err) {
      if (!(err instanceof UserError) || !flags.json) throw err;
      // A pipeline reads stdout: say what failed there too; the entry point still prints stderr.
      io.stdout(JSON.stringify({ ok: false, error: err.message, exitCode: err.exitCode }, null, 2));
      throw err;
    }
  },
});

function checkFlags(flags: PushConfigFlags): void {
  if (!Number.isFinite(flags.timeoutMs) || flags.timeoutMs <= 0) {
    throw new UserError(`--timeout-ms '${flags.timeoutMs}' must be a positive number of milliseconds, e.g. --timeout-ms 10000.`);
  }
  if (!Number.isInteger(flags.retries) || flags.retries < 0 || flags.retries > 10) {
    throw new UserError(`--retries '${flags.retries}' must be a whole number from 0 to 10, e.g. --retries 5.`);
  }
  if (!Number.isFinite(flags.retryBaseMs) || flags.retryBaseMs <= 0) {
    throw new UserError(`--retry-base-ms '${flags.retryBaseMs}' must be a positive number of milliseconds, e.g. --retry-base-ms 500.`);
  }
}

/**
 * The token comes from the environment, never a flag (flags end up in shell history). A value
 * that is not a variable name is not echoed: it may be the token, pasted in the wrong place.
 */
function tokenFrom(name: string, env: NodeJS.ProcessEnv): string {
  if (!ENV_NAME.test(name)) {
    throw new UserError("--api-token-env must name an environment variable (letters, digits and _), such as NEXXT_API_TOKEN; put the token in that variable, not on the command line.");
  }
  const token = env[name];
  if (token === undefined || token === "") {
    throw new UserError(`Environment variable ${name} (named by --api-token-env) is empty or not set; put the Nexxt API token in it, or name another variable with --api-token-env.`);
  }
  registerSecret(token);
  return token;
}
