import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { stackYaml, tempProject } from "../support/tempProject";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "../..");
const PROBE = path.join(__dirname, "fixtures/reportLoadedPackages.js");

/** The packages a real `node bin/nexxt-onboard ...` process loads (the compiled CLI, as users run it). */
async function loadedPackages(args: string[], cwd = ROOT): Promise<string[]> {
  const { stderr } = await run(process.execPath, ["-r", PROBE, path.join(ROOT, "bin/nexxt-onboard"), ...args], { cwd }).catch((err: { stderr?: string }) => ({
    stderr: err.stderr ?? "",
  }));
  const line = /^LOADED_PACKAGES (.*)$/m.exec(stderr);
  if (!line) throw new Error(`the CLI printed no package list; stderr: ${stderr}`);
  return JSON.parse(line[1]) as string[];
}

/** What start-up must not pay for: the Pulumi SDK (~0.4 s), the sign-in library, the CSV parser, the progress bars and axios (~60 ms). */
const HEAVY = /^(@pulumi\/|@azure\/|csv-parse$|cli-progress$|axios$)/;

describe("start-up loads only what the command needs", () => {
  let project: string;
  beforeAll(async () => {
    project = tempProject({ acme: stackYaml({ tenantId: "11111111-1111-4111-8111-111111111111", companyId: "1" }) });
    // The first run may rebuild dist/ (bin/build.js) when a source is newer than the build.
    await loadedPackages(["--help"]);
  }, 60_000);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it.each(["--help", "plan --help", "map-users --help", "verify --help", "push-config --help", "preflight --help"])("%s loads yargs but no heavy package", async (args) => {
    const loaded = await loadedPackages(args.split(" "));
    expect(loaded).toContain("yargs");
    expect(loaded.filter((name) => HEAVY.test(name))).toEqual([]);
  });

  it("validate loads no heavy package", async () => {
    const loaded = await loadedPackages(["validate"], project);
    expect(loaded).toContain("yaml");
    expect(loaded.filter((name) => HEAVY.test(name))).toEqual([]);
  });

  it("plan loads the Pulumi SDK, so the probe sees what a command really loads", async () => {
    const loaded = await loadedPackages(["plan", "--stack", "example"]);
    expect(loaded).toContain("@pulumi/pulumi");
  });
});
