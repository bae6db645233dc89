import * as schedule from "../../src/schedule/secretSchedule";
import { DAY_MS } from "../support/lifecycle/clock";
import { DEFAULT_ROTATION, daysThatMatter, live, nexxtSecretWorks } from "../support/lifecycle/runs";

const { rotationPhaseDays, secretScheduleAt, utcDayNumber } = schedule;

/** Issue 9, item 6: rotations spread across customers, and the upgrade that introduces the spread. */
describe("rotations spread across customers", () => {
  it("forty stacks with the same config are handed their new secret on many different days, each on the day the pure schedule says", async () => {
    const start = new Date("2027-03-03T09:00:00Z"); // an issue day (period 116)
    const changeDay = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const stack = `customer-${i}`;
      const handOver = utcDayNumber(secretScheduleAt(start, DEFAULT_ROTATION, stack).nextRotationAt);
      const offset = handOver - utcDayNumber(start);
      // Created the day before its hand-over (the previous generation goes to Nexxt), then the day itself.
      const first = Math.max(0, offset - 1);
      const life = await live({ start, stack }, [...new Set([first, offset])]);
      try {
        if (offset > 0) {
          // Before its hand-over day Nexxt kept the previous secret; on it, the new one arrived.
          const before = life.s.nexxt.heldOn(life.startDay + offset - 1);
          expect(before).toBeDefined();
          expect(life.s.nexxt.heldOn(life.startDay + offset)).not.toBe(before);
        }
        changeDay.set(stack, handOver);
      } finally {
        await life.s.close();
      }
    }
    const perDay = new Map<number, number>();
    for (const day of changeDay.values()) perDay.set(day, (perDay.get(day) ?? 0) + 1);
    expect(perDay.size).toBeGreaterThanOrEqual(30);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
  });
});

/**
 * What the version before the spread did (epoch-aligned hand-over, no retainOnDelete): the newest
 * generation went to Nexxt on its issue day. Used to write a live stack's state as that version
 * left it, then upgrade.
 */
function legacySchedule(at: Date, settings: schedule.RotationSettings): schedule.SecretSchedule {
  const today = utcDayNumber(at);
  const generation = Math.floor(today / settings.rotationDays);
  const secret = (g: number): schedule.ScheduledSecret => ({
    slot: schedule.slotOfGeneration(g),
    generation: g,
    periodStart: new Date(g * settings.rotationDays * DAY_MS),
    endDate: new Date((g * settings.rotationDays + settings.lifetimeDays) * DAY_MS),
    retain: false,
  });
  const older = generation > 0 ? secret(generation - 1) : undefined;
  return {
    active: secret(generation),
    previous: older && utcDayNumber(older.endDate) > today + 1 ? older : undefined,
    nextRotationAt: new Date((generation + 1) * settings.rotationDays * DAY_MS),
    phaseDays: 0,
  };
}

describe("upgrading a live stack to the spread schedule", () => {
  const start = new Date("2026-09-10T09:00:00Z");
  const issue116 = Math.round((Date.parse("2027-03-03T00:00:00Z") - start.getTime()) / DAY_MS);
  const phase = rotationPhaseDays("acme", DEFAULT_ROTATION);
  // Just after an issue day (the new version hands Nexxt the older secret again), at the new
  // hand-over, and mid-period.
  for (const upgradeDay of [issue116 + 2, issue116 + phase, issue116 + phase + 40]) {
    it(`upgraded on day ${upgradeDay} (acme's phase is ${phase} days): the upgrade run replaces and deletes no secret, and Nexxt's secret works for a year after`, async () => {
      const spy = jest.spyOn(schedule, "secretScheduleAt").mockImplementation((at, settings) => legacySchedule(at, settings));
      let life;
      try {
        life = await live({ start, deliveryDays: 14 }, [...range(0, upgradeDay - 2, 20), upgradeDay - 1]);
      } finally {
        spy.mockRestore();
      }
      try {
        // Not vacuous: the state is the earlier version's, with no retainOnDelete on any secret.
        expect(life.s.engine.state.byType("ApplicationPassword").map((e) => e.retainOnDelete)).toEqual([false, false]);
        life.s.clock.advanceDays(1);
        const upgrade = await life.s.up();
        const secretSteps = upgrade.steps.filter((step) => step.type.endsWith("ApplicationPassword"));
        expect(secretSteps.map((step) => step.op)).toEqual(["same", "same"]);
        expect(upgrade.steps.filter((step) => step.op === "delete" || step.op === "replace")).toEqual([]);
        const offset = life.s.clock.day() - life.startDay;
        await live({ start }, daysThatMatter(start, offset + 1, offset + 365, "acme"), undefined, life);
        expect(life.failures).toEqual([]);
        expect(nexxtSecretWorks(life, 0, offset + 365)).toEqual([]);
      } finally {
        await life.s.close();
      }
    });
  }
});

function range(from: number, to: number, step: number): number[] {
  const days: number[] = [];
  for (let d = from; d <= to; d += step) days.push(d);
  return days;
}
