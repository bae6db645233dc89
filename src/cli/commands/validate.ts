import { CommandFactory, typedCommand, withExamples } from "../command";
import { ExitCode } from "../../exitCodes";
import { DIR_FLAG_HELP, fromCwd, stacksDirectory } from "../../stacks/projectRoot";
import { checkStackDirectory, StackDirectoryReport } from "../../stacks/stackDirectory";
import type { StackProblem } from "../../stacks/stackProblem";

export const validateCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("dir", { type: "string", describe: DIR_FLAG_HELP })
          .option("json", { type: "boolean", default: false, describe: "Print the stacks and problems as JSON (for pipelines)" }),
        [
          { describe: "Check stacks/ as the pull request pipeline does", lines: ["$0 validate"] },
          { describe: "The files with problems, for a script", lines: ["$0 validate --json | jq '.problems[] | .file'"] },
        ],
      ),
    handler: (argv) => {
      const cwd = ctx.io.cwd;
      const report = checkStackDirectory(cwd, fromCwd(cwd, stacksDirectory(cwd, argv.dir)));
      ctx.io.stdout(argv.json ? JSON.stringify({ ...report, ok: report.problems.length === 0 }, null, 2) : renderReport(report));
      ctx.setExitCode(report.problems.length === 0 ? ExitCode.Ok : ExitCode.CheckFailed);
    },
  });

function renderReport(report: StackDirectoryReport): string {
  const lines = report.problems.map((problem) => `${problem.file}: ${keyPrefix(problem)}${problem.message}`);
  lines.push(...report.notices.map((notice) => `notice: ${notice.message}`));
  const count = `${report.stacks.length} stack file${report.stacks.length === 1 ? "" : "s"} in ${report.dir}`;
  lines.push(report.problems.length === 0 ? `Checked ${count}: all valid.` : `Checked ${count}: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}.`);
  return lines.join("\n");
}

/** Most messages already open with their key; name it only when the sentence does not. */
function keyPrefix(problem: StackProblem): string {
  return problem.key && !problem.message.startsWith(problem.key) ? `${problem.key}: ` : "";
}
