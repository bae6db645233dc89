import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeReportInputs } from "../../scripts/report-inputs";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { parseConnectorDocument } from "../../src/nexxt/connectorDocument";
import { CLIENT_SECRET } from "../fakes/secrets";
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
 * A `pulumi` on PATH that answers `stack output --json --stack <s>` from files, records its
 * arguments, and fails for stacks it has no outputs for (never deployed).
 */
function fakePulumi(outputs: Record<string, unknown>): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
  for (const [stack, value] of Object.entries(outputs)) fs.writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(value));
  const log = path.join(dir, "calls.log");
  fs.writeFileSync(
    path.join(dir, "pulumi"),
    `#!/bin/sh\necho "$*" >> "${log}"\nstack="$5"\nif [ -f "${dir}/$stack.json" ]; then cat "${dir}/$stack.json"; else echo "error: no stack named '$stack' found" >&2; exit 255; fi\n`,
    { mode: 0o755 },
  );
  return { env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` }, calls: () => fs.readFileSync(log, "utf8").trim().split("\n") };
}

describe("scripts/report-inputs", () => {
  it("writes one masked document per deployed customer stack, asking pulumi without --show-secrets", () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "4711" }), example: stackYaml({ tenantId: "11111111-2222-3333-4444-555555555555", companyId: "12345" }) });
    const pulumi = fakePulumi({ acme: outputsOf(T1, "[secret]") });
    const result = writeReportInputs(["--out-dir", "report-in"], cwd, pulumi.env);
    expect(result).toEqual({ written: [path.join(cwd, "report-in", "acme.nexxt.json")], failed: [] });
    expect(pulumi.calls()).toEqual(["stack output --json --stack acme"]);
    const document = parseConnectorDocument(JSON.parse(fs.readFileSync(result.written[0], "utf8")), "acme");
    expect(document).toMatchObject({ apiKey: "[secret]", secretExpiresAt: "2027-11-27T00:00:00.000Z", tenantId: T1 });
    expect(fs.statSync(result.written[0]).mode & 0o777).toBe(0o600);
  });

  it("reports a stack it cannot read and still writes the others", () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "1" }), globex: stackYaml({ tenantId: "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", companyId: "2" }) });
    const result = writeReportInputs(["--out-dir", "report-in"], cwd, fakePulumi({ globex: outputsOf("7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", "[secret]") }).env);
    expect(result.written.map((file) => path.basename(file))).toEqual(["globex.nexxt.json"]);
    expect(result.failed).toEqual([{ stack: "acme", reason: "`pulumi stack output --json --stack acme` failed (is the stack deployed?)" }]);
  });

  it("writes nothing, and never repeats the value, when a secret arrives unmasked", () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "1" }) });
    const result = writeReportInputs(["--out-dir", "report-in"], cwd, fakePulumi({ acme: outputsOf(T1, CLIENT_SECRET) }).env);
    expect(result.written).toEqual([]);
    expect(result.failed).toEqual([{ stack: "acme", reason: expect.stringContaining("clientSecret is not masked") }]);
    expect(JSON.stringify(result)).not.toContain(CLIENT_SECRET);
    expect(fs.readdirSync(path.join(cwd, "report-in"))).toEqual([]);
  });

  it("feeds secrets-report as the scheduled job runs it: a secret expiring within 30 days fails the report", async () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "4711" }) });
    writeReportInputs(["--out-dir", "report-in"], cwd, fakePulumi({ acme: outputsOf(T1, "[secret]") }).env);
    const report = async (now: string) => {
      const io = memoryIo({ cwd, now: () => new Date(now) });
      const code = await run(["secrets-report", "--dir", "report-in", "--within", "30", "--json"], io);
      return { code, rows: JSON.parse(io.out.join("\n")).rows };
    };
    expect(await report("2027-09-01T00:00:00Z")).toEqual({ code: ExitCode.Ok, rows: [expect.objectContaining({ stack: "acme", status: "ok" })] });
    expect(await report("2027-11-10T00:00:00Z")).toEqual({ code: ExitCode.CheckFailed, rows: [expect.objectContaining({ stack: "acme", status: "expiring", daysLeft: 17 })] });
  });
});
