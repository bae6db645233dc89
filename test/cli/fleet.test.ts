import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import type { FleetView } from "../../src/fleet/fleetView";
import { CLIENT_SECRET } from "../fakes/secrets";
import { standIn } from "../support/pulumiCli/standIn";
import { stackYaml, tempProject } from "../support/tempProject";

const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const APP = "3f2c1a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const outputs = (expires: string) => ({
  applicationId: APP,
  tenantId: T1,
  tokenEndpoint: `https://login.microsoftonline.com/${T1}/oauth2/token`,
  clientSecret: CLIENT_SECRET,
  secretExpiresAt: expires,
  grantedPermissions: ["User.Read.All", "Contacts.Read"],
  companyId: "4711",
});

/**
 * acme and expiring applied, globex created but never applied, initech not in the backend,
 * umbrella's outputs unreadable, gone in the backend without a stack file.
 */
function fleetFixture() {
  const stack = (companyId: string) => stackYaml({ tenantId: T1, companyId, rotationStart: "2026-06-01" });
  const cwd = tempProject({ acme: stack("1"), expiring: stack("2"), globex: stack("3"), initech: stack("4"), umbrella: stack("5") });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-"));
  const pulumi = standIn(home, { PULUMI_CONFIG_PASSPHRASE: "fleet passphrase" });
  pulumi.script({
    stacks: {
      acme: { outputs: outputs("2027-11-01T00:00:00.000Z") },
      expiring: { outputs: outputs("2026-12-20T00:00:00.000Z") },
      umbrella: { outputs: outputs("2027-11-01T00:00:00.000Z") },
      gone: { outputs: outputs("2027-11-01T00:00:00.000Z") },
    },
  });
  fs.writeFileSync(path.join(cwd, "stacks", "Pulumi.gone.yaml"), stack("9"));
  for (const name of ["acme", "expiring", "umbrella", "gone"]) {
    pulumi.pulumi(cwd, "stack", "init", name);
    pulumi.pulumi(cwd, "up", "--yes", "--stack", name);
  }
  pulumi.pulumi(cwd, "stack", "init", "globex");
  fs.rmSync(path.join(cwd, "stacks", "Pulumi.gone.yaml"));
  pulumi.script({ fail: [{ command: "stack output", stack: "umbrella", message: "blob (key .pulumi/stacks/nexxt/umbrella.json): 503" }] });
  // Reading needs no passphrase: none is given.
  const env = { ...pulumi.env };
  delete env.PULUMI_CONFIG_PASSPHRASE;
  return { cwd, pulumi, env };
}

describe("nexxt-onboard fleet", () => {
  // Built once (nine CLI calls); each test starts from its script, so none depends on another.
  let fixture: ReturnType<typeof fleetFixture>;
  const umbrellaFails = { fail: [{ command: "stack output", stack: "umbrella", message: "blob (key .pulumi/stacks/nexxt/umbrella.json): 503" }] };
  beforeAll(() => {
    fixture = fleetFixture();
  });
  beforeEach(() => {
    fixture.pulumi.script(umbrellaFails);
    fs.rmSync(fixture.pulumi.logFile, { force: true });
  });
  const fleet = async (cwd: string, env: NodeJS.ProcessEnv, args: string[]) => {
    const io = memoryIo({ cwd, env, now: () => new Date("2026-12-06T12:00:00Z") });
    const code = await run(["fleet", ...args], io);
    return { code, io, out: io.out.join("\n"), err: io.err.join("\n") };
  };

  it("shows every stack's deployed state from the backend, masked, without a passphrase", async () => {
    const { cwd, pulumi, env } = fixture;
    const { code, out, io } = await fleet(cwd, env, ["--json"]);
    expect(code).toBe(ExitCode.CheckFailed);
    const view = JSON.parse(out) as FleetView & { inBackendWithoutStackFile: string[] };
    const row = (stack: string) => view.rows.find((r) => r.stack === stack)!;
    expect(row("acme")).toMatchObject({ status: "ok", applicationId: APP, secretExpiresAt: "2027-11-01T00:00:00Z", nextRotationAt: expect.any(String) });
    expect(Date.parse(row("acme").lastUpAt!)).toBeGreaterThan(Date.parse("2026-01-01"));
    expect(row("expiring")).toMatchObject({ status: "expiring", daysLeft: 13 });
    expect(row("globex")).toMatchObject({ status: "not-deployed" });
    expect(row("initech")).toMatchObject({ status: "not-deployed" });
    expect(row("umbrella")).toMatchObject({ status: "failed", note: expect.stringContaining("503") });
    expect(view.inBackendWithoutStackFile).toEqual(["gone"]);
    const calls = pulumi.calls();
    expect(calls.some((call) => call.argv.includes("--show-secrets"))).toBe(false);
    expect(calls.every((call) => !call.passphraseEnv && call.passphraseFile === undefined)).toBe(true);
    expect(calls.map((call) => call.argv.slice(0, 2).join(" "))).toContain("stack history");
    expect(io.out.join("\n")).not.toContain(CLIENT_SECRET);
  });

  it("takes last up and verify from run records (no history call for those), and writes the same page the pipeline publishes", async () => {
    const { cwd, pulumi, env } = fixture;
    fs.mkdirSync(path.join(cwd, "fleet-runs"));
    fs.writeFileSync(path.join(cwd, "fleet-runs", "acme.json"), JSON.stringify({ stack: "acme", lastUpAt: "2026-12-01T05:20:00Z", lastVerifyAt: "2026-12-01T05:24:00Z" }));
    const { out } = await fleet(cwd, env, ["--runs", "fleet-runs", "--html", "page/fleet.html"]);
    expect(out).toMatch(/\| acme \| 1 \| .* \| 2026-12-01 05:20 \| 2026-12-01 05:24 \| ok \|/);
    expect(out).toContain("In the state backend without a stack file (offboarded, or a file not checked out): gone.");
    expect(
      pulumi
        .calls()
        .filter((call) => call.argv[1] === "history")
        .map((call) => call.argv.at(-2)),
    ).not.toContain("acme");
    const page = fs.readFileSync(path.join(cwd, "page", "fleet.html"), "utf8");
    expect(page).toContain("<title>Nexxt Office 365 fleet, 2026-12-06</title>");
    expect(page).not.toContain(CLIENT_SECRET);
    // Our own page is replaced; a file of the user's is not.
    expect((await fleet(cwd, env, ["--html", "page/fleet.html"])).code).toBe(ExitCode.CheckFailed);
    fs.writeFileSync(path.join(cwd, "notes.html"), "<p>mine</p>");
    const refused = await fleet(cwd, env, ["--html", "notes.html"]);
    expect(refused.code).toBe(ExitCode.InvalidInput);
    expect(fs.readFileSync(path.join(cwd, "notes.html"), "utf8")).toBe("<p>mine</p>");
  });

  it("says where to point it when there is no backend, and stops when the backend cannot be listed", async () => {
    const { cwd, pulumi, env } = fixture;
    const noBackend = { ...env };
    delete noBackend.PULUMI_BACKEND_URL;
    const first = await fleet(cwd, noBackend, []);
    expect(first.code).toBe(ExitCode.InvalidInput);
    expect(first.err).toContain("PULUMI_BACKEND_URL is not set and this project has no .pulumi-state/");
    pulumi.script({ fail: [{ command: "stack ls", message: "failed to load checkpoint" }] });
    const second = await fleet(cwd, env, []);
    expect(second.code).toBe(ExitCode.InvalidInput);
    expect(second.err).toContain("The state backend could not be listed (`pulumi stack ls`: failed to load checkpoint)");
  });
});
