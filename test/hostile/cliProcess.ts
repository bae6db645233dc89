import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "../..");
export const CLI = path.join(ROOT, "bin/nexxt-onboard");

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from start to exit. */
  ms: number;
}

export interface CliProcess {
  child: ChildProcess;
  done: Promise<Finished>;
}

const running = new Set<ChildProcess>();

/**
 * The built CLI as users run it (`node bin/nexxt-onboard …`), a real process: real signals,
 * real pipes. `closeStdout` closes the reading end of its stdout at once, as `| head -1` does
 * after its first line.
 */
export function startCli(args: string[], options: { cwd: string; env?: Record<string, string>; closeStdout?: boolean }): CliProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  if (options.closeStdout) child.stdout!.destroy();
  else child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<Finished>((resolve) =>
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
  return { child, done };
}

/** Ends every CLI process a test left running (a test that failed midway). */
export function killLeftovers(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** The first start may rebuild dist/ (bin/build.js) when a source is newer than the build. */
export async function warmUp(cwd: string): Promise<void> {
  await startCli(["--version"], { cwd }).done;
}

/**
 * For a test file that starts CLI processes against servers of its own: after each test, kills
 * what is left of the processes and closes the servers given to the returned `keep`.
 */
export function closedAfterEachTest(): <T extends { close(): Promise<void> }>(server: T) => T {
  let servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    killLeftovers();
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });
  return (server) => (servers.push(server), server);
}
