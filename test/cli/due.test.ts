import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import type { DueResult } from "../../src/fleet/fleetDue";
import { scheduleForStack } from "../../src/fleet/stackSchedule";
import { generateFleet, generatedStackName, rotationOf, writeDeployed } from "../support/generatedFleet";
import { DAY_MS } from "../../src/util/time";

const AT = "2027-03-03";

async function due(cwd: string, args: string[]) {
  const io = memoryIo({ cwd, now: () => new Date("2026-12-01T05:17:00Z") });
  const code = await run(["due", ...args], io);
  return { code, io, text: io.out.join("\n"), errors: io.err.join("\n") };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" }).trim();
}

describe("nexxt-onboard due", () => {
  it("lists, over 1,000 stack files, exactly the stacks whose schedule changes that day (expectations from scheduleForStack)", async () => {
    const fleet = generateFleet(1000);
    const { code, text } = await due(fleet.dir, ["--at", AT, "--json"]);
    expect(code).toBe(ExitCode.Ok);
    const result = JSON.parse(text) as DueResult;
    const at = new Date(`${AT}T00:00:00Z`);
    const expected = fleet.stacks.filter((stack, i) => {
      const today = scheduleForStack(stack, at, rotationOf(i));
      const yesterday = scheduleForStack(stack, new Date(at.getTime() - DAY_MS), rotationOf(i));
      return today.active.generation !== yesterday.active.generation || (yesterday.previous !== undefined && today.previous === undefined);
    });
    expect(result.total).toBe(1000);
    expect(result.due.map((entry) => entry.stack)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.due[0]).toMatchObject({ tenantId: expect.any(String), policyConfig: expect.stringMatching(/^policy\/config\//), canary: expect.any(Boolean) });
  });

  it("finds never-deployed stacks and missed rotations from the masked outputs", async () => {
    const at = new Date("2026-12-01T05:17:00Z");
    const fleet = generateFleet(30, { deployedAt: (i) => (i === 4 ? undefined : at) });
    // customer-0011 still has the secret of the period before the current one.
    const previousPeriod = new Date(scheduleForStack(generatedStackName(11), at, rotationOf(11)).active.periodStart.getTime() - DAY_MS);
    writeDeployed(fleet.dir, generatedStackName(11), 11, scheduleForStack(generatedStackName(11), previousPeriod, rotationOf(11)).active.endDate.toISOString());
    const { code, text } = await due(fleet.dir, ["--deployed", "report-in"]);
    expect(code).toBe(ExitCode.Ok);
    expect(text).toContain("customer-0004: never-deployed");
    expect(text).toMatch(/customer-0011: rotation-overdue \(Nexxt holds the secret expiring \d{4}-\d\d-\d\d; its successor was due on/);
    expect(text.split("\n").at(-1)).toMatch(/^\d+ of 30 stack\(s\) need an up on 2026-12-01\.$/);
    // Only those two are missing a deployment; any other line is the schedule's own event of the day.
    const json = JSON.parse((await due(fleet.dir, ["--deployed", "report-in", "--json"])).text) as DueResult;
    const fromState = json.due.filter((entry) => entry.reasons.some((r) => r.code === "never-deployed" || r.code === "rotation-overdue" || r.code === "schedule-changed"));
    expect(fromState.map((entry) => entry.stack)).toEqual(["customer-0004", "customer-0011"]);
  });

  it("fails closed when the state backend was not listed: nothing is planned, not the whole fleet", async () => {
    const fleet = generateFleet(20, { deployedAt: () => new Date("2026-11-01T05:17:00Z") });
    fs.rmSync(path.join(fleet.dir, "report-in", "backend-stacks.json"));
    // As after a failed listing: no documents at all. Without the manifest this was 20 never-deployed stacks.
    for (const name of fs.readdirSync(path.join(fleet.dir, "report-in"))) fs.rmSync(path.join(fleet.dir, "report-in", name));
    const { code, errors, text } = await due(fleet.dir, ["--deployed", "report-in", "--json"]);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(text).toBe("");
    expect(errors).toContain("backend-stacks.json is missing or unreadable: the state backend was not listed");
  });

  it("a stack whose outputs could not be read, or that run records know but the backend does not list, is never taken for new", async () => {
    const at = new Date("2026-12-01T05:17:00Z");
    const fleet = generateFleet(6, { deployedAt: (i) => (i < 3 ? at : undefined) });
    const manifest = path.join(fleet.dir, "report-in", "backend-stacks.json");
    fs.rmSync(path.join(fleet.dir, "report-in", "customer-0001.nexxt.json"));
    fs.writeFileSync(manifest, JSON.stringify({ inBackend: ["customer-0000", "customer-0001", "customer-0002"], unreadable: ["customer-0001"] }));
    fs.mkdirSync(path.join(fleet.dir, "fleet-runs"));
    fs.writeFileSync(path.join(fleet.dir, "fleet-runs", "customer-0004.json"), JSON.stringify({ stack: "customer-0004", lastUpAt: "2026-11-30T05:20:00Z" }));
    const { code, text } = await due(fleet.dir, ["--at", "2026-12-01", "--deployed", "report-in", "--runs", "fleet-runs", "--json"]);
    const json = JSON.parse(text) as DueResult;
    expect(code).toBe(ExitCode.CheckFailed);
    const neverDeployed = json.due.filter((entry) => entry.reasons.some((r) => r.code === "never-deployed")).map((entry) => entry.stack);
    expect(neverDeployed).toEqual(["customer-0003", "customer-0005"]);
    expect(json.unknown.map((entry) => entry.stack)).toEqual(["customer-0001", "customer-0004"]);
    expect(json.unknown[1].message).toContain("the state backend does not list it");
  });

  it("selects the stacks whose file changed since a commit", async () => {
    const fleet = generateFleet(5);
    git(fleet.dir, "init", "-q", "-b", "main");
    git(fleet.dir, "add", ".");
    git(fleet.dir, "commit", "-q", "-m", "base");
    const base = git(fleet.dir, "rev-parse", "HEAD");
    fs.appendFileSync(path.join(fleet.dir, "stacks/Pulumi.customer-0002.yaml"), "  nexxt:url: https://pbx.example.nl\n");
    fs.writeFileSync(path.join(fleet.dir, "policy/config/customer-0003.json"), "{}\n");
    fs.mkdirSync(path.join(fleet.dir, "src"));
    fs.writeFileSync(path.join(fleet.dir, "src/program.ts"), "// a program change rolls out through the canaries, not as a due reason\n");
    git(fleet.dir, "add", ".");
    git(fleet.dir, "commit", "-q", "-m", "change");
    const { text } = await due(fleet.dir, ["--changed-since", base, "--json"]);
    expect((JSON.parse(text) as DueResult).due.map((entry) => [entry.stack, entry.reasons.map((r) => r.code)])).toEqual([
      ["customer-0002", ["file-changed"]],
      ["customer-0003", ["file-changed"]],
    ]);
    const bad = await due(fleet.dir, ["--changed-since", "no-such-commit"]);
    expect(bad.code).toBe(ExitCode.InvalidInput);
    expect(bad.errors).toContain("git cannot compare 'no-such-commit' with HEAD");
  });

  it("lists an invalid stack file as a problem and exits 1, still listing the due stacks", async () => {
    const fleet = generateFleet(3);
    fs.writeFileSync(path.join(fleet.dir, "stacks/Pulumi.broken.yaml"), "config:\n  nexxt:tenantId: not-a-guid\n  nexxt:companyId: '9'\n");
    const { code, text } = await due(fleet.dir, ["--json"]);
    expect(code).toBe(ExitCode.CheckFailed);
    expect((JSON.parse(text) as DueResult).problems).toEqual([
      { stack: "broken", file: path.join("stacks", "Pulumi.broken.yaml"), message: expect.stringContaining("not-a-guid") },
    ]);
  });

  it("refuses a bad --at and a missing --deployed directory with one sentence", async () => {
    const fleet = generateFleet(1);
    expect(await due(fleet.dir, ["--at", "1 March"])).toMatchObject({
      code: ExitCode.InvalidInput,
      errors: "error: --at '1 March' is not a date that exists; give it as YYYY-MM-DD, for example 2027-06-01.",
    });
    expect((await due(fleet.dir, ["--deployed", "nope"])).errors).toContain("--deployed '");
  });

  it("has --help with examples", async () => {
    const { text } = await due(process.cwd(), ["--help"]);
    expect(text.replace(/\s+/g, " ")).toContain("due --at 2027-06-01 --deployed report-in");
    expect(text).toContain("--changed-since");
  });
});
