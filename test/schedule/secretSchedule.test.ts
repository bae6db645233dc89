import { maxPhaseDays, rotationPhaseDays, scheduleChangesOn, secretScheduleAt, utcDayNumber } from "../../src/schedule/secretSchedule";

/**
 * Properties of the pure schedule over many settings, stacks and days (the lifecycle suite runs
 * the program itself on the days that matter). Settings obey the config rule L >= R + O.
 */
const DAY_MS = 86_400_000;
const SETTINGS = [
  { lifetimeDays: 365, rotationDays: 180, overlapDays: 30 },
  { lifetimeDays: 730, rotationDays: 90, overlapDays: 60 },
  { lifetimeDays: 365, rotationDays: 90, overlapDays: 30 },
  { lifetimeDays: 60, rotationDays: 30, overlapDays: 30 },
  { lifetimeDays: 400, rotationDays: 200, overlapDays: 14 },
];
const STACKS = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
const START = utcDayNumber(new Date("2026-12-01T00:00:00Z"));

describe("the secret schedule, over many inputs", () => {
  for (const settings of SETTINGS) {
    const label = `${settings.lifetimeDays}/${settings.rotationDays}/${settings.overlapDays}`;
    it(`${label}: Nexxt's secret is valid, and the one it held before stays declared, retained and valid for the overlap`, () => {
      // Problems are collected and asserted once: an expect() per day and stack made this slow.
      const problems: string[] = [];
      let checked = 0;
      for (const stack of STACKS.slice(0, 10)) {
        let held: number | undefined;
        let yesterday = new Map<string, { generation: number; retain: boolean }>();
        for (let day = START; day < START + 3 * 365; day++) {
          const at = new Date(day * DAY_MS + 9 * 3_600_000);
          const s = secretScheduleAt(at, settings, stack);
          const where = `${stack} day ${day}`;
          if (s.active.endDate.getTime() <= at.getTime() + DAY_MS) problems.push(`${where}: Nexxt's secret ends ${s.active.endDate.toISOString()}`);
          if (!s.active.retain) problems.push(`${where}: Nexxt's secret not retained`);
          if (s.previous && s.previous.slot === s.active.slot) problems.push(`${where}: both in slot ${s.active.slot}`);
          if (held !== undefined && held !== s.active.generation) {
            checked++;
            const kept = [s.active, s.previous].find((x) => x?.generation === held);
            if (!kept) problems.push(`${where}: generation ${held}, which Nexxt held yesterday, is gone`);
            else if (utcDayNumber(kept.endDate) < day + settings.overlapDays || !kept.retain) problems.push(`${where}: generation ${held} not kept for the overlap`);
          }
          held = s.active.generation;
          // With daily runs a slot is only ever replaced when its secret is no longer retained:
          // retainOnDelete is a backstop for gaps and config changes, never the normal path.
          const today = new Map<string, { generation: number; retain: boolean }>(
            [s.active, s.previous].filter((x) => x !== undefined).map((x) => [x.slot, { generation: x.generation, retain: x.retain }]),
          );
          for (const [slot, was] of yesterday) {
            const now = today.get(slot);
            if (now && now.generation !== was.generation && was.retain) problems.push(`${where}: slot ${slot} replaced generation ${was.generation} while Nexxt may hold it`);
          }
          yesterday = today;
          // Same day, any hour: the same answer (a re-run changes nothing).
          const late = secretScheduleAt(new Date(day * DAY_MS + 86_399_000), settings, stack);
          if (JSON.stringify(late) !== JSON.stringify(s)) problems.push(`${where}: another answer later the same day`);
        }
      }
      expect(problems).toEqual([]);
      // Not vacuous: hand-overs happened and were checked.
      expect(checked).toBeGreaterThanOrEqual(10 * Math.floor((3 * 365) / settings.rotationDays) - 10);
    });
  }

  it("scheduleChangesOn names exactly the days whose schedule differs from the day before", () => {
    const settings = SETTINGS[0];
    const days: number[] = [];
    for (let day = START; day < START + 2 * 365; day++) {
      const at = new Date(day * DAY_MS + 3_600_000);
      const same = JSON.stringify(secretScheduleAt(at, settings, "acme")) === JSON.stringify(secretScheduleAt(new Date(at.getTime() - DAY_MS), settings, "acme"));
      if (scheduleChangesOn(at, settings, "acme")) days.push(day);
      if (same === scheduleChangesOn(at, settings, "acme")) throw new Error(`day ${day}: scheduleChangesOn disagrees with the schedule`);
    }
    // Per period: issue, hand-over, end of the previous one's retention, the previous one dropped.
    expect(days.length).toBeGreaterThanOrEqual(8);
    expect(days.length).toBeLessThanOrEqual(20);
  });

  it("spreads the hand-over of forty stacks with the same settings over many days", () => {
    const settings = SETTINGS[0];
    expect(maxPhaseDays(settings)).toBe(149);
    expect(new Set(STACKS.map((stack) => rotationPhaseDays(stack, settings))).size).toBeGreaterThanOrEqual(30);
    const perDay = new Map<number, number>();
    for (const stack of STACKS) {
      const day = utcDayNumber(secretScheduleAt(new Date("2027-06-01T00:00:00Z"), settings, stack).nextRotationAt);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
  });

  it("has no room to spread when the settings leave none (L = R + O): every stack hands over on the issue day", () => {
    expect(maxPhaseDays({ lifetimeDays: 60, rotationDays: 30, overlapDays: 30 })).toBe(0);
    expect(rotationPhaseDays("anything", { lifetimeDays: 60, rotationDays: 30, overlapDays: 30 })).toBe(0);
  });
});
