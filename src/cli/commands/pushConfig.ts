import { UserError } from "../../errors";
import { DEFAULT_RETRY_POLICY, RETRIED_FAILURES } from "../../http/retryPolicy";
import { DEFAULT_PUSH_RETRIES, DEFAULT_PUSH_TIMEOUT_MS, pushConnectorDocument } from "../../nexxt/pushClient";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { ExitCode } from "../../exitCodes";
import { MAX_TIMER_MS, integerFlag } from "../flagTypes";
import { readConnectorDocument } from "./graphFlags";
import { HARMLESS, quoteRejected, registerSecret } from "../../util/redact";
import { plural } from "../text";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The push `pulumi up` makes, by hand: for an admin who restored Nexxt or moved it to another
 * URL. Same client as the NexxtConfigPush resource, so the request is byte for byte the same.
 */
export const pushConfigCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (y) =>
      withExamples(
        y
          .option("config", { type: "string", demandOption: true, describe: "The connector configuration JSON that `pulumi up` wrote, e.g. out/acme.nexxt.json" })
          .option("api-url", { type: "string", demandOption: true, describe: "The full https URL of this customer's connector configuration at Nexxt" })
          .option("api-token-env", { type: "string", default: "NEXXT_API_TOKEN", describe: "Environment variable holding the Nexxt API token (never the token itself)" })
          .option("timeout-ms", {
            ...integerFlag("timeout-ms", { describe: "Per-request timeout in milliseconds", min: 1, max: MAX_TIMER_MS, unit: "milliseconds", example: 10_000 }),
            default: DEFAULT_PUSH_TIMEOUT_MS,
          })
          .option("retries", {
            ...integerFlag("retries", { describe: `Retries on ${RETRIED_FAILURES} (a Retry-After header is honoured)`, min: 0, max: 10, unit: "retries", example: 5 }),
            default: DEFAULT_PUSH_RETRIES,
          })
          .option("retry-base-ms", {
            ...integerFlag("retry-base-ms", { describe: "First retry backoff in ms (doubles each retry)", min: 1, max: MAX_TIMER_MS, unit: "milliseconds", example: 500 }),
            default: DEFAULT_RETRY_POLICY.baseDelayMs,
          })
          .option("json", { type: "boolean", default: false, describe: "Print machine-readable JSON on stdout" }),
        [
          {
            describe: "Send the file pulumi up wrote to the customer's Nexxt",
            lines: ["NEXXT_API_TOKEN=... $0 push-config", "--config out/acme.nexxt.json", "--api-url https://pbx.acme.nl/api/office365/connector"],
          },
          {
            describe: "Token from another variable, JSON result for a pipeline",
            lines: ["$0 push-config --config out/acme.nexxt.json", "--api-url https://pbx.acme.nl/api/office365/connector", "--api-token-env ACME_NEXXT_TOKEN --json"],
          },
        ],
      ),
    handler: async (flags) => {
      const io = ctx.io;
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
            : `Nexxt accepted the connector configuration of application ${document.applicationId} (company ${document.companyId}): PUT ${result.url} answered HTTP ${result.status} after ${plural(result.attempts, "attempt")}.`,
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

/**
 * The token comes from the environment, never a flag (flags end up in shell history). A value
 * that is not a variable name is not echoed: it may be the token, pasted in the wrong place.
 */
function tokenFrom(name: string, env: NodeJS.ProcessEnv): string {
  if (!ENV_NAME.test(name)) {
    throw new UserError(
      "--api-token-env must name an environment variable (letters, digits and _), such as NEXXT_API_TOKEN; put the token in that variable, not on the command line.",
    );
  }
  const token = env[name];
  if (token === undefined || token === "") {
    throw new UserError(
      `Environment variable ${quoteRejected(name, HARMLESS.envName, true)} (named by --api-token-env) is empty or not set; put the Nexxt API token in it, or name another variable with --api-token-env.`,
    );
  }
  registerSecret(token);
  return token;
}
