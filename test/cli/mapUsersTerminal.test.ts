import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import type { EntraUser } from "../../src/users/entraUser";
import { ExitCode } from "../../src/exitCodes";
import { NEXXT_API_TOKEN, SECRET, emulatorFlags, tenant, testIo } from "../emulator/fixtures";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";
import { NexxtEmulator, startNexxtEmulator } from "../../src/emulator/nexxtEmulator";

/** map-users --apply as a person at a terminal sees it: progress, Ctrl-C, re-runs, 80 columns. */
const COUNT = 40;
const USERS: EntraUser[] = Array.from({ length: COUNT }, (_, i) => ({ id: `obj-${i}`, mail: `p${i}@x.nl`, userPrincipalName: `p${i}@x.nl`, accountEnabled: true }));

let ms: MicrosoftEmulator;
let nexxt: NexxtEmulator;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "map-users-tty-"));
  writeFileSync(path.join(dir, "users.csv"), "id,email\n" + USERS.map((_, i) => `${i},p${i}@x.nl`).join("\n"));
  ms = await startMicrosoftEmulator({ tenants: [tenant({ users: USERS })] });
  nexxt = await startNexxtEmulator({ apiToken: NEXXT_API_TOKEN, users: Object.fromEntries(USERS.map((_, i) => [String(i), {}])), latencyMs: 20 });
});
afterEach(async () => {
  await ms.close();
  await nexxt.close();
});

function apply(extra: string[] = [], ioOver: Record<string, unknown> = {}) {
  const io = testIo({ cwd: dir, env: { NEXXT_CLIENT_SECRET: SECRET, NEXXT_API_TOKEN }, ...ioOver });
  const args = ["map-users", ...emulatorFlags(ms.url), "--nexxt-users", "users.csv", "--out", "mapping.csv", "--apply", "--nexxt-user-url", `${nexxt.url}/users/{id}`, ...extra];
  return { io, done: run(args, io) };
}

const journalIds = () =>
  readFileSync(path.join(dir, "mapping.journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { nexxtUserId: string }).nexxtUserId);

describe("map-users --apply on a terminal", () => {
  it("Ctrl-C stops starting users, says how many are linked and how to resume, exits 130; the same command finishes", async () => {
    let interrupt: ((signal: NodeJS.Signals) => void) | undefined;
    let listening = false;
    const { io, done } = apply(["--concurrency", "2"], {
      onInterrupt: (listener: (signal: NodeJS.Signals) => void) => {
        interrupt = listener;
        listening = true;
        return () => (listening = false);
      },
    });
    while (nexxt.patches.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    interrupt!("SIGINT");
    // The first Ctrl-C stops listening, so a second one ends the process the usual way.
    expect(listening).toBe(false);
    expect(await done).toBe(ExitCode.Interrupted);
    const linked = journalIds();
    expect(linked.length).toBeGreaterThanOrEqual(4);
    expect(linked.length).toBeLessThan(COUNT);
    // Nothing was sent after the interrupt beyond what was in flight, and all of it was journaled.
    expect(nexxt.patches.map((patch) => patch.id).sort()).toEqual([...linked].sort());
    expect(io.out.join("\n").replace(/\n +/g, " ")).toContain(
      `interrupted (SIGINT): ${linked.length} linked, 0 failed, 0 kept as conflicts; run the same command to resume (${COUNT - linked.length} users not sent yet).`,
    );

    const again = apply();
    expect(await again.done).toBe(ExitCode.Ok);
    expect(nexxt.patches).toHaveLength(COUNT);
    expect(new Set(nexxt.patches.map((patch) => patch.id)).size).toBe(COUNT);
    expect(again.io.out.join("\n")).toContain(`Applied: ${COUNT - linked.length} updated, 0 already right, ${linked.length} done by an earlier run, 0 failed.`);
  });

  it("shows percentage, rate and time left, and says what happens first", async () => {
    const { io, done } = apply([], { isTTY: true });
    expect(await done).toBe(ExitCode.Ok);
    const err = io.err.join("\n");
    expect(io.err[0]).toBe(`Signing in to tenant ${tenant().tenantId}…`);
    expect(err).toMatch(new RegExp(`linking Nexxt users \\S+ 100% ${COUNT}/${COUNT} \\| \\d+\\.\\d/s \\| \\d+s left`));
  });

  it("says nothing is left to do on a re-run, with no 0/0 bar", async () => {
    expect(await apply().done).toBe(ExitCode.Ok);
    const { io, done } = apply([], { isTTY: true });
    expect(await done).toBe(ExitCode.Ok);
    expect(io.err.join("\n")).not.toContain("linking Nexxt users");
    expect(io.out.join("\n")).toContain(`Nothing to send: ${COUNT} users linked by an earlier run, none left.`);
  });

  it("keeps the summary within 80 columns on a terminal, the journal on a line of its own", async () => {
    const { io, done } = apply([], { columns: 200 });
    expect(await done).toBe(ExitCode.Ok);
    const lines = io.out.join("\n").split("\n");
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    expect(lines).toContain("Journal: mapping.journal.jsonl");
  });

  it("piped, writes each sentence of the summary whole on one line (no wrapping for a log or grep)", async () => {
    const { io, done } = apply();
    expect(await done).toBe(ExitCode.Ok);
    const piped = io.out.join("\n").split("\n");
    expect(piped.filter((line) => /^ {2}\S/.test(line))).toEqual([]);
    // The same sentences on a narrow terminal wrap onto continuation lines.
    const narrow = apply([], { columns: 40 });
    expect(await narrow.done).toBe(ExitCode.Ok);
    expect(
      narrow.io.out
        .join("\n")
        .split("\n")
        .filter((line) => /^ {2}\S/.test(line)).length,
    ).toBeGreaterThan(0);
  });

  it("prints no status line when stderr is not a terminal", async () => {
    const { io, done } = apply();
    expect(await done).toBe(ExitCode.Ok);
    expect(io.err).toEqual([]);
  });
});
