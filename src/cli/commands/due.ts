import * as path from "node:path";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { ExitCode } from "../../exitCodes";
import { parseAtFlag } from "../atFlag";
import { fleetDue, renderDue } from "../../fleet/fleetDue";
import { changedFilesSince, stacksWithChangedFiles } from "../../fleet/gitChanges";
import { readDeployedState, readFleetStacks, readRunRecords } from "../../fleet/readFleet";
import { DIR_FLAG_HELP, findProjectRoot, stacksDirectory } from "../../stacks/projectRoot";

export const dueCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("at", { type: "string", describe: "As of this date (YYYY-MM-DD) instead of today" })
          .option("dir", { type: "string", describe: DIR_FLAG_HELP })
          .option("deployed", {
            type: "string",
            describe: "Directory scripts/report-inputs.ts wrote (masked <stack>.nexxt.json documents and backend-stacks.json): finds never-deployed stacks and missed rotations",
          })
          .option("runs", { type: "string", describe: "Directory of the pipeline's run records (<stack>.json with lastUpAt): events since the last up count, not just today's" })
          .option("changed-since", { type: "string", describe: "A git commit: stacks whose stack file or policy config changed since then are due" })
          .option("json", { type: "boolean", default: false, describe: "Print JSON (the input of scripts/fleet-plan.ts)" }),
        [
          { describe: "Which stacks rotate today, from the stack files alone", lines: ["$0 due"] },
          { describe: "What the scheduled pipeline applies on 1 June 2027", lines: ["$0 due --at 2027-06-01 --deployed report-in", "--runs fleet-runs --json"] },
        ],
      ),
    handler: async (argv) => {
      const at = argv.at === undefined ? ctx.io.now() : parseAtFlag(argv.at);
      const stacksDir = stacksDirectory(ctx.io.cwd, argv.dir);
      // Policy config sits beside stacks/ in the project (readFleet.ts); a bare stack directory has none.
      const stacks = readFleetStacks(findProjectRoot(stacksDir) ?? path.dirname(stacksDir), stacksDir, ctx.io.cwd);
      const resolve = (dir: string) => path.resolve(ctx.io.cwd, dir);
      const changed =
        argv.changedSince === undefined
          ? new Set<string>()
          : new Set(
              stacksWithChangedFiles(
                changedFilesSince(ctx.io.cwd, argv.changedSince),
                stacks.map((entry) => entry.stack),
              ),
            );
      const deployed = argv.deployed === undefined ? undefined : readDeployedState(resolve(argv.deployed));
      const result = fleetDue(
        stacks,
        {
          deployed: deployed?.facts,
          inBackend: deployed?.inBackend,
          unreadable: deployed?.unreadable,
          runs: argv.runs === undefined ? new Map() : readRunRecords(resolve(argv.runs)),
          changed,
        },
        at,
      );
      ctx.io.stdout(argv.json ? JSON.stringify(result, null, 2) : renderDue(result));
      // An invalid stack file is never applied, an unknown deployment never taken for new: fail, so
      // someone looks, after listing the rest.
      ctx.setExitCode(result.problems.length > 0 || result.unknown.length > 0 ? ExitCode.CheckFailed : ExitCode.Ok);
    },
  });
