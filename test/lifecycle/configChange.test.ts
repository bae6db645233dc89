import { secretScheduleAt } from "../../src/schedule/secretSchedule";
import { DAY_MS } from "../support/lifecycle/clock";
import { DEFAULT_ROTATION, daysThatMatter, live, nexxtSecretWorks } from "../support/lifecycle/runs";

/**
 * Issue 9, item 5: a config change on a live stack. The run that applies it recomputes both slots,
 * which may replace the secret Nexxt holds; it must not delete it. Checked with the file copied
 * 14 days late (the case where Nexxt lags furthest behind) and on the days that are hardest: just
 * just after an issue day (Nexxt, copying the file late, still on the previous secret) and mid-period.
 */
const CHANGES: [string, Record<string, unknown>][] = [
  ["rotationDays 180 -> 90", { rotationDays: 90 }],
  ["secretLifetimeDays 365 -> 730", { secretLifetimeDays: 730 }],
  ["rotationOverlapDays 30 -> 60", { rotationOverlapDays: 60 }],
];

describe("config changes on a live stack", () => {
  const start = new Date("2027-02-01T09:00:00Z");
  const handOver = Math.round((secretScheduleAt(start, DEFAULT_ROTATION, "acme").nextRotationAt.getTime() - start.getTime()) / DAY_MS) + 1;
  for (const [label, change] of CHANGES) {
    for (const changeDay of [handOver + 3, handOver + 100]) {
      it(`${label}, applied on day ${changeDay}: the run that applies it does not delete Nexxt's secret, and Nexxt's secret works for a year after`, async () => {
        const before = daysThatMatter(start, 0, changeDay - 1, "acme");
        const life = await live({ start, deliveryDays: 14 }, before);
        try {
          const heldBefore = life.s.nexxt.heldOn(life.startDay + changeDay);
          expect(heldBefore).toBeDefined();
          const settings = {
            ...DEFAULT_ROTATION,
            lifetimeDays: Number(change.secretLifetimeDays ?? 365),
            rotationDays: Number(change.rotationDays ?? 180),
            overlapDays: Number(change.rotationOverlapDays ?? 30),
          };
          const after = daysThatMatter(start, changeDay, changeDay + 365, "acme", settings);
          await live(
            { start },
            after,
            (s, offset) => {
              if (offset === changeDay) s.config = { ...s.config, ...change };
            },
            life,
          );
          expect(life.failures).toEqual([]);
          // The held secret survived the change run itself.
          expect(life.snapshots.find((x) => x.day === life.startDay + changeDay)!.secrets.has(heldBefore!)).toBe(true);
          expect(nexxtSecretWorks(life, 0, changeDay + 365)).toEqual([]);
        } finally {
          await life.s.close();
        }
      });
    }
  }
});
