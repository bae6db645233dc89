/**
 * Benchmark (not a test) of start-up: each command as users run it, `node bin/nexxt-onboard ...`
 * in a process of its own, from spawn to exit, held against the floor measured in the same run,
 * `node -e "require('yargs')"` (node plus the argument parser and nothing of ours). Prints the
 * median of several runs of each and whether it meets its target:
 *   --help                          <= 3 x the floor
 *   bin/nexxt-onboard --help run as users type it (the executable itself, through its shebang),
 *     first call right after a clean build (what `npm ci` leaves) and later calls: <= 3 x the floor
 *   plan --stack example            <  1 s
 *   validate, 1,000 stack files     <  2 s
 *   map-users, 100,000 users at 20 ms latency: <= 1.6 x the sequential paging floor (101 pages x
 *     20 ms), spawn to exit, and peak RSS < 250 MB (the emulator runs in a process of its own).
 *     1.6, not 1.4: issue 19 brought axios back as the HTTP engine and set the whole process's
 *     bound there.
 *
 *   npm run bench:startup            (BENCH_RUNS: runs per figure, default 5; BENCH_ONLY=map-users
 *                                     runs one figure; BENCH_ROOT: measure another checkout's
 *                                     bin/nexxt-onboard, e.g. a worktree of an older commit)
 */
import { fork, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { USERS_PAGE_SIZE } from "../src/users/entraDirectory";
import { APP_ID, SECRET, TENANT_ID } from "../src/emulator/fakeCredentials";
import { nexxtExport } from "./benchFixtures";

const ROOT = path.resolve(process.env.BENCH_ROOT ?? path.join(__dirname, ".."));
const ONLY = process.env.BENCH_ONLY;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const USERS = 100_000;
const LATENCY_MS = 20;
const STACK_FILES = 1_000;

interface Timed {
  code: number | null;
  wallMs: number;
  maxRssMb: number;
  stderr: string;
}

/**
 * One process from spawn to exit; the preload reports its peak RSS. With `executable`, the file
 * is run itself (its shebang finds node on PATH), the preload given through NODE_OPTIONS.
 */
function timed(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; executable?: string } = {}): Promise<Timed> {
  const reportFile = path.join(scratch, `rss-${process.hrtime.bigint()}.json`);
  const preload = path.join(__dirname, "bench-map-users.report-rss.js");
  const started = process.hrtime.bigint();
  const child = spawn(options.executable ?? process.execPath, options.executable ? args : ["-r", preload, ...args], {
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      ...options.env,
      BENCH_REPORT_FILE: reportFile,
      ...(options.executable ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} -r ${preload}`.trim() } : {}),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const { maxRssKb } = JSON.parse(readFileSync(reportFile, "utf8")) as { maxRssKb: number };
      rmSync(reportFile);
      resolve({ code, wallMs, maxRssMb: maxRssKb / 1024, stderr });
    });
  });
}

/** The median run (by wall time) of `runs`, started one after another. */
async function median(runs: number, once: () => Promise<Timed>): Promise<Timed> {
  const results: Timed[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  results.sort((a, b) => a.wallMs - b.wallMs);
  return results[Math.floor(results.length / 2)];
}

const cli = (...args: string[]) => [path.join(ROOT, "bin", "nexxt-onboard"), ...args];

/** 1,000 valid stack files with distinct tenants and company IDs, as a large fleet has. */
function fleet(dir: string): void {
  // A project root, as validate finds it (it walks up to Pulumi.yaml).
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: nexxt\nruntime: nodejs\nstackConfigDir: stacks\n");
  mkdirSync(path.join(dir, "stacks"));
  for (let i = 0; i < STACK_FILES; i++) {
    const tenant = `${i.toString(16).padStart(8, "0")}-2222-4333-8444-555555555555`;
    writeFileSync(
      path.join(dir, "stacks", `Pulumi.customer${i}.yaml`),
      `config:\n  nexxt:tenantId: ${tenant}\n  nexxt:companyId: "${10_000 + i}"\n  nexxt:rotationStart: "2026-01-01"\n`,
    );
  }
}

const scratch = mkdtempSync(path.join(tmpdir(), "bench-startup-"));

function line(name: string, result: Timed, target: string, ok: boolean): string {
  const failed = result.code !== 0 && result.code !== 1 ? ` (exit ${result.code}: ${result.stderr.trim().split("\n").pop()})` : "";
  return `  ${name.padEnd(34)} ${result.wallMs.toFixed(0).padStart(6)} ms ${result.maxRssMb.toFixed(0).padStart(4)} MB   ${target.padEnd(34)} ${ok ? "OK" : "ABOVE TARGET"}${failed}`;
}

async function main(): Promise<void> {
  // A fresh build first, so no run below pays for a rebuild (a checkout from before dist/ has none).
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(path.join(ROOT, "bin", "build.js")) as { ensureFreshBuild(): boolean }).ensureFreshBuild();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw err;
  }
  const want = (name: string) => ONLY === undefined || ONLY === name;
  const out: string[] = [`start-up benchmark: median of ${RUNS} runs each, spawn to exit (node ${process.version})`];

  const floor = await median(RUNS, () => timed(["-e", "require('yargs')"]));
  out.push(line("floor: node -e \"require('yargs')\"", floor, "", true));

  if (want("help")) {
    const help = await median(RUNS, () => timed(cli("--help")));
    const helpRatio = help.wallMs / floor.wallMs;
    out.push(line("--help", help, `<= 3 x floor: ${helpRatio.toFixed(2)} x`, helpRatio <= 3));
  }
  if (want("executable")) {
    // What `npm ci` leaves: a clean build (prepare). The first call after it must not rebuild or
    // fetch anything: it runs dist/ as it is (bin/build.js staleBuild only stats the sources).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(path.join(ROOT, "bin", "build.js")) as { build(options: { clean: boolean }): void }).build({ clean: true });
    const executable = path.join(ROOT, "bin", "nexxt-onboard");
    const first = await timed(["--help"], { executable });
    const later = await median(RUNS, () => timed(["--help"], { executable }));
    for (const [name, result] of [
      ["bin/nexxt-onboard --help, 1st call", first],
      ["bin/nexxt-onboard --help", later],
    ] as const) {
      const ratio = result.wallMs / floor.wallMs;
      out.push(line(name, result, `<= 3 x floor: ${ratio.toFixed(2)} x`, ratio <= 3 && result.code === 0));
    }
  }
  if (want("plan")) {
    const plan = await median(RUNS, () => timed(cli("plan", "--stack", "example")));
    out.push(line("plan --stack example", plan, `< 1000 ms: ${(plan.wallMs / floor.wallMs).toFixed(1)} x floor`, plan.wallMs < 1000 && plan.code === 0));
  }
  if (want("validate")) {
    const fleetDir = path.join(scratch, "fleet");
    mkdirSync(fleetDir);
    fleet(fleetDir);
    const validate = await median(RUNS, () => timed(cli("validate"), { cwd: fleetDir }));
    out.push(
      line(`validate, ${STACK_FILES} stack files`, validate, `< 2000 ms: ${(validate.wallMs / floor.wallMs).toFixed(1)} x floor`, validate.wallMs < 2000 && validate.code === 0),
    );
  }
  if (!want("map-users")) {
    process.stdout.write(out.join("\n") + "\n");
    return;
  }

  const emulator = fork(path.join(ROOT, "src", "emulator", "standaloneEmulator.ts"), [], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
    env: { ...process.env, BENCH_USERS: String(USERS), BENCH_LATENCY_MS: String(LATENCY_MS) },
  });
  try {
    const { url } = await new Promise<{ url: string }>((resolve) => emulator.on("message", (m: { type: string; url: string }) => m.type === "ready" && resolve(m)));
    const usersDir = path.join(scratch, "users");
    mkdirSync(usersDir);
    writeFileSync(path.join(usersDir, "users.csv"), "\uFEFF" + nexxtExport(USERS));
    const args = cli(
      "map-users",
      "--tenant-id",
      TENANT_ID,
      "--client-id",
      APP_ID,
      "--authority-host",
      url,
      "--graph-url",
      url,
      "--nexxt-users",
      "users.csv",
      "--out",
      "mapping.csv",
    );
    // Exit 1 is map-users' "not every user matched" (as in this export), and also node's exit on a
    // crash: a run counts only when it wrote a row for every Nexxt user.
    const mappingFile = path.join(usersDir, "mapping.csv");
    const mapUsers = await median(Math.min(RUNS, 3), async () => {
      rmSync(mappingFile, { force: true });
      const result = await timed(args, { cwd: usersDir, env: { NEXXT_CLIENT_SECRET: SECRET } });
      const rows = existsSync(mappingFile) ? readFileSync(mappingFile, "utf8").split("\n").length - 2 : 0;
      if (rows !== USERS) throw new Error(`map-users wrote ${rows} of ${USERS} rows (exit ${result.code}): ${result.stderr.trim().split("\n").pop()}`);
      return result;
    });
    const pages = Math.ceil(USERS / USERS_PAGE_SIZE);
    const pagingFloor = pages * LATENCY_MS;
    const ratio = mapUsers.wallMs / pagingFloor;
    out.push(
      line(
        `map-users, ${USERS / 1000}k users, ${LATENCY_MS} ms`,
        mapUsers,
        `<= 1.6 x ${pagingFloor} ms: ${ratio.toFixed(2)} x; RSS < 250 MB`,
        ratio <= 1.6 && mapUsers.maxRssMb < 250 && mapUsers.code !== null && mapUsers.code <= 1,
      ),
    );
  } finally {
    emulator.send({ type: "stop" });
  }
  process.stdout.write(out.join("\n") + "\n");
}

main()
  .catch((err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
