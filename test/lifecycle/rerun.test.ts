import { Scenario, ScenarioOptions } from "../support/lifecycle/scenario";

describe("a re-run with nothing due (issue 9, item 1)", () => {
  it.each<[string, Partial<ScenarioOptions>]>([
    ["connector file", {}],
    ["push to Nexxt", { push: true }],
    ["custom permissions and rotation", { config: { permissions: ["User.Read.All"], rotationDays: 90, rotationOverlapDays: 20 } }],
  ])("%s: the first run creates everything, the next ones the same day and the next day change nothing", async (_label, options) => {
    const s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z"), ...options });
    try {
      const first = await s.up();
      expect(first.steps.filter((step) => step.op === "create").length).toBeGreaterThan(5);
      s.clock.advanceDays(0.5);
      expect((await s.up()).changes()).toEqual([]);
      s.clock.advanceDays(0.5);
      const nextDay = await s.up();
      expect(nextDay.changes()).toEqual([]);
      // Not vacuous: every resource was compared, none skipped.
      expect(nextDay.steps.length).toBe(first.steps.length);
      if (options.push) expect(s.server!.requests.filter((r) => r.method === "PUT")).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
