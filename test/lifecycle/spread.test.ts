import { secretScheduleAt, utcDayNumber } from "../../src/schedule/secretSchedule";
import { utcTimestamp } from "../../src/util/time";
import { DAY_MS } from "../support/lifecycle/clock";
import { DEFAULT_ROTATION, daysThatMatter, live, nexxtSecretWorks } from "../support/lifecycle/runs";

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
 * Issue 17, finding 4: moving nexxt:rotationStart on a live stack, into the future above all. No
 * run may refuse (before, every up refused until the secret Nexxt holds had expired), and no run
 * may delete or let expire the secret Nexxt holds: years of runs with the file copied 14 days late.
 */
describe("moving nexxt:rotationStart on a live stack", () => {
  const start = new Date("2027-02-01T09:00:00Z");
  for (const [label, changeDay, moveByDays] of [
    ["100 days ahead, mid-period", 60, 100],
    ["400 days ahead, just after an issue day", 103, 400],
  ] as const) {
    it(`${label}: every run succeeds, none deletes Nexxt's secret, and it works every day for two years`, async () => {
      const life = await live({ start, deliveryDays: 14 }, daysThatMatter(start, 0, changeDay - 1, "acme"));
      try {
        const heldBefore = life.s.nexxt.heldOn(life.startDay + changeDay);
        expect(heldBefore).toBeDefined();
        const moved = new Date((life.startDay + changeDay + moveByDays) * DAY_MS).toISOString().slice(0, 10);
        const settings = { ...DEFAULT_ROTATION, rotationStart: new Date(`${moved}T00:00:00Z`) };
        await live(
          { start },
          daysThatMatter(start, changeDay, changeDay + 2 * 365, "acme", settings),
          (s, day) => {
            if (day === changeDay) s.config = { ...s.config, rotationStart: moved };
          },
          life,
        );
        expect(life.failures).toEqual([]);
        expect(life.snapshots.find((x) => x.day === life.startDay + changeDay)!.secrets.has(heldBefore!)).toBe(true);
        expect(nexxtSecretWorks(life, 0, changeDay + 2 * 365)).toEqual([]);
        // Not vacuous: the moved grid took over at once (the run on the change day issued its generation).
        expect(life.outputs.nextRotationAt).toBe(utcTimestamp(secretScheduleAt(new Date((life.startDay + changeDay + 2 * 365) * DAY_MS), settings, "acme").nextRotationAt));
        expect(life.maxValid).toBeLessThanOrEqual(4);
      } finally {
        await life.s.close();
      }
    });
  }

  it("a new stack whose rotationStart is ahead: the first up succeeds (no refusal), and Nexxt's secret works across the anchor day", async () => {
    const start = new Date("2027-02-01T09:00:00Z");
    const settings = { ...DEFAULT_ROTATION, rotationStart: new Date("2027-03-15T00:00:00Z") };
    const life = await live({ start, deliveryDays: 14, config: { rotationStart: "2027-03-15" } }, daysThatMatter(start, 0, 400, "acme", settings));
    try {
      expect(life.failures).toEqual([]);
      expect(nexxtSecretWorks(life, 0, 400)).toEqual([]);
    } finally {
      await life.s.close();
    }
  });
});
