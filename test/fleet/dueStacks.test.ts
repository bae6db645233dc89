import { DeployedFacts, DueStackInput, dueReasons } from "../../src/fleet/dueStacks";
import { scheduleForStack } from "../../src/fleet/stackSchedule";
import type { RotationSettings } from "../../src/schedule/secretSchedule";
import { generatedGuid, generatedStackName, rotationOf } from "../support/generatedFleet";
import { DAY_MS } from "../../src/util/time";

const DEFAULT: RotationSettings = { lifetimeDays: 365, rotationDays: 180, overlapDays: 30, rotationStart: new Date("2026-04-01T00:00:00Z") };
const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";

function input(overrides: Partial<DueStackInput> = {}): DueStackInput {
  return {
    stack: "acme",
    rotation: DEFAULT,
    tenantId: TENANT,
    companyId: "4711",
    permissions: ["User.Read.All", "Contacts.Read"],
    deployed: undefined,
    fileChanged: false,
    ...overrides,
  };
}

function deployedAt(stack: string, rotation: RotationSettings, at: Date, overrides: Partial<DeployedFacts> = {}): DeployedFacts {
  return {
    secretExpiresAt: scheduleForStack(stack, at, rotation).active.endDate.toISOString(),
    tenantId: TENANT,
    companyId: "4711",
    permissions: ["User.Read.All", "Contacts.Read"],
    ...overrides,
  };
}

const codes = (i: DueStackInput, at: Date) => dueReasons(i, at).map((reason) => reason.code);

describe("dueReasons: hand-checked against an anchored schedule (nexxt:rotationStart 2027-01-05)", () => {
  // By hand: FNV-1a("acme") = 1174237615; j = 1174237615 mod floor(180 / 2) = 55. Generation 0 is
  // issued on A = 2027-01-05 and ends A + 365 = 2028-01-05; generation 1 on A + 180 - 55 =
  // 2027-05-10 (ends 2028-05-09); generation 2 on A + 360 - 55 = 2027-11-06.
  const anchored: RotationSettings = { ...DEFAULT, rotationStart: new Date("2027-01-05T00:00:00Z") };
  const at = (day: string) => new Date(`${day}T05:17:00Z`);

  it("a never-deployed stack is due before its start too (the grid runs backwards; issue 17, finding 4), and on it", () => {
    expect(codes(input({ rotation: anchored, deployed: null }), at("2027-01-04"))).toEqual(["never-deployed"]);
    expect(codes(input({ rotation: anchored, deployed: null }), at("2027-01-05"))).toEqual(["never-deployed", "rotation-due"]);
    expect(scheduleForStack("acme", at("2027-01-05"), anchored).active.endDate.toISOString()).toBe("2028-01-05T00:00:00.000Z");
    // Before the start: generation -1 (issued A - 180 = 2026-07-09), the next one issued on the start.
    expect(scheduleForStack("acme", at("2026-12-20"), anchored).active.generation).toBe(-1);
    expect(scheduleForStack("acme", at("2026-12-20"), anchored).nextRotationAt.toISOString()).toBe("2027-01-05T00:00:00.000Z");
    expect(scheduleForStack("acme", at("2027-01-05"), anchored).nextRotationAt.toISOString()).toBe("2027-05-10T00:00:00.000Z");
  });

  it("the second secret is due on 2027-05-10, the third on 2027-11-06, and not the day before", () => {
    expect(codes(input({ rotation: anchored }), at("2027-05-09"))).toEqual([]);
    expect(dueReasons(input({ rotation: anchored }), at("2027-05-10"))).toEqual([
      { code: "rotation-due", detail: "the schedule issues generation 1 in slot b on 2027-05-10 (valid until 2028-05-09)." },
    ]);
    expect(codes(input({ rotation: anchored }), at("2027-11-05"))).toEqual([]);
    expect(codes(input({ rotation: anchored }), at("2027-11-06"))).toEqual(["rotation-due"]);
  });
});

/** The first day from 2026-12-01 on which the schedule of acme changes nothing (from the adapter). */
function quietDay(rotation: RotationSettings): Date {
  for (let at = Date.parse("2026-12-01T05:17:00Z"); ; at += DAY_MS) {
    const today = scheduleForStack("acme", new Date(at), rotation);
    const yesterday = scheduleForStack("acme", new Date(at - DAY_MS), rotation);
    if (today.active.generation === yesterday.active.generation && (today.previous === undefined) === (yesterday.previous === undefined)) return new Date(at);
  }
}

describe("dueReasons", () => {
  const at = quietDay(DEFAULT);

  it("a deployed stack that is up to date and unchanged is not due", () => {
    expect(dueReasons(input({ deployed: deployedAt("acme", DEFAULT, at) }), at)).toEqual([]);
  });

  it("never deployed, when the deployments were looked for", () => {
    expect(codes(input({ deployed: null }), at)).toEqual(["never-deployed"]);
    // Without --deployed nothing is known, so nothing is claimed.
    expect(codes(input({ deployed: undefined }), at)).toEqual([]);
  });

  it("a changed stack file, from git or from outputs that disagree with the file", () => {
    expect(codes(input({ fileChanged: true, deployed: deployedAt("acme", DEFAULT, at) }), at)).toEqual(["file-changed"]);
    const reasons = dueReasons(input({ deployed: deployedAt("acme", DEFAULT, at, { companyId: "4712", permissions: ["User.Read.All"] }) }), at);
    expect(reasons).toEqual([{ code: "file-changed", detail: "the stack file's companyId, permissions differ from what is deployed." }]);
    // Order and case of permissions are not a change.
    expect(codes(input({ deployed: deployedAt("acme", DEFAULT, at, { permissions: ["contacts.read", "User.Read.All"] }) }), at)).toEqual([]);
  });

  it("a missed rotation is overdue, with how many days ago it was due", () => {
    const schedule = scheduleForStack("acme", at, DEFAULT);
    const periodStart = schedule.active.periodStart;
    const later = new Date(periodStart.getTime() + 10 * DAY_MS + 5 * 3_600_000);
    const old = deployedAt("acme", DEFAULT, new Date(periodStart.getTime() - DAY_MS));
    const reasons = dueReasons(input({ deployed: old }), later);
    expect(reasons.map((r) => r.code)).toEqual(["rotation-overdue"]);
    expect(reasons[0].detail).toContain("10 day(s) ago");
    // Applied since: nothing left to do.
    expect(dueReasons(input({ deployed: deployedAt("acme", DEFAULT, later) }), later)).toEqual([]);
  });

  it("a deployed secret whose end date the schedule no longer has (settings changed) is due", () => {
    // The lifetime was shortened: the deployed secret outlives what the schedule now issues.
    const scheduledEnd = scheduleForStack("acme", at, DEFAULT).active.endDate.getTime();
    const longer = { ...deployedAt("acme", DEFAULT, at), secretExpiresAt: new Date(scheduledEnd + 35 * DAY_MS).toISOString() };
    expect(codes(input({ deployed: longer }), at)).toEqual(["schedule-changed"]);
  });

  it("counts events since the last recorded up, not only today's", () => {
    const schedule = scheduleForStack("acme", at, DEFAULT);
    const rotationDay = schedule.active.periodStart;
    const threeDaysLater = new Date(rotationDay.getTime() + 3 * DAY_MS);
    expect(codes(input(), threeDaysLater)).toEqual([]);
    expect(codes(input({ lastUpAt: new Date(rotationDay.getTime() - DAY_MS) }), threeDaysLater)).toEqual(["rotation-due"]);
    expect(codes(input({ lastUpAt: new Date(rotationDay.getTime() + DAY_MS) }), threeDaysLater)).toEqual([]);
  });
});

describe("a daily pipeline that applies exactly the due stacks keeps 1,000 customers on schedule", () => {
  /**
   * Simulates the scheduled run for 400 days: each day the due stacks are applied (their deployed
   * secret becomes the schedule's), on days 100-109 the pipeline is down. Derived from
   * scheduleForStack only, so it holds for any schedule that is a function of stack and date.
   */
  it("every day after a run, what Nexxt holds is the schedule's active secret, and no stack is applied without a reason", () => {
    const start = Date.parse("2026-12-01T05:17:00Z");
    // Every third stack's rotationStart lies within the simulated days (some ahead of the first day).
    const rotation = (i: number): RotationSettings =>
      i % 3 === 1 ? { ...rotationOf(i), rotationStart: new Date(start - (start % DAY_MS) + ((i % 120) - 60) * DAY_MS) } : rotationOf(i);
    // 360 stacks: every rotationStart offset (i % 120) of the new-customer ones, and both grids, in
    // a third of the time 1,000 took (the whole suite must stay under a minute on two cores).
    const count = 360;
    const stacks = Array.from({ length: count }, (_, i) => ({ stack: generatedStackName(i), rotation: rotation(i), tenantId: generatedGuid(0xfee1, i) }));
    const deployed = new Map<string, DeployedFacts>();
    const lastUp = new Map<string, Date>();
    let ups = 0;
    let expectedUps = 0;
    const mismatches: string[] = [];
    const offSchedule: string[] = [];
    const outage = new Set(Array.from({ length: 10 }, (_, i) => 100 + i));
    for (let day = 0; day < 400; day++) {
      const at = new Date(start + day * DAY_MS);
      if (outage.has(day)) continue;
      for (const s of stacks) {
        const facts = deployed.get(s.stack) ?? null;
        const reasons = dueReasons(
          { ...s, companyId: "1", permissions: ["User.Read.All", "Contacts.Read"], deployed: facts, lastUpAt: lastUp.get(s.stack), fileChanged: false },
          at,
        );
        const scheduled = scheduleForStack(s.stack, at, s.rotation);
        const yesterday = scheduleForStack(s.stack, new Date(at.getTime() - DAY_MS), s.rotation);
        const changedToday =
          facts === null || facts.secretExpiresAt !== scheduled.active.endDate.toISOString() || (yesterday.previous !== undefined) !== (scheduled.previous !== undefined);
        const afterOutage = day === 110;
        if (!afterOutage && reasons.length > 0 !== changedToday) mismatches.push(`${s.stack} day ${day}: due ${reasons.length > 0}, changed ${changedToday}`);
        if (changedToday) expectedUps++;
        if (reasons.length === 0) continue;
        ups++;
        deployed.set(s.stack, { secretExpiresAt: scheduled.active.endDate.toISOString(), tenantId: s.tenantId, companyId: "1", permissions: ["User.Read.All", "Contacts.Read"] });
        lastUp.set(s.stack, at);
      }
      for (const s of stacks)
        if (deployed.get(s.stack)?.secretExpiresAt !== scheduleForStack(s.stack, at, s.rotation).active.endDate.toISOString()) offSchedule.push(`${s.stack} day ${day}`);
    }
    expect(mismatches).toEqual([]);
    expect(offSchedule).toEqual([]);
    // Day 0 deploys everyone; rotations and lapses add the rest (a few more after the outage).
    expect(ups).toBeGreaterThan(count);
    expect(ups).toBeLessThan(expectedUps + count);
  });
});
