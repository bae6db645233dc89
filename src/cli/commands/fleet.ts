import * as fs from "node:fs";
import * as path from "node:path";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { WITHIN_FLAG } from "./withinFlag";
import { ExitCode } from "../../exitCodes";
import { UserError } from "../../errors";
import { parseAtFlag } from "../atFlag";
import { readBackendFleet } from "../../automation/backendFleet";
import { resolveBackend } from "../../automation/backendSettings";
import { findPulumiOnPath } from "../../automation/projectWorkspace";
import { renderFleetHtml } from "../../fleet/fleetHtml";
import { renderFleetMarkdown } from "../../fleet/fleetMarkdown";
import { fleetView } from "../../fleet/fleetView";
import { readFleetStacks, readRunRecords } from "../../fleet/readFleet";
import type { StackResult } from "../../fleet/shardRun";
import { findProjectRoot } from "../../stacks/projectRoot";
import { STACKS_DIR } from "../../stacks/stackFile";
import { writeFileAtomic } from "../../util/atomicFile";
import { ttyProgress } from "./ttyProgress";

/**
 * The fleet as the state backend has it, from any machine with the backend's address: the same
 * view (and page) the pipeline publishes, read with `pulumi stack ls` / `stack output` / `stack
 * history`, never --show-secrets, so no passphrase is needed and no secret is decrypted.
 */
export const fleetCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("runs", {
            type: "string",
            describe: "The pipeline's run records (<stack>.json): last up and last verify; without them the last up comes from the stack's history",
          })
          .option("within", WITHIN_FLAG)
          .option("html", { type: "string", describe: "Also write the fleet page (the pipeline's fleet-view index.html) to this new file" })
          .option("at", { type: "string", describe: "As of this date (YYYY-MM-DD) instead of today" })
          .option("json", { type: "boolean", default: false, describe: "Print the fleet view as JSON" }),
        [
          { describe: "Every customer's deployed state (PULUMI_BACKEND_URL set)", lines: ["$0 fleet"] },
          { describe: "The pipeline's page, with its run records", lines: ["$0 fleet --runs fleet-runs --html fleet.html"] },
        ],
      ),
    handler: async (argv) => {
      const io = ctx.io;
      const at = argv.at === undefined ? io.now() : parseAtFlag(argv.at);
      const projectDir = findProjectRoot(io.cwd);
      if (projectDir === undefined) throw new UserError(`No Pulumi.yaml in ${io.cwd} or above; run fleet from the project directory (the one with Pulumi.yaml).`);
      const htmlFile = argv.html === undefined ? undefined : path.resolve(io.cwd, argv.html);
      // Only a page of our own is replaced; any other file of that name is the user's.
      if (htmlFile !== undefined && fs.existsSync(htmlFile) && !fs.readFileSync(htmlFile, "utf8").includes(PAGE_MARK)) {
        throw new UserError(`--html ${argv.html} already exists and is not a fleet page; give a new file name.`);
      }
      const cli = findPulumiOnPath(io.env);
      if (cli === undefined) throw new UserError('The Pulumi CLI (`pulumi`) is not on PATH; install it (docs/up.md, "Before you start") and run this again.');
      const backend = resolveBackend({ projectDir, env: io.env, embeddedDefaults: true, readOnly: true });
      const stacks = readFleetStacks(projectDir, STACKS_DIR, io.cwd);
      const runs = argv.runs === undefined ? new Map() : readRunRecords(path.resolve(io.cwd, argv.runs));
      const progress = ttyProgress(io, argv.json, "fleet {bar} {value}/{total} stacks");
      let started = false;
      const fleet = await readBackendFleet({
        cli,
        cwd: projectDir,
        env: { ...io.env, ...backend.env },
        stacks: stacks.map((entry) => entry.stack),
        historyFor: new Set(stacks.map((entry) => entry.stack).filter((stack) => runs.get(stack)?.lastUpAt === undefined)),
        onProgress: (done, total) => {
          if (!started) progress.start(total, {});
          started = true;
          progress.update(done, {});
        },
      });
      progress.stop();
      for (const [stack, lastUpAt] of fleet.lastUpAt) runs.set(stack, { ...runs.get(stack), stack, lastUpAt });
      // A stack whose outputs could not be read is not "not deployed": it shows as failed, with why.
      const results: StackResult[] = [...fleet.unreadable].map(([stack, message]) => ({ stack, mode: "up", outcome: "failed", step: "state", message }));
      const view = fleetView({ stacks, deployed: fleet.deployed, runs, results, at, withinDays: argv.within });
      const withoutFile = [...fleet.inBackend].filter((stack) => !stacks.some((entry) => entry.stack === stack)).sort();
      if (htmlFile !== undefined) {
        fs.mkdirSync(path.dirname(htmlFile), { recursive: true });
        await writeFileAtomic(htmlFile, renderFleetHtml(view));
      }
      if (argv.json) io.stdout(JSON.stringify({ backend: backend.backendUrl, ...view, inBackendWithoutStackFile: withoutFile }, null, 2));
      else {
        io.stdout(renderFleetMarkdown(view, results).trimEnd());
        if (withoutFile.length > 0) io.stdout(`\nIn the state backend without a stack file (offboarded, or a file not checked out): ${withoutFile.join(", ")}.`);
        if (htmlFile !== undefined) io.stdout(`\nWrote the fleet page to ${argv.html}.`);
      }
      const attention = view.counts.failed + view.counts.invalid + view.counts.expired + view.counts.expiring;
      ctx.setExitCode(attention > 0 ? ExitCode.CheckFailed : ExitCode.Ok);
    },
  });

/** Text every fleet page carries (fleetHtml.ts: its title), so --html replaces only a page of ours. */
const PAGE_MARK = "<title>Nexxt Office 365 fleet, ";
