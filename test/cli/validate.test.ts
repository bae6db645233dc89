import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { SHARED_TENANT_MARKER } from "../../src/stacks/sharedTenantMarker";
import { NEXXT_TOKEN } from "../fakes/secrets";
import { stackYaml, tempProject } from "../support/tempProject";

const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const T2 = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
const EXAMPLE = fs.readFileSync(path.join(__dirname, "../../stacks/Pulumi.example.yaml"), "utf8");

async function validate(cwd: string, args: string[] = []) {
  const io = memoryIo({ cwd });
  const code = await run(["validate", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

describe("nexxt-onboard validate", () => {
  it("passes the repository's own stacks/ (the example is a valid stack)", async () => {
    const { code, out } = await validate(path.join(__dirname, "../.."));
    expect(out).toMatch(/Checked \d+ stack files? in stacks: all valid\./);
    expect(code).toBe(ExitCode.Ok);
  });

  it("passes distinct customers next to the example", async () => {
    const cwd = tempProject({
      example: EXAMPLE,
      acme: stackYaml({ tenantId: T1, companyId: "1", rotationStart: "2026-12-01" }),
      globex: stackYaml({ tenantId: T2, companyId: "2", rotationStart: "2026-12-01" }),
    });
    const { code, out } = await validate(cwd);
    expect(out).toBe("Checked 3 stack files in stacks: all valid.");
    expect(code).toBe(ExitCode.Ok);
  });

  it("prints every problem of every file with file and key, and exits 1", async () => {
    const cwd = tempProject({
      bad: stackYaml({ tenantId: "not-a-guid", companyId: "1", secretLifetimeDays: 9999, permisions: ["User.Read.All"] }),
      dup1: stackYaml({ tenantId: T1, companyId: "4711", rotationStart: "2026-12-01" }),
      dup2: stackYaml({ tenantId: T1, companyId: "4711", rotationStart: "2026-12-01" }),
    });
    fs.writeFileSync(path.join(cwd, "stacks", "Pulumi.broken.yaml"), "config:\n  nexxt:tenantId: [unclosed\n");
    fs.writeFileSync(path.join(cwd, "stacks", "acme.yaml"), stackYaml({ tenantId: T2, companyId: "3" }));
    const { code, out } = await validate(cwd);
    expect(code).toBe(ExitCode.CheckFailed);
    const lines = out.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stacks\/acme.yaml: stacks\/acme.yaml is not a stack file/),
        expect.stringMatching(/^stacks\/Pulumi.bad.yaml: nexxt:permisions is not a setting of this program; did you mean nexxt:permissions\?/),
        expect.stringMatching(/^stacks\/Pulumi.bad.yaml: nexxt:tenantId 'not-a-guid' is not a GUID/),
        expect.stringMatching(/^stacks\/Pulumi.bad.yaml: nexxt:secretLifetimeDays '9999' must be a whole number of days from 1 to 730/),
        expect.stringMatching(/^stacks\/Pulumi.broken.yaml: stacks\/Pulumi.broken.yaml is not valid YAML at line \d/),
        expect.stringMatching(/^stacks\/Pulumi.dup1.yaml: nexxt:tenantId 3f6a2c1e.* is also the tenant of stacks\/Pulumi.dup2.yaml/),
        expect.stringMatching(/^stacks\/Pulumi.dup2.yaml: nexxt:tenantId 3f6a2c1e.* is also the tenant of stacks\/Pulumi.dup1.yaml/),
        expect.stringMatching(/^stacks\/Pulumi.dup1.yaml: nexxt:companyId 4711 is also the Company ID of stacks\/Pulumi.dup2.yaml/),
        expect.stringMatching(/^stacks\/Pulumi.dup2.yaml: nexxt:companyId 4711 is also the Company ID of stacks\/Pulumi.dup1.yaml/),
      ]),
    );
    expect(lines[lines.length - 1]).toBe(`Checked 4 stack files in stacks: ${lines.length - 1} problems.`);
    expect(lines.length - 1).toBe(9);
  });

  it("accepts a shared tenant when both files carry the marker, and refuses a Company ID twice regardless", async () => {
    const marked = (values: Record<string, unknown>) => `${SHARED_TENANT_MARKER}\n${stackYaml(values)}`;
    const shared = tempProject({ a: marked({ tenantId: T1, companyId: "1" }), b: marked({ tenantId: T1, companyId: "2", displayName: "ClearVox Nexxt B" }) });
    expect((await validate(shared)).code).toBe(ExitCode.Ok);
    const sameCompany = tempProject({ a: marked({ tenantId: T1, companyId: "1" }), b: marked({ tenantId: T2, companyId: "1" }) });
    const { code, out } = await validate(sameCompany);
    expect(code).toBe(ExitCode.CheckFailed);
    expect(out).toContain("stacks/Pulumi.a.yaml: nexxt:companyId 1 is also the Company ID of stacks/Pulumi.b.yaml");
  });

  it("reports a secret in clear text without printing it", async () => {
    const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "1", apiUrl: "https://pbx.acme.nl/api/office365/connector", apiToken: NEXXT_TOKEN }) });
    const { code, out, err } = await validate(cwd, ["--json"]);
    expect(code).toBe(ExitCode.CheckFailed);
    expect(JSON.parse(out).problems).toEqual([
      expect.objectContaining({
        file: "stacks/Pulumi.acme.yaml",
        key: "nexxt:apiToken",
        message: expect.stringMatching(/clear text.*pulumi config set --secret nexxt:apiToken --stack acme/),
      }),
    ]);
    expect(out + err).not.toContain(NEXXT_TOKEN);
  });

  it("gives pipelines JSON: stacks, problems and ok", async () => {
    const cwd = tempProject({ example: EXAMPLE, acme: stackYaml({ tenantId: "11111111-2222-3333-4444-555555555555", companyId: "1" }) });
    const { code, out } = await validate(cwd, ["--json"]);
    expect(code).toBe(ExitCode.CheckFailed);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ dir: "stacks", ok: false });
    expect(report.stacks).toEqual([
      { stack: "acme", file: "stacks/Pulumi.acme.yaml", valid: true },
      { stack: "example", file: "stacks/Pulumi.example.yaml", valid: true },
    ]);
    expect(report.problems).toEqual([expect.objectContaining({ file: "stacks/Pulumi.acme.yaml", key: "nexxt:tenantId", message: expect.stringContaining("fake tenant ID") })]);
  });

  it("exits 2 when the directory does not exist, and reads another with --dir", async () => {
    const cwd = tempProject();
    const missing = await validate(cwd, ["--dir", "customers"]);
    expect(missing.code).toBe(ExitCode.InvalidInput);
    expect(missing.err).toMatch(/stack directory 'customers' does not exist/);
    fs.mkdirSync(path.join(cwd, "customers"));
    fs.writeFileSync(path.join(cwd, "customers", "Pulumi.acme.yaml"), stackYaml({ tenantId: T1, companyId: "1", rotationStart: "2026-12-01" }));
    expect((await validate(cwd, ["--dir", "customers"])).out).toBe("Checked 1 stack file in customers: all valid.");
  });

  it("issue 17, finding 4: refuses a stack without nexxt:rotationStart with the fix in one sentence, accepts one ahead (as plan and up do), and refuses a day that does not exist", async () => {
    const cwd = tempProject({
      unset: stackYaml({ tenantId: T1, companyId: "1", rotationStart: undefined }),
      ahead: stackYaml({ tenantId: T2, companyId: "2", rotationStart: "2099-01-01" }),
    });
    const { code, out } = await validate(cwd);
    expect(code).toBe(ExitCode.CheckFailed);
    expect(out).toMatch(
      /stacks\/Pulumi\.unset\.yaml.*nexxt:rotationStart is not set; add the day the stack's first secret is issued, quoted, such as nexxt:rotationStart: "\d{4}-\d{2}-\d{2}"/,
    );
    expect(out).not.toContain("Pulumi.ahead.yaml");
    const json = JSON.parse((await validate(cwd, ["--json"])).out);
    expect(json.notices).toEqual([]);
    expect(json.ok).toBe(false);

    const impossible = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "1", rotationStart: "2027-02-30" }) });
    const refused = await validate(impossible);
    expect(refused.code).toBe(ExitCode.CheckFailed);
    expect(refused.out).toContain(
      `nexxt:rotationStart '2027-02-30' is not a calendar date that exists; write the day the stack's first secret is issued as YYYY-MM-DD, in quotes, for example "2027-01-05".`,
    );
  });

  it("has help with examples", async () => {
    const { out } = await validate(tempProject(), ["--help"]);
    expect(out).toContain("Examples:");
  });
});
