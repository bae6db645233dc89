import * as fs from "node:fs";
import * as path from "node:path";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { ExitCode } from "../../exitCodes";
import { UserError } from "../../errors";
import { ensureStack } from "../../automation/ensureStack";
import { OffboardPlan, offboardPlan } from "../../automation/offboardPlan";
import { firstLine, openProjectWorkspace } from "../../automation/projectWorkspace";
import { runPulumiCli } from "../../automation/pulumiCli";
import { POLICY_CONFIG_DIR } from "../../stacks/changedStacks";
import { findProjectRoot } from "../../stacks/projectRoot";
import { STACKS_DIR, checkStackName, readStackFile, settingsOfStackFile } from "../../stacks/stackFile";
import { pulumiRun, stoppedMessage } from "./pulumiRun";
import { ttyStatus } from "./ttyProgress";

/**
 * Leaving a customer: `pulumi destroy` of the stack (the registration, its secrets and grants; the
 * Nexxt connector configuration when the stack pushed it), then the list of what deliberately
 * stays in the customer's tenant and how to remove it. Refuses without --confirm <stack>.
 */
export const offboardCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("stack", { type: "string", demandOption: true, describe: "The customer stack to destroy" })
          .option("confirm", { type: "string", describe: "The stack's name again: offboarding deletes the registration Nexxt signs in with" })
          .option("json", { type: "boolean", default: false, describe: "Print one JSON document on stdout (no progress)" }),
        [{ describe: "Disconnect customer acme from Nexxt and remove what the stack made", lines: ["$0 offboard --stack acme --confirm acme"] }],
      ),
    handler: async (argv) => {
      const io = ctx.io;
      checkStackName(argv.stack);
      if (argv.confirm !== argv.stack) {
        throw new UserError(
          `offboard deletes what stack ${argv.stack} made in the customer's tenant (Nexxt stops working for them); repeat the stack's name to confirm: --confirm ${argv.stack}.`,
        );
      }
      const projectDir = findProjectRoot(io.cwd);
      if (projectDir === undefined) throw new UserError(`No Pulumi.yaml in ${io.cwd} or above; run offboard from the project directory (the one with Pulumi.yaml).`);
      const stackFile = path.join(projectDir, STACKS_DIR, `Pulumi.${argv.stack}.yaml`);
      if (!fs.existsSync(stackFile)) {
        throw new UserError(`There is no stack file ${STACKS_DIR}/Pulumi.${argv.stack}.yaml; pulumi destroy needs it (restore it from git history) before offboarding.`);
      }
      const settings = settingsOfStackFile(readStackFile(projectDir, argv.stack));

      ttyStatus(io, argv.json, "Starting the Pulumi CLI…");
      const opened = await openProjectWorkspace({ projectDir, env: { ...io.env, ARM_TENANT_ID: settings.tenantId }, embeddedDefaults: true, mayCreatePassphrase: false });
      const { workspace, backend } = opened;
      let presence;
      try {
        presence = await ensureStack(workspace, argv.stack, { create: false });
      } catch (err) {
        throw new UserError(`The state backend ${backend.backendUrl} could not be asked for stack ${argv.stack}: ${firstLine(err)}.`);
      }
      if (presence === "missing") {
        throw new UserError(
          `Stack ${argv.stack} is not in the state backend ${backend.backendUrl}, so there is nothing to destroy from here; set PULUMI_BACKEND_URL to the backend it was applied with.`,
        );
      }
      // What stays is read from the state before it is gone; `stack export` without
      // --show-secrets never decrypts anything.
      const cliEnv = { ...io.env, ...backend.env, ARM_TENANT_ID: settings.tenantId };
      const exported = await runPulumiCli(workspace.pulumiCommand.command, ["stack", "export", "--stack", argv.stack], { cwd: projectDir, env: cliEnv });
      if (exported.code !== 0) throw new UserError(`The state of stack ${argv.stack} could not be read (\`pulumi stack export\`: ${exported.error}); nothing was destroyed.`);
      let state: unknown;
      try {
        state = JSON.parse(exported.stdout);
      } catch {
        throw new UserError(`\`pulumi stack export --stack ${argv.stack}\` did not print a JSON state (is \`pulumi\` the Pulumi CLI?); nothing was destroyed.`);
      }
      const plan = offboardPlan(state, settings.companyId);

      const automation = await import("@pulumi/pulumi/automation");
      const stack = await automation.Stack.select(argv.stack, workspace);
      const progress = pulumiRun(io, argv.json);
      try {
        await stack.destroy({ showSecrets: false, onOutput: progress.onOutput, signal: progress.signal });
      } catch (err) {
        const message =
          stoppedMessage(progress, `pulumi destroy --stack ${argv.stack}`) ??
          `pulumi destroy --stack ${argv.stack} failed: ${firstLine(err)}; what was deleted stays deleted, run the same command again to finish.`;
        if (argv.json) io.stdout(JSON.stringify({ stack: argv.stack, ok: false, error: message }, null, 2));
        else io.stderr(`error: ${message}`);
        return ctx.setExitCode(progress.stopped() === "interrupted" ? ExitCode.Interrupted : ExitCode.RemoteFailed);
      } finally {
        progress.done();
      }
      const policyConfig = path.join(projectDir, POLICY_CONFIG_DIR, `${argv.stack}.json`);
      const nextSteps = [
        `Delete ${STACKS_DIR}/Pulumi.${argv.stack}.yaml${fs.existsSync(policyConfig) ? ` and ${POLICY_CONFIG_DIR}/${argv.stack}.json` : ""} and merge that: while the file exists, the pipeline takes the empty stack for a new customer and applies it again.`,
        `The stack stays in the state backend, empty, with its history; \`pulumi stack rm ${argv.stack}\` removes it.`,
      ];
      if (argv.json) {
        io.stdout(JSON.stringify({ stack: argv.stack, ok: true, backend: backend.backendUrl, ...plan, nextSteps }, null, 2));
      } else {
        io.stdout(render(argv.stack, plan, nextSteps));
      }
      ctx.setExitCode(ExitCode.Ok);
    },
  });

function render(stack: string, plan: OffboardPlan, nextSteps: string[]): string {
  const lines = [`offboard ${stack}: destroyed ${plan.deleted.length} resource(s).`];
  if (plan.nexxt.pushed)
    lines.push(
      plan.nexxt.removed
        ? `The connector configuration in Nexxt${plan.nexxt.url ? ` (${plan.nexxt.url})` : ""} was deleted.`
        : "The connector configuration in Nexxt was kept (see below).",
    );
  if (plan.stays.length > 0) {
    lines.push("", "What deliberately stays, and how to remove it:");
    for (const item of plan.stays) lines.push(`- ${item.what}`, `  To remove: ${item.remove}`);
  }
  lines.push("", "Next:", ...nextSteps.map((step) => `- ${step}`));
  return lines.join("\n");
}
