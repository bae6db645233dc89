import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeReportInputs } from "../../scripts/report-inputs";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { parseConnectorDocument } from "../../src/nexxt/connectorDocument";
import { CLIENT_SECRET } from "../fakes/secrets";
import { standIn } from "../support/pulumiCli/standIn";
import { stackYaml, tempProject } from "../support/tempProject";

const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";

function outputsOf(tenantId: string, clientSecret: string) {
  return {
    applicationId: "3f2c1a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b",
    tenantId,
    tokenEndpoint: `https://login.microsoftonline.com/${tenantId}/oauth2/token`,
    clientSecret,
    secretExpiresAt: "2027-11-27T00:00:00.000Z",
    grantedPermissions: ["User.Read.All", "Contacts.Read"],
    companyId: "4711",
  };
}

/**
 * The Pulumi CLI stand-in with the given stacks applied (`stack init`, `up`): their outputs as the
 * program would leave them, clientSecret a secret output unless `unmarked` says otherwise.
 */
function deployed(cwd: string, stacks: Record<string, Record<string, unknown>>, unmarked: string[] = [], initOnly: string[] = []) {
  const pulumi = standIn(fs.mkdtempSync(path.join(os.tmpdir(), "stand-in-")), { PULUMI_CONFIG_PASSPHRASE: "report passphrase" });
  pulumi.script({
    stacks: Object.fromEntries(Object.entries(stacks).map(([stack, outputs]) => [stack, { outputs, secretOutputs: unmarked.includes(stack) ? [] : ["clientSecret"] }])),
  });
  const env = { ...process.env, ...pulumi.env };
  for (const stack of [...Object.keys(stacks), ...initOnly]) {
    execFileSync("pulumi", ["stack", "init", stack], { cwd, env, stdio: "ignore" });
    if (!initOnly.includes(stack)) execFileSync("pulumi", ["up", "--yes", "--stack", stack], { cwd, env, stdio: "ignore" });
  }
  fs.rmSync(pulumi.logFile);
  return { ...pulumi, env };
}

describe("scripts/report-inputs", () => {
  it("writes one masked document per deployed customer stack, asking pulumi without --show-secrets", async () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "4711" }), example: stackYaml({ tenantId: "11111111-2222-3333-4444-555555555555", companyId: "12345" }) });
    const pulumi = deployed(cwd, { acme: outputsOf(T1, CLIENT_SECRET) });
    const result = await writeReportInputs(["--out-dir", "report-in"], cwd, pulumi.env);
    expect(result).toEqual({ written: [path.join(cwd, "report-in", "acme.nexxt.json")], failed: [], notDeployed: [] });
    expect(pulumi.calls().map((call) => call.argv.join(" "))).toEqual(["stack ls --json --non-interactive", "stack output --json --stack acme --non-interactive"]);
    expect(fs.readFileSync(result.written[0], "utf8")).not.toContain(CLIENT_SECRET);
    const document = parseConnectorDocument(JSON.parse(fs.readFileSync(result.written[0], "utf8")), "acme");
    expect(document).toMatchObject({ apiKey: "[secret]", secretExpiresAt: "2027-11-27T00:00:00.000Z", tenantId: T1 });
    expect(fs.statSync(result.written[0]).mode & 0o777).toBe(0o600);
  });

  it("tells never-deployed stacks (not in the backend, or without outputs) from unreadable ones, in the manifest due requires", async () => {
    const G = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
    const cwd = tempProject({
      acme: stackYaml({ tenantId: T1, companyId: "1" }),
      globex: stackYaml({ tenantId: G, companyId: "2" }),
      initech: stackYaml({ tenantId: T1, companyId: "3" }),
      umbrella: stackYaml({ tenantId: T1, companyId: "4" }),
    });
    const pulumi = deployed(cwd, { globex: outputsOf(G, CLIENT_SECRET), umbrella: outputsOf(T1, CLIENT_SECRET) }, [], ["initech"]);
    pulumi.script({ fail: [{ command: "stack output", stack: "umbrella", message: "blob storage: 503 Service Unavailable" }] });
    const result = await writeReportInputs(["--out-dir", "report-in"], cwd, pulumi.env);
    expect(result.written.map((file) => path.basename(file))).toEqual(["globex.nexxt.json"]);
    expect(result.notDeployed).toEqual(["acme", "initech"]);
    expect(result.failed).toEqual([{ stack: "umbrella", reason: "`pulumi stack output --stack umbrella` failed: blob storage: 503 Service Unavailable" }]);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, "report-in", "backend-stacks.json"), "utf8"))).toEqual({
      inBackend: ["globex", "initech", "umbrella"],
      unreadable: ["umbrella"],
    });
  });

  it("writes no manifest when the backend cannot be listed, so due stops the run", async () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "1" }) });
    const pulumi = deployed(cwd, { acme: outputsOf(T1, CLIENT_SECRET) });
    await writeReportInputs(["--out-dir", "report-in"], cwd, pulumi.env);
    pulumi.script({ fail: [{ command: "stack ls", message: "failed to load checkpoint: blob (code=Unknown)" }] });
    await expect(writeReportInputs(["--out-dir", "report-in"], cwd, pulumi.env)).rejects.toThrow("The state backend could not be listed");
    expect(fs.existsSync(path.join(cwd, "report-in", "backend-stacks.json"))).toBe(false);
  });

  it("writes nothing, and never repeats the value, when a secret arrives unmasked", async () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "1" }) });
    // A program that forgot to mark the secret: the CLI prints it in the clear.
    const result = await writeReportInputs(["--out-dir", "report-in"], cwd, deployed(cwd, { acme: outputsOf(T1, CLIENT_SECRET) }, ["acme"]).env);
    expect(result.written).toEqual([]);
    expect(result.failed).toEqual([{ stack: "acme", reason: expect.stringContaining("clientSecret is not masked") }]);
    expect(JSON.stringify(result)).not.toContain(CLIENT_SECRET);
    expect(fs.readdirSync(path.join(cwd, "report-in"))).toEqual(["backend-stacks.json"]);
  });

  it("feeds secrets-report as the scheduled job runs it: a secret expiring within 30 days fails the report", async () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "4711" }) });
    await writeReportInputs(["--out-dir", "report-in"], cwd, deployed(cwd, { acme: outputsOf(T1, CLIENT_SECRET) }).env);
    const report = async (now: string) => {
      const io = memoryIo({ cwd, now: () => new Date(now) });
      const code = await run(["secrets-report", "--dir", "report-in", "--within", "30", "--json"], io);
      return { code, rows: JSON.parse(io.out.join("\n")).rows };
    };
    expect(await report("2027-09-01T00:00:00Z")).toEqual({ code: ExitCode.Ok, rows: [expect.objectContaining({ stack: "acme", status: "ok" })] });
    expect(await report("2027-11-10T00:00:00Z")).toEqual({ code: ExitCode.CheckFailed, rows: [expect.objectContaining({ stack: "acme", status: "expiring", daysLeft: 17 })] });
  });
});
