import { Scenario } from "../support/lifecycle/scenario";

describe("a re-run with nothing due (issue 9, item 1)", () => {
  it("changes nothing: zero creates, replaces and deletes", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z") });
    try {
      const first = await s.up();
      expect(first.steps.filter((step) => step.op === "create").length).toBeGreaterThan(5);
      s.clock.advanceDays(0.5);
      const second = await s.up();
      expect(second.changes()).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
