import { maxPhaseDays, rotationPhaseDays, secretScheduleAt, utcDayNumber } from "../../src/schedule/secretSchedule";

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
      for (const stack of STACKS.slice(0, 10)) {
        let held: number | undefined;
        for (let day = START; day < START + 3 * 365; day++) {
          const at = new Date(day * DAY_MS + 9 * 3_600_000);
          const s = secretScheduleAt(at, settings, stack);
          expect(s.active.endDate.getTime()).toBeGreaterThan(at.getTime() + DAY_MS);
          expect(s.active.retain).toBe(true);
          if (s.previous) expect(s.previous.slot).not.toBe(s.active.slot);
          if (held !== undefined && held !== s.active.generation) {
            const kept = [s.active, s.previous].find((x) => x?.generation === held);
            expect(kept).toBeDefined();
            expect(utcDayNumber(kept!.endDate)).toBeGreaterThanOrEqual(day + settings.overlapDays);
            expect(kept!.retain).toBe(true);
          }
          held = s.active.generation;
          // Same day, any hour: the same answer (a re-run changes nothing).
          expect(secretScheduleAt(new Date(day * DAY_MS + 86_399_000), settings, stack)).toEqual(s);
        }
      }
    });
  }

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
