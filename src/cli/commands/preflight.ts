import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { CLOUDS } from "../../catalogue/clouds";
import { UserError } from "../../errors";
import { renderChecks, verifyExitCode } from "../../graph/verifyChecks";
import { DEFAULT_RETRY_POLICY } from "../../http/retryPolicy";
import { requireSecureUrl } from "../../http/urlPolicy";
import { readPartnerConfig } from "../../partner/partnerConfig";
import { runPreflight } from "../../preflight/runPreflight";
import { DIR_FLAG_HELP, PROJECT_FILE, findProjectRoot, fromCwd, stacksDirectory } from "../../stacks/projectRoot";
import { readStackFile, settingsOfStackFile } from "../../stacks/stackFile";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { GRAPH_OPTIONS } from "./graphFlags";
import { ttyStatus } from "./ttyProgress";

/** The project name Pulumi.yaml gives, for the `<project>/<stack>` note pulumi up writes. */
const DEFAULT_PROJECT = "nexxt";

export const preflightCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (y) =>
      withExamples(
        y
          .option("stack", { type: "string", demandOption: true, describe: "Customer stack: reads Pulumi.<stack>.yaml in the stack directory (--dir)" })
          .option("dir", { type: "string", describe: DIR_FLAG_HELP })
          .options({
            cloud: { ...GRAPH_OPTIONS.cloud, describe: "The tenant's cloud [default: the stack's nexxt:cloud]" },
            "authority-host": { ...GRAPH_OPTIONS["authority-host"], describe: "Login host override (https), e.g. https://login.microsoftonline.us" },
            "graph-url": GRAPH_OPTIONS["graph-url"],
            json: GRAPH_OPTIONS.json,
            "timeout-ms": GRAPH_OPTIONS["timeout-ms"],
            retries: GRAPH_OPTIONS.retries,
            "retry-base-ms": GRAPH_OPTIONS["retry-base-ms"],
          }),
        [
          { describe: "Before the first pulumi up for customer acme, signed in with `az login`", lines: ["$0 preflight --stack acme"] },
          {
            describe: "As the pipeline signs in (ARM_TENANT_ID, ARM_CLIENT_ID set), JSON",
            lines: ["ARM_CLIENT_SECRET=... $0 preflight --stack acme --json"],
          },
        ],
      ),
    handler: async (flags) => {
      const io = ctx.io;
      const cwd = io.cwd;
      const stackFile = readStackFile(cwd, flags.stack, fromCwd(cwd, stacksDirectory(cwd, flags.dir)));
      const settings = settingsOfStackFile(stackFile);
      const cloud = flags.cloud !== undefined ? CLOUDS[flags.cloud] : settings.cloud;
      const loginHost = originOf(flags.authorityHost, "--authority-host", cloud.loginHost);
      // MSAL accepts only an https authority (msal-common UrlString.validateAsUri), loopback included.
      if (!loginHost.startsWith("https://")) {
        throw new UserError(
          `--authority-host '${loginHost}' must be an https URL: the Microsoft sign-in library refuses plain http, even on a loopback address; e.g. ${cloud.loginHost}.`,
        );
      }
      const graphRoot = originOf(flags.graphUrl, "--graph-url", cloud.graphRoot);
      const stackRef = `${projectName(cwd)}/${flags.stack}`;
      const root = findProjectRoot(cwd);
      const partner = root === undefined ? undefined : readPartnerConfig(root, fromCwd(cwd, path.join(root, "partner.yaml")));

      ttyStatus(io, flags.json, `Signing in as pulumi up will, for tenant ${settings.tenantId}…`);
      const result = await runPreflight({
        settings,
        stackRef,
        now: io.now(),
        loginHost,
        graphRoot,
        env: io.env,
        cwd,
        partner,
        http: { timeoutMs: flags.timeoutMs, policy: { retries: flags.retries, baseDelayMs: flags.retryBaseMs, maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs } },
      });
      const exitCode = verifyExitCode(result.checks);
      if (flags.json) {
        io.stdout(
          JSON.stringify({ ok: exitCode === 0, stack: flags.stack, tenantId: settings.tenantId, signIn: result.signIn, loginHost, graphRoot, checks: result.checks }, null, 2),
        );
      } else {
        io.stdout(`preflight: stack ${flags.stack}, tenant ${settings.tenantId}, signing in with ${result.signIn}`);
        io.stdout(renderChecks(result.checks));
      }
      ctx.setExitCode(exitCode);
    },
  });

function originOf(value: string | undefined, flag: string, fallback: string): string {
  if (value === undefined) return fallback;
  const url = requireSecureUrl(value, flag, fallback);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Pulumi.yaml's `name`, which pulumi up puts in `<project>/<stack>`; the default when it cannot be read. */
function projectName(cwd: string): string {
  const root = findProjectRoot(cwd);
  if (root === undefined) return DEFAULT_PROJECT;
  try {
    const parsed = YAML.parse(fs.readFileSync(path.join(root, PROJECT_FILE), "utf8")) as { name?: unknown } | null;
    return typeof parsed?.name === "string" && parsed.name !== "" ? parsed.name : DEFAULT_PROJECT;
  } catch {
    return DEFAULT_PROJECT;
  }
}
