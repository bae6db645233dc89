import * as fs from "node:fs";
import * as path from "node:path";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { ExitCode } from "../../exitCodes";
import { UserError } from "../../errors";
import { integerFlag } from "../flagTypes";
import { ensureStack } from "../../automation/ensureStack";
import { firstLine, openProjectWorkspace } from "../../automation/projectWorkspace";
import { renderChecks, verifyExitCode } from "../../graph/verifyChecks";
import { parseConnectorDocument } from "../../nexxt/connectorDocument";
import { policyConfigFor, POLICY_CONFIG_DIR } from "../../stacks/changedStacks";
import { findProjectRoot } from "../../stacks/projectRoot";
import { STACKS_DIR, checkStackName, readStackFile, settingsOfStackFile } from "../../stacks/stackFile";
import { registerSecret } from "../../util/redact";
import { GraphFlags, httpOptionsFrom, resolveGraphConnection } from "./graphFlags";
import { PulumiRun, pulumiRun, stoppedMessage } from "./pulumiRun";
import { ttyStatus } from "./ttyProgress";
import { verifyWithWait } from "./verifyWait";

/** How long `up` waits for a new secret and grant to work before verify gives up (as the pipeline). */
const DEFAULT_WAIT_SECONDS = 600;

/**
 * The main job in one command, after `az login`: the state backend (the project's own folder
 * unless PULUMI_BACKEND_URL says otherwise), the passphrase (a file outside the repository,
 * created once), the stack (created when missing, as the pipeline does), `pulumi up` with the
 * policy pack, then verify, then the hand-off. Built on Pulumi's Automation API over the CLI.
 */
export const upCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("stack", { type: "string", demandOption: true, describe: "The customer: stacks/Pulumi.<stack>.yaml (bin/nexxt-onboard new-customer writes it)" })
          .option("preview", {
            type: "boolean",
            default: false,
            describe: "Dry run: show what up would change (pulumi preview with the policy pack); change nothing, verify nothing",
          })
          .option("wait", {
            ...integerFlag("wait", {
              describe: "Seconds verify keeps retrying after up (new secrets and grants take minutes)",
              min: 0,
              max: 86_400,
              unit: "seconds",
              example: 600,
            }),
            default: DEFAULT_WAIT_SECONDS,
          })
          .option("authority-host", { type: "string", describe: "Login host override for verify, e.g. https://login.microsoftonline.us" })
          .option("graph-url", { type: "string", describe: "Graph root override for verify, e.g. https://graph.microsoft.us" })
          .option("json", { type: "boolean", default: false, describe: "Print one JSON document on stdout (no progress)" }),
        [
          { describe: "Connect customer acme, after az login --tenant <tenant ID>", lines: ["$0 up --stack acme"] },
          { describe: "See what it would change, without changing anything", lines: ["$0 up --stack acme --preview"] },
          { describe: "With PULUMI_BACKEND_URL set (a shared backend), as JSON", lines: ["$0 up --stack acme --json"] },
        ],
      ),
    handler: async (argv) => {
      const io = ctx.io;
      const json = argv.json;
      const say = (text: string) => {
        if (!json) io.stderr(text);
      };
      // Everything that can be wrong with the input is found before the backend is touched.
      checkStackName(argv.stack);
      const projectDir = findProjectRoot(io.cwd);
      if (projectDir === undefined) throw new UserError(`No Pulumi.yaml in ${io.cwd} or above; run up from the project directory (the one with Pulumi.yaml).`);
      if (!fs.existsSync(path.join(projectDir, STACKS_DIR, `Pulumi.${argv.stack}.yaml`))) {
        throw new UserError(
          `There is no stack file ${STACKS_DIR}/Pulumi.${argv.stack}.yaml; write it first with \`bin/nexxt-onboard new-customer ${argv.stack} --tenant-id <guid> --company-id <id>\`.`,
        );
      }
      const settings = settingsOfStackFile(readStackFile(projectDir, argv.stack));
      const policyDir = path.join(projectDir, POLICY_CONFIG_DIR);
      const policyConfig = policyConfigFor(argv.stack, fs.existsSync(policyDir) ? fs.readdirSync(policyDir).map((name) => `${POLICY_CONFIG_DIR}/${name}`) : []);

      ttyStatus(io, json, "Starting the Pulumi CLI…");
      // ARM_TENANT_ID: the azuread provider signs in to this customer's tenant (with `az login`'s
      // account, or the ARM_* service principal), as run-shard does in the pipeline.
      const opened = await openProjectWorkspace({ projectDir, env: { ...io.env, ARM_TENANT_ID: settings.tenantId }, embeddedDefaults: true });
      const { backend, workspace } = opened;
      if (backend.createdPassphraseFile) {
        say(
          `Created the state's passphrase in ${backend.createdPassphraseFile} (mode 0600). Back this file up now (a password manager, a vault): without it the state on this backend cannot be decrypted, and nothing can recover it.`,
        );
      }
      let presence;
      try {
        presence = await ensureStack(workspace, argv.stack, { create: true });
      } catch (err) {
        throw new UserError(`The state backend ${backend.backendUrl} could not be asked for stack ${argv.stack}: ${firstLine(err)}.`);
      }
      if (presence === "created") say(`Created stack ${argv.stack} in ${backend.embeddedBackend ? `the project's own state folder (${backend.backendUrl})` : backend.backendUrl}.`);

      const automation = await import("@pulumi/pulumi/automation");
      const stack = await automation.Stack.select(argv.stack, workspace);
      // The CLI's own progress lines, on the terminal only (--json keeps stdout one document);
      // Ctrl-C and the time limit stop it cleanly.
      const progress = pulumiRun(io, json);
      const options = {
        // The history read after the run needs no secret (the outputs, read for verify, do).
        showSecrets: false,
        policyPacks: ["policy"],
        policyPackConfigs: [policyConfig],
        onOutput: progress.onOutput,
        signal: progress.signal,
      };
      const summary = {
        stack: argv.stack,
        created: presence === "created",
        backend: { url: backend.backendUrl, embedded: backend.embeddedBackend },
        passphraseFile: backend.passphraseFile,
        pulumiVersion: opened.cliVersion,
      };

      if (argv.preview) {
        let preview;
        try {
          preview = await stack.preview({ ...options, diff: true });
        } catch (err) {
          return failed(stoppedMessage(progress, `pulumi preview --stack ${argv.stack}`) ?? `pulumi preview --stack ${argv.stack} failed: ${firstLine(err)}.`, progress);
        } finally {
          progress.done();
        }
        if (json) io.stdout(JSON.stringify({ ...summary, mode: "preview", changeSummary: preview.changeSummary }, null, 2));
        else io.stdout(`preview of ${argv.stack}: ${renderChanges(preview.changeSummary)}; nothing was changed. Run without --preview to apply.`);
        return ctx.setExitCode(ExitCode.Ok);
      }

      let up;
      try {
        up = await stack.up(options);
      } catch (err) {
        return failed(
          stoppedMessage(progress, `pulumi up --stack ${argv.stack}`) ??
            `pulumi up --stack ${argv.stack} failed: ${firstLine(err)}; nothing is lost, run the same command again once fixed.`,
          progress,
        );
      } finally {
        progress.done();
      }
      const outputs = Object.fromEntries(Object.entries(up.outputs).map(([key, output]) => [key, output.value as unknown]));
      registerSecret(typeof outputs.clientSecret === "string" ? outputs.clientSecret : undefined);
      const document = parseConnectorDocument(
        {
          applicationId: outputs.applicationId,
          apiKey: outputs.clientSecret,
          oauth2TokenEndpoint: outputs.tokenEndpoint,
          tenantId: outputs.tenantId,
          companyId: outputs.companyId,
          secretExpiresAt: outputs.secretExpiresAt,
          permissions: outputs.grantedPermissions,
        },
        `the outputs of stack ${argv.stack}`,
      );
      const flags = {
        config: `the outputs of stack ${argv.stack}`,
        cloud: settings.cloud.name,
        authorityHost: argv.authorityHost,
        graphUrl: argv.graphUrl,
        timeoutMs: 30_000,
        retries: 5,
        retryBaseMs: 500,
      } as unknown as GraphFlags;
      const connection = resolveGraphConnection(flags, io.env, document);
      say(`pulumi up done (${renderChanges(up.summary?.resourceChanges ?? {})}); verifying as Nexxt will sign in…`);
      const verified = await verifyWithWait(io, json, { ...connection, expectedPermissions: document.permissions }, httpOptionsFrom(flags), argv.wait, 5_000);
      const exitCode = verifyExitCode(verified.checks);
      const handoff = typeof outputs.handoff === "string" ? outputs.handoff : undefined;
      if (json) {
        io.stdout(
          JSON.stringify(
            {
              ...summary,
              mode: "up",
              resourceChanges: up.summary?.resourceChanges ?? {},
              applicationId: document.applicationId,
              tenantId: document.tenantId,
              secretExpiresAt: document.secretExpiresAt,
              nextRotationAt: outputs.nextRotationAt,
              verify: { ok: exitCode === ExitCode.Ok, rounds: verified.rounds, checks: verified.checks },
              handoff,
            },
            null,
            2,
          ),
        );
      } else {
        io.stdout(renderChecks(verified.checks));
        if (handoff) io.stdout(`\n${handoff}`);
        io.stdout(
          exitCode === ExitCode.Ok
            ? `\n${argv.stack} is connected: give Customer Care the hand-off above (never the secret; Nexxt has it, or it is in the connector file).`
            : `\nup succeeded, but verify did not pass yet: see the checks above; run \`bin/nexxt-onboard up --stack ${argv.stack}\` again later (it changes nothing that works).`,
        );
      }
      ctx.setExitCode(exitCode);

      function failed(message: string, run: PulumiRun) {
        if (json) io.stdout(JSON.stringify({ ...summary, ok: false, error: message }, null, 2));
        else io.stderr(`error: ${message}`);
        ctx.setExitCode(run.stopped() === "interrupted" ? ExitCode.Interrupted : ExitCode.RemoteFailed);
      }
    },
  });

function renderChanges(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}
