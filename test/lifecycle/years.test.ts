import { DAY_MS } from "../../src/util/time";
import { graphDateTime } from "../../src/schedule/secretSchedule";
import { DEFAULT_ROTATION, daysThatMatter, live, nexxtSecretWorks, range } from "../support/lifecycle/runs";

/** Issue 9, items 2 to 4: years of `pulumi up` on the lifecycle engine. */
/** How many different secrets were pushed to Nexxt: proves a run of years held rotations. */
function pushedSecrets(life: { s: { server?: { requests: { method: string; body: string }[] } } }): number {
  return new Set(life.s.server!.requests.filter((r) => r.method === "PUT").map((r) => (JSON.parse(r.body) as { apiKey: string }).apiKey)).size;
}

describe("years of runs", () => {
  it("item 2: three years of daily runs with push: Nexxt's secret works every day, never more than three valid secrets", async () => {
    const start = new Date("2027-05-10T09:00:00Z");
    const life = await live({ start, push: true }, daysThatMatter(start, 0, 3 * 365, "acme"));
    try {
      expect(life.failures).toEqual([]);
      expect(nexxtSecretWorks(life, 0, 3 * 365)).toEqual([]);
      expect(life.maxValid).toBeLessThanOrEqual(3);
      // Not vacuous: three years held rotations, each handed to Nexxt.
      expect(pushedSecrets(life)).toBeGreaterThanOrEqual(6);
    } finally {
      await life.s.close();
    }
  });

  it("item 2: a new customer (rotationStart = its first up's day): the first secret is valid for the full configured lifetime; three years of daily runs keep Nexxt's secret working with at most three valid", async () => {
    for (const [start, lifetimeDays] of [
      [new Date("2027-03-03T09:00:00Z"), 365],
      [new Date("2027-08-29T09:00:00Z"), 365],
      [new Date("2027-05-10T09:00:00Z"), 730],
    ] as const) {
      const rotationStart = start.toISOString().slice(0, 10);
      const settings = { ...DEFAULT_ROTATION, lifetimeDays, rotationStart: new Date(`${rotationStart}T00:00:00Z`) };
      const life = await live({ start, push: true, config: { rotationStart, secretLifetimeDays: lifetimeDays } }, daysThatMatter(start, 0, 3 * 365, "acme", settings));
      try {
        const firstDoc = JSON.parse(life.s.server!.requests.find((r) => r.method === "PUT")!.body) as { apiKey: string; secretExpiresAt: string };
        // As Graph reads it back: exactly L days after the start day, at midnight UTC.
        const expected = graphDateTime(new Date(Date.parse(`${rotationStart}T00:00:00Z`) + lifetimeDays * DAY_MS));
        expect(firstDoc.secretExpiresAt).toBe(expected);
        expect(graphDateTime(life.snapshots[0].secrets.get(firstDoc.apiKey)!)).toBe(expected);
        expect(life.failures).toEqual([]);
        expect(nexxtSecretWorks(life, 0, 3 * 365)).toEqual([]);
        expect(life.maxValid).toBeLessThanOrEqual(3);
        // Not vacuous: the later generations were issued and handed to Nexxt too.
        expect(pushedSecrets(life)).toBeGreaterThanOrEqual(6);
      } finally {
        await life.s.close();
      }
    }
  });

  it("item 3: connector file only, copied by a person 14 days after it changes: Nexxt's secret works every day", async () => {
    const start = new Date("2027-05-10T09:00:00Z");
    const life = await live({ start, deliveryDays: 14 }, daysThatMatter(start, 0, 2 * 365, "acme"));
    try {
      expect(life.failures).toEqual([]);
      expect(nexxtSecretWorks(life, 0, 2 * 365)).toEqual([]);
    } finally {
      await life.s.close();
    }
  });

  it("item 4: irregular runs (every 30 days, one gap of 200 days) never delete a valid secret Nexxt holds", async () => {
    for (const start of [new Date("2027-01-20T09:00:00Z"), new Date("2027-04-01T09:00:00Z")]) {
      const days = [...range(12, 30), ...range(20, 30, 330 + 200)];
      const life = await live({ start, deliveryDays: 14 }, days);
      try {
        expect(life.failures).toEqual([]);
      } finally {
        await life.s.close();
      }
    }
  });
});
