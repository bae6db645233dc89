import * as fs from "node:fs";
import * as path from "node:path";
import { secretScheduleAt } from "../../src/schedule/secretSchedule";
import { fakeDateOnly } from "../support/lifecycle/clock";
import { DEFAULT_ROTATION } from "../support/lifecycle/runs";
import { PROJECT_MAIN, REAL_PROJECT_FILE, Scenario } from "../support/lifecycle/scenario";

/** Issue 9, item 8: where the connector file lands under the real engine, and what moves it. */
describe("the connector file under the engine's working directory", () => {
  let s: Scenario;
  afterEach(async () => s.close());

  // The real Pulumi.yaml has no `main:` today (the program runs from the root); a project with
  // `main: src/program/` runs it from there. The file must land in <root>/out/ either way.
  const withMain = REAL_PROJECT_FILE.replace(/^runtime:/m, "main: src/program/\nruntime:");
  for (const [label, projectFile, workingDirectory] of [
    ["Pulumi.yaml main: src/program/", withMain, "src/program"],
    ["the real Pulumi.yaml", REAL_PROJECT_FILE, PROJECT_MAIN],
  ] as const) {
    it(`lands in <project>/out/ whatever directory the engine runs the program from (${label})`, async () => {
      s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z"), projectFile });
      expect(s.engine.workingDirectory()).toBe(path.join(s.projectRoot, workingDirectory));
      await s.up();
      expect(fs.existsSync(path.join(s.projectRoot, "out", "acme.nexxt.json"))).toBe(true);
      if (workingDirectory !== "") expect(fs.existsSync(path.join(s.projectRoot, workingDirectory, "out"))).toBe(false);
      expect(fs.statSync(s.connectorFile()).mode & 0o777).toBe(0o600);
    });
  }

  it("resolves nexxt:connectorConfigDir against the project root", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z"), config: { connectorConfigDir: "build/connectors" } });
    await s.up();
    expect(fs.existsSync(path.join(s.projectRoot, "build/connectors/acme.nexxt.json"))).toBe(true);
  });

  it("issue 17, finding 6: applied from a laptop, then from CI, then the laptop again, changes nothing; no machine path in the inputs or the hand-off", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z") });
    await s.up();
    const laptop = s.projectRoot;
    const file = () => s.engine.state.all().find((e) => e.name === "nexxt-file")!;
    const handoff = fs.readFileSync(path.join(laptop, "out", "acme.handoff.md"), "utf8");
    expect(handoff).toContain("`out/acme.nexxt.json`");
    expect(handoff).not.toContain(laptop);
    expect(JSON.stringify(file().inputs)).not.toContain(laptop);

    const ci = s.moveProject();
    expect((await s.up()).changes()).toEqual([]);
    // Back on the laptop (its checkout is still there).
    s.engine.options.projectRoot = laptop;
    s.projectRoot = laptop;
    expect((await s.up()).changes()).toEqual([]);
    s.engine.options.projectRoot = ci;
    s.projectRoot = ci;
    // The next change of the secret writes the files where that run is.
    s.clock.advanceDays(200);
    const rotation = await s.up();
    expect(rotation.steps.find((step) => step.name === "nexxt-file")?.op).toBe("update");
    expect(fs.existsSync(path.join(ci, "out", "acme.nexxt.json"))).toBe(true);
  });

  it("pulumi refresh notices a connector file edited by hand, and the next up writes it again", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z") });
    await s.up();
    const original = fs.readFileSync(s.connectorFile(), "utf8");
    fs.writeFileSync(s.connectorFile(), original.replace(/"companyId": "4711"/, '"companyId": "9999"'));
    expect((await s.engine.refresh()).map((step) => [step.name, step.op])).toContainEqual(["nexxt-file", "update"]);
    await s.up();
    expect(fs.readFileSync(s.connectorFile(), "utf8")).toBe(original);
  });

  it("issue 17, finding 3: on a runner without out/ (or after the files were deleted) refresh succeeds and finds no drift, and up changes nothing", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z") });
    await s.up();
    // A fresh runner: the same project, no out/. Then the hand-off alone deleted, then both files.
    s.moveProject();
    expect(await s.engine.refresh()).toEqual([]);
    expect((await s.up()).changes()).toEqual([]);
    s.clock.advanceDays(1);
    expect(await s.engine.refresh()).toEqual([]);
    expect((await s.up()).changes()).toEqual([]);
  });

  it("pulumi up --replace of the file resource writes the files again on a machine that lacks them (the documented way)", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z") });
    await s.up();
    const ci = s.moveProject();
    expect((await s.up()).changes()).toEqual([]);
    expect(fs.existsSync(path.join(ci, "out", "acme.nexxt.json"))).toBe(false);
    const run = await s.up({ replace: ["nexxt-file"] });
    expect(run.changes().map((step) => [step.name, step.op])).toEqual([["nexxt-file", "replace"]]);
    // Deleted first, then written: creating first would have the old resource's delete remove the new files.
    expect(fs.existsSync(path.join(ci, "out", "acme.nexxt.json"))).toBe(true);
    expect(fs.existsSync(path.join(ci, "out", "acme.handoff.md"))).toBe(true);
  });

  it("issue 17, finding 3: refresh after only the hand-off was deleted succeeds (no undefined field crosses the provider host)", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z") });
    await s.up();
    fs.rmSync(path.join(s.projectRoot, "out", "acme.handoff.md"));
    expect(await s.engine.refresh()).toEqual([]);
    fs.rmSync(s.connectorFile());
    expect(await s.engine.refresh()).toEqual([]);
  });
});

describe("the real entry module (src/program/index.ts), loaded afresh per run as a new process would", () => {
  it("runs from src/program/ with the simulated date, writes to <project>/out/, and re-runs without changes", async () => {
    fakeDateOnly(new Date("2027-03-03T06:00:00Z"));
    const s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z"), entryModule: true });
    try {
      const first = await s.up();
      expect(first.outputs.secretExpiresAt).toBe(secretScheduleAt(new Date("2027-03-03T06:00:00Z"), DEFAULT_ROTATION, "acme").active.endDate.toISOString().replace(".000Z", "Z"));
      expect(fs.existsSync(s.connectorFile())).toBe(true);
      s.clock.advanceDays(1);
      expect((await s.up()).changes()).toEqual([]);
    } finally {
      await s.close();
      jest.useRealTimers();
    }
  });
});

describe("moving the connector file (nexxt:connectorConfigDir changes)", () => {
  it("deletes the old file first, then writes the new one (the provider asks for delete-before-replace)", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-03T06:00:00Z") });
    try {
      await s.up();
      const old = s.connectorFile();
      s.config = { ...s.config, connectorConfigDir: "elsewhere" };
      const run = await s.up();
      expect(run.steps.find((step) => step.name === "nexxt-file")?.op).toBe("replace");
      expect(fs.existsSync(old)).toBe(false);
      expect(fs.existsSync(path.join(s.projectRoot, "elsewhere", "acme.nexxt.json"))).toBe(true);
    } finally {
      await s.close();
    }
  });
});
