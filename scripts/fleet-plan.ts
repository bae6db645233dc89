// Which stacks a workflow run previews or applies, in which phase and which shard:
//
//   node -r ts-node/register/transpile-only scripts/fleet-plan.ts --event pull_request --base <sha>
//   node -r ts-node/register/transpile-only scripts/fleet-plan.ts --event push --base <sha> --due due.json
//   node -r ts-node/register/transpile-only scripts/fleet-plan.ts --event schedule --due due.json [--base <sha>]
//   node -r ts-node/register/transpile-only scripts/fleet-plan.ts --event drift
//
// due.json is `bin/nexxt-onboard due --json`. Prints the plan as JSON; under GitHub Actions also
// appends `mode`, `canary=<matrix>`, `rest=<matrix>`, `any_canary`, `any_rest` and `stacks` to $GITHUB_OUTPUT and a
// table of the selected stacks (with their due reasons) to $GITHUB_STEP_SUMMARY. The decision is
// src/fleet/runPlan.ts; sharding src/fleet/shards.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { DueResult } from "../src/fleet/fleetDue";
import { changedFilesSince } from "../src/fleet/gitChanges";
import { readFleetStacks } from "../src/fleet/readFleet";
import { RUN_EVENTS, RunEvent, RunPlan, planRun } from "../src/fleet/runPlan";
import { DEFAULT_MAX_JOBS, matrixOf } from "../src/fleet/shards";
import { STACKS_DIR } from "../src/stacks/stackFile";

export interface FleetPlanOutput {
  plan: RunPlan;
  due?: DueResult;
}

export function fleetPlan(args: string[], cwd: string): FleetPlanOutput {
  const { values } = parseArgs({
    args,
    options: {
      event: { type: "string" },
      base: { type: "string" },
      head: { type: "string", default: "HEAD" },
      due: { type: "string" },
      "max-jobs": { type: "string", default: String(DEFAULT_MAX_JOBS) },
    },
  });
  const event = values.event as RunEvent;
  if (!RUN_EVENTS.includes(event)) throw new Error(`--event '${values.event ?? ""}' must be one of ${RUN_EVENTS.join(", ")}.`);
  const needsBase = event === "pull_request" || event === "push";
  // schedule: --base is the head of the last push run that fully succeeded, when there is one.
  const usesBase = needsBase || (event === "schedule" && values.base !== undefined && values.base !== "");
  if (needsBase && values.base === undefined) throw new Error(`--event ${event} needs --base <commit> (the pull request's base, or the push's before).`);
  if ((event === "schedule" || event === "push") && values.due === undefined)
    throw new Error(`--event ${event} needs --due <file> (the output of \`bin/nexxt-onboard due --json\`).`);
  const maxJobs = Number(values["max-jobs"]);
  const due = values.due === undefined ? undefined : readDue(path.resolve(cwd, values.due));
  const customers = readFleetStacks(cwd, STACKS_DIR).map((entry) => ({ stack: entry.stack, canary: entry.canary }));
  // A base of all zeros (a new branch) has no merge base: everything counts as changed.
  const changedPaths = !usesBase ? undefined : /^0*$/.test(values.base!) ? ["package.json"] : changedFilesSince(cwd, values.base!, values.head!);
  const plan = planRun({ event, customers, changedPaths, due: due?.due.map((entry) => entry.stack), maxJobs });
  return { plan, due };
}

function readDue(file: string): DueResult {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as DueResult;
    if (!Array.isArray(value.due)) throw new Error("no due list");
    return value;
  } catch {
    throw new Error(`--due ${file} is not the JSON \`bin/nexxt-onboard due --json\` prints; run it and pass its output file.`);
  }
}

/** What the later jobs read: `mode` picks the deploy or the drift jobs, the matrices feed them. */
export function githubOutput(plan: RunPlan): string {
  const mode = plan.event === "drift" ? "drift" : plan.event === "pull_request" ? "preview" : "up";
  return (
    `mode=${mode}\n` +
    `canary=${JSON.stringify(matrixOf(plan.canary))}\n` +
    `rest=${JSON.stringify(matrixOf(plan.rest))}\n` +
    `any_canary=${plan.canary.length > 0}\n` +
    `any_rest=${plan.rest.length > 0}\n` +
    `stacks=${plan.stacks.join(" ")}\n`
  );
}

const SUMMARY_ROWS = 100;

export function planSummary({ plan, due }: FleetPlanOutput): string {
  const reasons = new Map((due?.due ?? []).map((entry) => [entry.stack, entry.reasons.map((reason) => reason.code).join(", ")]));
  const canaries = new Set(plan.canary.flatMap((shard) => shard.stacks.split(" ")));
  const lines = [
    `### ${plan.event}: ${plan.stacks.length} stack(s) in ${plan.canary.length + plan.rest.length} job(s)${plan.programChanged ? " (program changed: canaries first)" : ""}`,
    "",
    "| Stack | Phase | Why |",
    "|---|---|---|",
    ...plan.stacks
      .slice(0, SUMMARY_ROWS)
      .map((stack) => `| ${stack} | ${canaries.has(stack) ? "canary" : "rest"} | ${reasons.get(stack) ?? (plan.event === "drift" ? "weekly drift check" : "changed")} |`),
  ];
  if (plan.stacks.length > SUMMARY_ROWS) lines.push("", `…and ${plan.stacks.length - SUMMARY_ROWS} more (see the job log).`);
  for (const problem of due?.problems ?? []) lines.push("", `**Not applied, invalid:** ${problem.file}: ${problem.message}`);
  for (const unknown of due?.unknown ?? []) lines.push("", `**Deployment unknown:** ${unknown.stack}: ${unknown.message}`);
  return lines.join("\n") + "\n";
}

if (require.main === module) {
  try {
    const output = fleetPlan(process.argv.slice(2), process.cwd());
    process.stdout.write(`${JSON.stringify(output.plan)}\n`);
    if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, githubOutput(output.plan));
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, planSummary(output));
  } catch (err) {
    process.stderr.write(`fleet-plan: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
