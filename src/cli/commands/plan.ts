import { CommandFactory, typedCommand, withExamples } from "../command";
import { ExitCode } from "../../exitCodes";
import { readStackFile, settingsOfStackFile } from "../../stacks/stackFile";
import type { OfflinePlan } from "../../plan/offlinePlan";
import { parseAtFlag } from "../atFlag";
import { DIR_FLAG_HELP, fromCwd, stacksDirectory } from "../../stacks/projectRoot";

export const planCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("stack", { type: "string", demandOption: true, describe: "Customer stack: reads Pulumi.<stack>.yaml in the stack directory (--dir)" })
          .option("dir", { type: "string", describe: DIR_FLAG_HELP })
          .option("at", { type: "string", describe: "Plan as of this date (YYYY-MM-DD): which secret slot rotates then" })
          .option("json", { type: "boolean", default: false, describe: "Print the plan as JSON (for pipelines)" }),
        [
          { describe: "What pulumi up would register for customer acme", lines: ["$0 plan --stack acme"] },
          { describe: "The secret schedule on 1 June 2027, as JSON", lines: ["$0 plan --stack acme --at 2027-06-01 --json"] },
        ],
      ),
    handler: async (argv) => {
      const at = argv.at === undefined ? ctx.io.now() : parseAtFlag(argv.at);
      const cwd = ctx.io.cwd;
      const stackFile = readStackFile(cwd, argv.stack, fromCwd(cwd, stacksDirectory(cwd, argv.dir)));
      const settings = settingsOfStackFile(stackFile);
      // Loaded here, not at start-up: the Pulumi SDK and azuread cost ~90 MB and a second, which
      // every other command would pay for nothing.
      const { planStack } = await import("../../plan/offlinePlan");
      const { renderPlan } = await import("../../plan/renderPlan");
      const plan: OfflinePlan = await planStack(stackFile, settings, at);
      ctx.io.stdout(argv.json ? JSON.stringify(plan, null, 2) : renderPlan(plan));
      ctx.setExitCode(ExitCode.Ok);
    },
  });
