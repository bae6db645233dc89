import { utcTimestamp } from "../../src/util/time";
import * as fs from "node:fs";
import * as path from "node:path";
import { fleetReport } from "../../scripts/fleet-report";
import { renderFleetMarkdown } from "../../src/fleet/fleetMarkdown";
import { fleetView, TIMELINE_DAYS } from "../../src/fleet/fleetView";
import { readDeployedFacts, readFleetStacks } from "../../src/fleet/readFleet";
import { scheduleForStack } from "../../src/fleet/stackSchedule";
import { weeklyCounts } from "../../src/fleet/timelineSvg";
import { CLIENT_SECRET } from "../fakes/secrets";
import { generateFleet, generatedStackName, rotationOf } from "../support/generatedFleet";
import { SAMPLE_AT as AT, sampleFleet } from "../support/sampleFleet";
import { DAY_MS } from "../../src/util/time";

describe("fleetView", () => {
  it("puts failures, expired, expiring and never-deployed first, with the next rotation from scheduleForStack", () => {
    const fleet = sampleFleet();
    const view = fleetView({
      stacks: readFleetStacks(fleet.dir, "stacks"),
      deployed: readDeployedFacts(path.join(fleet.dir, "report-in")),
      runs: new Map(),
      results: [{ stack: "customer-0003", mode: "up", outcome: "failed", step: "up", message: "boom" }],
      at: AT,
      withinDays: 30,
    });
    expect(view.rows.slice(0, 4).map((row) => [row.stack, row.status])).toEqual([
      ["customer-0003", "failed"],
      ["customer-0008", "expired"],
      ["customer-0007", "expiring"],
      ["customer-0005", "not-deployed"],
    ]);
    expect(view.counts).toMatchObject({ failed: 1, expired: 1, expiring: 1, "not-deployed": 1, ok: 36 });
    const row12 = view.rows.find((row) => row.stack === "customer-0012")!;
    expect(row12.nextRotationAt).toBe(utcTimestamp(scheduleForStack("customer-0012", AT, rotationOf(12)).nextRotationAt));
    const active = scheduleForStack("customer-0012", AT, rotationOf(12)).active;
    expect(row12).toMatchObject({
      companyId: "10012",
      tenantId: expect.stringMatching(/^0000fee1-/),
      applicationId: expect.stringMatching(/^00000a99-/),
      secret: `slot ${active.slot}, gen. ${active.generation}`,
    });
    // customer-0008's secret expired two days ago: older than anything the schedule issues now.
    expect(view.rows.find((row) => row.stack === "customer-0008")?.secret).toBe("behind schedule");
  });

  it("the timeline holds every scheduled rotation of the next year, per stack, and nothing after it", () => {
    const fleet = generateFleet(50, { deployedAt: () => AT });
    const view = fleetView({
      stacks: readFleetStacks(fleet.dir, "stacks"),
      deployed: readDeployedFacts(path.join(fleet.dir, "report-in")),
      runs: new Map(),
      results: [],
      at: AT,
      withinDays: 30,
    });
    for (let i = 0; i < 50; i++) {
      const stack = generatedStackName(i);
      const expected: string[] = [];
      for (
        let next = scheduleForStack(stack, AT, rotationOf(i)).nextRotationAt;
        next.getTime() <= AT.getTime() + TIMELINE_DAYS * DAY_MS;
        next = scheduleForStack(stack, next, rotationOf(i)).nextRotationAt
      )
        expected.push(utcTimestamp(next));
      expect(view.events.filter((e) => e.stack === stack && e.kind === "rotation").map((e) => e.at)).toEqual(expected);
    }
    const { rotations, expiries } = weeklyCounts(view.events, AT);
    expect(rotations.reduce((a, b) => a + b, 0)).toBe(view.events.filter((e) => e.kind === "rotation").length);
    expect(expiries.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it("the Markdown summary lists this run's failures first and cannot be broken out of by a message", () => {
    const view = fleetView({ stacks: [], deployed: new Map(), runs: new Map(), results: [], at: AT, withinDays: 30 });
    const markdown = renderFleetMarkdown(view, [{ stack: "acme", mode: "up", outcome: "failed", step: "verify", message: "a | b\n<script>x</script>" }]);
    expect(markdown).toContain("| acme | up / verify | a \\| b &lt;script&gt;x&lt;/script&gt; |");
  });
});

describe("scripts/fleet-report", () => {
  it("moves last up and verify forward only on success, writes the page and the summary, and lists the failures", async () => {
    const fleet = sampleFleet();
    const report = await fleetReport(["--deployed", "report-in", "--runs", "fleet-runs", "--results", "results", "--html", "fleet-view/index.html"], fleet.dir, AT);
    expect(report.failures.map((f) => f.stack)).toEqual(["customer-0003"]);
    const record = JSON.parse(fs.readFileSync(path.join(fleet.dir, "fleet-runs/customer-0002.json"), "utf8"));
    expect(record).toEqual({ stack: "customer-0002", lastUpAt: "2026-12-01T05:19:00Z", lastVerifyAt: "2026-12-01T05:21:00Z" });
    expect(fs.existsSync(path.join(fleet.dir, "fleet-runs/customer-0003.json"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(fleet.dir, "fleet-runs/customer-0003.json"), "utf8"))).toEqual({ stack: "customer-0003" });
    expect(report.markdown).toContain("### 1 stack(s) failed in this run");
    expect(report.markdown).toContain("| customer-0001 | 10001 |");
    expect(report.markdown).toContain("2026-11-30 05:20");
    const html = fs.readFileSync(path.join(fleet.dir, "fleet-view/index.html"), "utf8");
    expect(html).toBe(report.html);
    for (const text of [html, report.markdown]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain("<img");
    }
  });
});
