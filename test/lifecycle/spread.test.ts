import { utcTimestamp } from "../../src/util/time";
import * as schedule from "../../src/schedule/secretSchedule";
import { DAY_MS } from "../support/lifecycle/clock";
import { DEFAULT_ROTATION, daysThatMatter, live, nexxtSecretWorks } from "../support/lifecycle/runs";

const { secretScheduleAt, utcDayNumber } = schedule;

/** Issue 9, item 6: rotations spread across customers, and the upgrade that introduces the spread. */
describe("rotations spread across customers", () => {
  it("forty stacks with the same config and the same rotationStart issue their second secret on many different days, each on the day the pure schedule says", async () => {
    const start = new Date("2027-01-05T09:00:00Z");
    const config = { rotationStart: "2027-01-05" };
    const settings = { ...DEFAULT_ROTATION, rotationStart: new Date("2027-01-05T00:00:00Z") };
    const issuedOn = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const stack = `customer-${i}`;
      const second = utcDayNumber(secretScheduleAt(start, settings, stack).nextRotationAt);
      const offset = second - utcDayNumber(start);
      // Created on the start day, run the day before the second issue day, then on it.
      const life = await live({ start, stack, config }, [0, offset - 1, offset]);
      try {
        const created = (day: number) => life.s.tenant.applications.flatMap((a) => a.passwords).filter((p) => utcDayNumber(p.startDate) === day).length;
        expect([created(life.startDay + offset - 1), created(life.startDay + offset)]).toEqual([0, 1]);
        issuedOn.set(stack, second);
      } finally {
        await life.s.close();
      }
    }
    const perDay = new Map<number, number>();
    for (const day of issuedOn.values()) perDay.set(day, (perDay.get(day) ?? 0) + 1);
    expect(perDay.size).toBeGreaterThanOrEqual(20);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
    // Pure: the same inputs give the same days again.
    expect([...issuedOn.keys()].map((stack) => utcDayNumber(secretScheduleAt(new Date("2027-01-05T23:00:00Z"), { ...settings }, stack).nextRotationAt))).toEqual([
      ...issuedOn.values(),
    ]);
  });
});

/**
 * What the release before rotationStart did (epoch grid, no retainOnDelete): the newest
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
    jitterDays: 0,
  };
}

describe("upgrading a live stack made by the previous release (epoch grid, no retainOnDelete)", () => {
  const start = new Date("2026-09-10T09:00:00Z");
  const issue116 = Math.round((Date.parse("2027-03-03T00:00:00Z") - start.getTime()) / DAY_MS);
  // Just after an issue day (the previous secret still in its overlap) and mid-period.
  for (const upgradeDay of [issue116 + 2, issue116 + 40]) {
    it(`upgraded on day ${upgradeDay}: the upgrade run replaces and deletes no secret; adding rotationStart later deletes not Nexxt's secret, which works for a year after`, async () => {
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

        // Twenty days later the partner adds nexxt:rotationStart (that day): a config change that
        // issues generation 0 of the new grid. Nexxt's secret must survive the run that applies it.
        const anchorOffset = offset + 20;
        const anchorDate = new Date(start.getTime() + anchorOffset * DAY_MS).toISOString().slice(0, 10);
        await live({ start }, daysThatMatter(start, offset + 1, anchorOffset - 1, "acme"), undefined, life);
        const heldBefore = life.s.nexxt.heldOn(life.startDay + anchorOffset);
        expect(heldBefore).toBeDefined();
        const anchored = { ...DEFAULT_ROTATION, rotationStart: new Date(`${anchorDate}T00:00:00Z`) };
        await live(
          { start },
          daysThatMatter(start, anchorOffset, anchorOffset + 365, "acme", anchored),
          (s, day) => {
            if (day === anchorOffset) s.config = { ...s.config, rotationStart: anchorDate };
          },
          life,
        );
        expect(life.failures).toEqual([]);
        expect(life.snapshots.find((x) => x.day === life.startDay + anchorOffset)!.secrets.has(heldBefore!)).toBe(true);
        // Not vacuous: the anchored schedule took over (Nexxt was given its generation 0).
        expect(life.outputs.nextRotationAt).toBe(utcTimestamp(secretScheduleAt(new Date((life.startDay + anchorOffset + 365) * DAY_MS), anchored, "acme").nextRotationAt));
        expect(nexxtSecretWorks(life, 0, anchorOffset + 365)).toEqual([]);
        // Applied within the old grid's overlap, both old secrets are retained (Nexxt may hold
        // either) beside the new grid's two until they expire: four, never more.
        expect(life.maxValid).toBeLessThanOrEqual(upgradeDay + 20 < issue116 + DEFAULT_ROTATION.overlapDays ? 4 : 3);
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
