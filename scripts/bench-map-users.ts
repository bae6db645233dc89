/**
 * Benchmark (not a test): map-users against 100,000 Entra users and 100,000 Nexxt users on the
 * emulator with 20 ms latency per request. Prints the Graph requests made, wall time, the floor
 * (1 token + ceil(users/999) pages; pages x latency) and the ratio, and peak RSS, with the
 * emulator in a child process so its memory is not counted. Two runs:
 *  - in this process through run(): the command's own wall time, without node and ts-node startup;
 *  - the command as users run it, `node bin/nexxt-onboard map-users ...` in a child process:
 *    its peak RSS is the figure held against the target (this process also holds the bench's own
 *    100,000-line export and ts-node's compiler), and its lifetime includes startup.
 *
 *   npm run bench:map-users            (BENCH_USERS and BENCH_LATENCY_MS override the sizes)
 */
import { fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { memoryIo } from "../src/cli/io";
import { run } from "../src/cli/main";
import { USERS_PAGE_SIZE } from "../src/users/entraDirectory";
import { APP_ID, SECRET, TENANT_ID } from "../src/emulator/fakeCredentials";
import { nexxtExport } from "./benchFixtures";

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);

interface Stats {
  tokenRequests: number;
  graphRequests: number;
  rssBytes: number;
}

interface ChildRun {
  code: number | null;
  wallMs: number;
  maxRssKb: number;
  lifetimeMs: number;
  stdout: string;
  stderr: string;
}

/** The real command in a process of its own, as a user starts it; the preload reports its peak RSS at exit. */
function runCliProcess(dir: string, args: string[]): Promise<ChildRun> {
  const root = path.join(__dirname, "..");
  const reportFile = path.join(dir, "rss.json");
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ["-r", path.join(__dirname, "bench-map-users.report-rss.js"), path.join(root, "bin", "nexxt-onboard"), ...args], {
    cwd: dir,
    env: { ...process.env, NEXXT_CLIENT_SECRET: SECRET, BENCH_REPORT_FILE: reportFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const report = JSON.parse(readFileSync(reportFile, "utf8")) as { maxRssKb: number; lifetimeMs: number };
      resolve({ code, wallMs, ...report, stdout, stderr });
    });
  });
}

async function main(): Promise<void> {
  const child = fork(path.join(__dirname, "..", "src", "emulator", "standaloneEmulator.ts"), [], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
    env: { ...process.env, BENCH_USERS: String(USERS), BENCH_LATENCY_MS: String(LATENCY_MS) },
  });
  const next = <T>(type: string) => new Promise<T>((resolve) => child.on("message", (m: { type: string }) => m.type === type && resolve(m as T)));
  const { url } = await next<{ url: string }>("ready");

  const dir = mkdtempSync(path.join(tmpdir(), "bench-map-users-"));
  writeFileSync(path.join(dir, "users.csv"), "\uFEFF" + nexxtExport(USERS));
  const io = memoryIo({ cwd: dir, env: { NEXXT_CLIENT_SECRET: SECRET } });
  const rssBefore = process.memoryUsage().rss;

  // Sampled during the run: heapUsed shows how much of the peak RSS is live data and how much is garbage not yet collected.
  let peakHeapUsed = 0;
  const sampler = setInterval(() => (peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed)), 25);
  const started = process.hrtime.bigint();
  const args = ["map-users", "--tenant-id", TENANT_ID, "--client-id", APP_ID, "--authority-host", url, "--graph-url", url, "--nexxt-users", "users.csv", "--out", "mapping.csv"];
  const code = await run(args, io);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  clearInterval(sampler);
  child.send({ type: "stats" });
  const stats = await next<Stats>("stats");

  const cli = await runCliProcess(dir, args);
  child.send({ type: "stats" });
  const after = await next<Stats>("stats");
  const cliRequests = after.tokenRequests + after.graphRequests - stats.tokenRequests - stats.graphRequests;
  child.send({ type: "stop" });
  rmSync(dir, { recursive: true, force: true });

  const pages = Math.ceil(USERS / USERS_PAGE_SIZE);
  const floorRequests = 1 + pages;
  const floorMs = pages * LATENCY_MS;
  const requests = stats.tokenRequests + stats.graphRequests;
  const ratio = wallMs / floorMs;
  const lines = [
    `map-users benchmark: ${USERS} Entra users, ${USERS} Nexxt users, ${LATENCY_MS} ms latency per request (exit code ${code})`,
    `  ${io.out[0] ?? "(no summary)"}`,
    `  requests:  ${requests} (${stats.tokenRequests} token + ${stats.graphRequests} Graph); floor ${floorRequests} (1 token + ${pages} pages)   ${requests === floorRequests ? "OK" : "ABOVE FLOOR"}`,
    `  wall time: ${wallMs.toFixed(0)} ms; floor ${floorMs} ms (${pages} pages x ${LATENCY_MS} ms); ratio ${ratio.toFixed(2)} (target <= 1.5)   ${ratio <= 1.5 ? "OK" : "ABOVE TARGET"}`,
    `  heap:      peak heapUsed ${(peakHeapUsed / 1024 / 1024).toFixed(0)} MB in this process (sampled every 25 ms); peak RSS ${peakRssMb.toFixed(0)} MB in this process (${(rssBefore / 1024 / 1024).toFixed(0)} MB before the run)`,
    `  real CLI:  node bin/nexxt-onboard map-users in its own process: exit code ${cli.code}, ${cliRequests} requests, ${cli.wallMs.toFixed(0)} ms from spawn to exit (startup included); ratio ${(cli.wallMs / floorMs).toFixed(2)} (target <= 1.6)   ${cli.wallMs / floorMs <= 1.6 ? "OK" : "ABOVE TARGET"}`,
    `  peak RSS:  ${(cli.maxRssKb / 1024).toFixed(0)} MB for the real CLI process (target < 300)   ${cli.maxRssKb / 1024 < 300 ? "OK" : "ABOVE TARGET"}`,
    `  emulator:  ${(stats.rssBytes / 1024 / 1024).toFixed(0)} MB RSS in its own process (not counted)`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  if (io.err.length > 0) process.stdout.write(`  stderr: ${io.err.join(" | ")}\n`);
  if (cli.stderr.trim() !== "") process.stdout.write(`  real CLI stderr: ${cli.stderr.trim()}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
