// The end of every deploying run: what failed, and the fleet at a glance.
//
//   node -r ts-node/register/transpile-only scripts/fleet-report.ts --deployed report-in --runs fleet-runs \
//     --results results --html fleet-view/index.html [--within 30]
//
// Reads the masked report inputs (scripts/report-inputs.ts; never a secret), the run records of
// earlier runs and this run's shard results (scripts/run-shard.ts). Moves each stack's last
// successful up and verify forward in --runs (the workflow carries that directory to the next run
// in the Actions cache), writes the self-contained HTML page, and the Markdown summary to
// $GITHUB_STEP_SUMMARY (stdout without it). Every failure of this run and every invalid stack file
// is an ::error:: line; exit 1 when there is any.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { renderFleetHtml } from "../src/fleet/fleetHtml";
import { renderFleetMarkdown } from "../src/fleet/fleetMarkdown";
import { FleetView, fleetView } from "../src/fleet/fleetView";
import { readDeployedFacts, readFleetStacks, readRunRecords } from "../src/fleet/readFleet";
import { mergeRunRecord } from "../src/fleet/runRecord";
import { StackResult, failuresOf } from "../src/fleet/shardRun";
import { writeFileAtomic } from "../src/util/atomicFile";
import { STACKS_DIR } from "../src/stacks/stackFile";

export interface FleetReport {
  view: FleetView;
  failures: StackResult[];
  markdown: string;
  html: string;
}

export async function fleetReport(args: string[], cwd: string, now: Date): Promise<FleetReport> {
  const { values } = parseArgs({
    args,
    options: { deployed: { type: "string" }, runs: { type: "string" }, results: { type: "string" }, html: { type: "string" }, within: { type: "string", default: "30" } },
  });
  for (const flag of ["deployed", "runs", "html"] as const) if (!values[flag]) throw new Error(`--${flag} is required (see the usage at the top of scripts/fleet-report.ts).`);
  const within = Number(values.within);
  if (!Number.isInteger(within) || within < 0) throw new Error(`--within '${values.within}' must be a whole number of days, e.g. 30.`);
  const resolve = (p: string) => path.resolve(cwd, p);
  const results = values.results ? readResults(resolve(values.results)) : [];
  const runsDir = resolve(values.runs!);
  const runs = readRunRecords(runsDir);
  fs.mkdirSync(runsDir, { recursive: true });
  for (const result of results) {
    const record = mergeRunRecord(runs.get(result.stack), result.stack, { upOkAt: result.upAt, verifyOkAt: result.verifyAt });
    runs.set(result.stack, record);
    await writeFileAtomic(path.join(runsDir, `${result.stack}.json`), JSON.stringify(record, null, 2) + "\n");
  }
  const deployedDir = resolve(values.deployed!);
  const view = fleetView({
    stacks: readFleetStacks(cwd, STACKS_DIR),
    deployed: fs.existsSync(deployedDir) ? readDeployedFacts(deployedDir) : new Map(),
    runs,
    results,
    at: now,
    withinDays: within,
  });
  const failures = failuresOf(results);
  const report = { view, failures, markdown: renderFleetMarkdown(view, failures), html: renderFleetHtml(view) };
  const htmlFile = resolve(values.html!);
  fs.mkdirSync(path.dirname(htmlFile), { recursive: true });
  await writeFileAtomic(htmlFile, report.html);
  return report;
}

/** Every shard's results file (results/<shard>.json); a missing directory means no shard ran. */
function readResults(dir: string): StackResult[] {
  if (!fs.existsSync(dir)) return [];
  const results: StackResult[] = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const file = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as { results?: StackResult[] };
    results.push(...(file.results ?? []));
  }
  return results;
}

if (require.main === module) {
  fleetReport(process.argv.slice(2), process.cwd(), new Date())
    .then((report) => {
      if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, report.markdown);
      else process.stdout.write(report.markdown);
      for (const failure of report.failures) process.stdout.write(`::error title=${failure.stack}::${failure.mode}/${failure.step}: ${failure.message}\n`);
      // An invalid stack file is never applied, so its customer silently falls behind: red too.
      const invalid = report.view.rows.filter((row) => row.status === "invalid");
      for (const row of invalid) process.stdout.write(`::error title=${row.stack}::stacks/Pulumi.${row.stack}.yaml is invalid and was not applied: ${row.note}\n`);
      process.stdout.write(
        `fleet-report: ${report.view.rows.length} customer(s), ${report.failures.length} failure(s) in this run${report.failures.length > 0 ? `: ${report.failures.map((f) => f.stack).join(", ")}` : ""}.\n`,
      );
      if (report.failures.length > 0 || invalid.length > 0) process.exitCode = 1;
    })
    .catch((err) => {
      process.stderr.write(`fleet-report: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
