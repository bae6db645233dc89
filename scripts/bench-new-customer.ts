// Benchmark of `nexxt-onboard new-customer --from customers.csv` with 1,000 customers:
//
//   npm run bench:new-customer
//
// Prints the median of 3 runs, each in a fresh project: the first import (check 1,000 rows,
// render and write 1,000 stack files, all or nothing) and the re-run of the same list (read and
// validate the 1,000 files it wrote, write nothing). Target: a few seconds.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { memoryIo } from "../src/cli/io";
import { run } from "../src/cli/main";

const COUNT = 1000;
const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A GUID per customer, distinct and valid: the number in the last group. */
const tenantOf = (i: number) => `3f6a2c1e-8b4d-4e7a-9c2b-${(0x100000000000 + i).toString(16).slice(-12)}`;

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-bench-new-customer-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: nexxt\nruntime: nodejs\nstackConfigDir: stacks\n");
  fs.mkdirSync(path.join(dir, "stacks"));
  const rows = ["customer,tenantId,companyId,nexxtUrl,displayName"];
  for (let i = 0; i < COUNT; i++) {
    rows.push(`customer-${String(i).padStart(4, "0")},${tenantOf(i)},https://pbx${i}.example.nl/accounts/edit/${4000 + i},https://pbx${i}.example.nl,`);
  }
  fs.writeFileSync(path.join(dir, "customers.csv"), rows.join("\n") + "\n");
  return dir;
}

async function timed(cwd: string): Promise<{ ms: number; out: string }> {
  const io = memoryIo({ cwd, now: () => new Date("2026-12-06T10:00:00Z") });
  const started = performance.now();
  const code = await run(["new-customer", "--from", "customers.csv", "--json"], io);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`new-customer exited ${code}: ${io.err.join(" ")}`);
  return { ms, out: io.out.join("\n") };
}

async function main(): Promise<void> {
  const first: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = project();
    try {
      const written = await timed(dir);
      if (JSON.parse(written.out).written.length !== COUNT) throw new Error("the first run did not write every customer");
      first.push(written.ms);
      const rerun = await timed(dir);
      if (JSON.parse(rerun.out).existing.length !== COUNT) throw new Error("the re-run did not find every customer");
      again.push(rerun.ms);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `new-customer --from with ${COUNT} customers, median of ${RUNS} (each in a fresh project):\n` +
      `  first import (check + write ${COUNT} stack files): ${median(first).toFixed(0)} ms (first run ${first[0].toFixed(0)} ms)\n` +
      `  re-run of the same list (nothing written):       ${median(again).toFixed(0)} ms\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bench-new-customer: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
