// Benchmark of `nexxt-onboard due` over 1,000 generated stack files (every one deployed, its
// masked outputs in report-in/), as the scheduled pipeline runs it:
//
//   npm run bench:due
//
// Prints the median of 5 runs of the whole command in-process (read 1,000 stack files and
// 1,000 documents, validate, decide) and of the pure decision alone. Target: well under a second.
import { performance } from "node:perf_hooks";
import { memoryIo } from "../src/cli/io";
import { run } from "../src/cli/main";
import { fleetDue } from "../src/fleet/fleetDue";
import { readDeployedFacts, readFleetStacks } from "../src/fleet/readFleet";
import { generateFleet } from "../test/support/generatedFleet";
import * as path from "node:path";

const COUNT = 1000;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const at = new Date("2026-12-15T05:17:00Z");
  const fleet = generateFleet(COUNT, { deployedAt: (i) => (i % 10 === 0 ? undefined : new Date("2026-12-01T05:17:00Z")) });
  const command: number[] = [];
  let dueCount = 0;
  for (let i = 0; i < RUNS; i++) {
    const io = memoryIo({ cwd: fleet.dir, now: () => at });
    const started = performance.now();
    const code = await run(["due", "--deployed", "report-in", "--json"], io);
    command.push(performance.now() - started);
    if (code !== 0) throw new Error(`due exited ${code}: ${io.err.join(" ")}`);
    dueCount = JSON.parse(io.out.join("\n")).due.length;
  }
  const stacks = readFleetStacks(fleet.dir, "stacks");
  const deployed = readDeployedFacts(path.join(fleet.dir, "report-in"));
  const decision: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    fleetDue(stacks, { deployed, runs: new Map(), changed: new Set() }, at);
    decision.push(performance.now() - started);
  }
  process.stdout.write(
    `due over ${COUNT} stack files (${dueCount} due on ${at.toISOString().slice(0, 10)}), median of ${RUNS}:\n` +
      `  whole command (read + validate + decide): ${median(command).toFixed(1)} ms (first run ${command[0].toFixed(1)} ms)\n` +
      `  decision alone (pure):                    ${median(decision).toFixed(2)} ms\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bench-due: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
