import { secretScheduleAt, utcDayNumber } from "../../src/schedule/secretSchedule";
import { BASE_CONFIG, runProgram } from "../support/programHarness";

const DAY_MS = 86_400_000;

interface SlotState {
  generation: string;
  endDate: string;
  value: string;
}

/**
 * Two years of daily `pulumi up` runs on the mock runtime. Between runs, Pulumi's diff is
 * simulated the way the provider decides it: a password whose inputs changed is replaced
 * (every ApplicationPassword input forces a new resource), one that is no longer declared is
 * deleted.
 */
async function simulate(config: Record<string, unknown>, start: Date, days: number) {
  let slots = new Map<string, SlotState>();
  const log: { day: Date; rotated: string[]; deleted: string[]; nexxtSlot: string; nexxtExpires: Date; slots: Map<string, SlotState> }[] = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(start.getTime() + i * DAY_MS + 9 * 3_600_000);
    const { tenant, outputs } = await runProgram({ ...BASE_CONFIG, ...config }, { now: day });
    const declared = new Map<string, SlotState>();
    for (const r of tenant.resources.filter((res) => res.type.endsWith("ApplicationPassword"))) {
      const slot = r.name.replace("nexxt-secret-", "");
      const previous = slots.get(slot);
      const generation = (r.inputs.rotateWhenChanged as Record<string, string>).generation;
      const unchanged = previous && previous.generation === generation && previous.endDate === r.inputs.endDate;
      declared.set(slot, unchanged ? previous : { generation, endDate: String(r.inputs.endDate), value: String(r.state.value) });
    }
    const rotated = [...declared].filter(([slot, state]) => slots.get(slot) !== state).map(([slot]) => slot);
    const deleted = [...slots.keys()].filter((slot) => !declared.has(slot));
    // The secret the program emits to Nexxt this day is the active slot's (as state holds it).
    const active = secretScheduleAt(day, { lifetimeDays: Number(config.secretLifetimeDays ?? 365), rotationDays: Number(config.rotationDays ?? 180), overlapDays: Number(config.rotationOverlapDays ?? 30) }).active;
    const nexxt = declared.get(active.slot)!;
    expect(outputs.secretExpiresAt).toBe(nexxt.endDate);
    slots = declared;
    log.push({ day, rotated, deleted, nexxtSlot: active.slot, nexxtExpires: new Date(nexxt.endDate), slots: declared });
  }
  return log;
}

function checkLog(log: Awaited<ReturnType<typeof simulate>>, rotationDays: number): void {
  let expectedRotations = 0;
  for (let i = 1; i < log.length; i++) {
    const today = log[i];
    const dayNumber = utcDayNumber(today.day);
    const periodStarts = dayNumber % rotationDays === 0;
    if (periodStarts) expectedRotations++;
    const expectedSlot = Math.floor(dayNumber / rotationDays) % 2 === 0 ? "a" : "b";
    // Exactly the expected slot rotates, on the first day of its period, and on no other day.
    expect(today.rotated).toEqual(periodStarts ? [expectedSlot] : []);
    if (periodStarts) expect(today.nexxtSlot).toBe(expectedSlot);
    // Nexxt's secret is valid for at least the rest of the day...
    expect(today.nexxtExpires.getTime()).toBeGreaterThan(today.day.getTime() + DAY_MS);
    // ...and survives tomorrow's run: Nexxt never holds a secret that is about to be deleted.
    const tomorrow = log[i + 1];
    if (tomorrow) expect([...tomorrow.slots.values()]).toContain(today.slots.get(today.nexxtSlot));
    // A rotation never removes the secret Nexxt held the day before.
    expect([...today.slots.values()]).toContain(log[i - 1].slots.get(log[i - 1].nexxtSlot));
  }
  // Not vacuous: the two years held rotations, each seen above.
  expect(expectedRotations).toBeGreaterThanOrEqual(Math.floor((log.length - 1) / rotationDays));
}

describe("secret rotation over two years of daily runs", () => {
  it("on the mock runtime with the defaults (365/180/30): only the scheduled slot rotates, and Nexxt always holds a valid secret that is not about to go", async () => {
    checkLog(await simulate({}, new Date("2026-11-27T00:00:00Z"), 730), 180);
  });

  it("on the schedule alone with tight settings (60/30/30), where the previous secret lapses before the next rotation", () => {
    const settings = { lifetimeDays: 60, rotationDays: 30, overlapDays: 30 };
    const start = new Date("2026-11-27T09:00:00Z").getTime();
    const states = new Map<string, SlotState>();
    const log: Awaited<ReturnType<typeof simulate>> = [];
    for (let i = 0; i < 730; i++) {
      const day = new Date(start + i * DAY_MS);
      const schedule = secretScheduleAt(day, settings);
      const declared = new Map<string, SlotState>();
      for (const s of [schedule.active, schedule.previous]) {
        if (!s) continue;
        const key = `${s.slot}:${s.generation}`;
        if (!states.has(key)) states.set(key, { generation: String(s.generation), endDate: s.endDate.toISOString(), value: key });
        declared.set(s.slot, states.get(key)!);
      }
      const previous = log[log.length - 1]?.slots ?? new Map();
      const rotated = [...declared].filter(([slot, state]) => previous.has(slot) ? previous.get(slot) !== state : log.length > 0 && state.generation === String(schedule.active.generation)).map(([slot]) => slot);
      const deleted = [...previous.keys()].filter((slot) => !declared.has(slot));
      const nexxt = declared.get(schedule.active.slot)!;
      log.push({ day, rotated, deleted, nexxtSlot: schedule.active.slot, nexxtExpires: new Date(nexxt.endDate), slots: declared });
      // Every day has a valid secret, and the lapsed previous one is dropped, never kept expired.
      for (const state of declared.values()) expect(new Date(state.endDate).getTime()).toBeGreaterThan(day.getTime());
    }
    checkLog(log, 30);
  });

  it("re-running on the same day changes nothing", async () => {
    const morning = await runProgram(BASE_CONFIG, { now: new Date("2027-03-03T06:00:00Z") });
    const evening = await runProgram(BASE_CONFIG, { now: new Date("2027-03-03T23:59:00Z") });
    const inputsOf = (run: typeof morning) =>
      run.tenant.resources.filter((r) => r.type.endsWith("ApplicationPassword")).map((r) => [r.name, r.inputs.endDate, r.inputs.rotateWhenChanged, r.inputs.displayName]);
    expect(inputsOf(evening)).toEqual(inputsOf(morning));
  });
});
