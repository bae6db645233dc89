import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { serializeConnectorDocument } from "../../src/nexxt/connectorDocument";
import { expiryReport } from "../../src/report/expiryReport";

const NOW = new Date("2026-11-27T12:00:00Z");
const SECRET = "fake~report-secret-value-0123456789abcdef";

function document(tenantSuffix: string, expiresAt: string) {
  return {
    applicationId: "c1c1c1c1-0000-4000-8000-000000000002",
    apiKey: SECRET,
    oauth2TokenEndpoint: `https://login.microsoftonline.com/3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a${tenantSuffix}/oauth2/token`,
    tenantId: `3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a${tenantSuffix}`,
    companyId: String(4000 + parseInt(tenantSuffix, 16)),
    secretExpiresAt: expiresAt,
    permissions: ["User.Read.All", "Contacts.Read"],
  };
}

function outDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-out-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 });
  return dir;
}

async function report(args: string[], dir: string) {
  const io = memoryIo({ cwd: dir, now: () => NOW });
  const code = await run(["secrets-report", "--dir", ".", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

describe("nexxt-onboard secrets-report", () => {
  const healthy = {
    "acme.nexxt.json": serializeConnectorDocument(document("8b9c", "2027-09-04T00:00:00.000Z")),
    "globex.nexxt.json": serializeConnectorDocument(document("0001", "2027-03-08T00:00:00.000Z")),
  };

  it("without --dir reads out/ of the project around the current directory, from a subfolder too, as the stack commands find stacks/", async () => {
    const root = outDir({ "Pulumi.yaml": "name: nexxt\nruntime: nodejs\n" });
    fs.mkdirSync(path.join(root, "out"));
    fs.writeFileSync(path.join(root, "out", "acme.nexxt.json"), healthy["acme.nexxt.json"], { mode: 0o600 });
    fs.mkdirSync(path.join(root, "docs", "deeper"), { recursive: true });
    const io = memoryIo({ cwd: path.join(root, "docs", "deeper"), now: () => NOW });
    expect(await run(["secrets-report"], io)).toBe(ExitCode.Ok);
    expect(io.out.join("\n")).toMatch(/^acme\s+.*2027-09-04\s+280\s+ok$/m);
    const empty = memoryIo({ cwd: path.join(root, "docs"), now: () => NOW });
    fs.rmSync(path.join(root, "out", "acme.nexxt.json"));
    expect(await run(["secrets-report"], empty)).toBe(ExitCode.InvalidInput);
    expect(empty.err.join("\n")).toContain("error: --dir '../out' holds no <stack>.nexxt.json connector configurations");
  });

  it("lists every customer by urgency and exits 0 when none expires within --within days", async () => {
    const { code, out } = await report([], outDir(healthy));
    expect(code).toBe(ExitCode.Ok);
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^STACK\s+TENANT\s+COMPANY\s+EXPIRES\s+DAYS LEFT\s+STATUS$/);
    expect(lines[1]).toMatch(/^globex\s+3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a0001\s+4001\s+2027-03-08\s+100\s+ok$/);
    expect(lines[2]).toMatch(/^acme\s+.*2027-09-04\s+280\s+ok$/);
    expect(out).toContain("All 2 secrets are valid for more than 30 days.");
  });

  it("exits 1 when a secret expires within the threshold, and puts it first", async () => {
    const dir = outDir({ ...healthy, "initech.nexxt.json": serializeConnectorDocument(document("0002", "2026-12-20T00:00:00.000Z")) });
    const { code, out } = await report([], dir);
    expect(code).toBe(ExitCode.CheckFailed);
    expect(out.split("\n")[1]).toMatch(/^initech\s+.*2026-12-20\s+22\s+expiring$/);
    // With a smaller threshold the same secret is no alarm.
    expect((await report(["--within", "14"], dir)).code).toBe(ExitCode.Ok);
  });

  it("reports corrupt and unreadable files by name without stopping, and never prints a secret", async () => {
    const dir = outDir({
      ...healthy,
      "broken.nexxt.json": `{"apiKey": "${SECRET}", "applicationId": `,
      "partial.nexxt.json": JSON.stringify({ ...document("0003", "2027-01-01T00:00:00Z"), tenantId: "nope" }),
    });
    fs.mkdirSync(path.join(dir, "dir.nexxt.json"));
    const { code, out, err } = await report(["--json"], dir);
    expect(code).toBe(ExitCode.CheckFailed);
    const parsed = JSON.parse(out) as { rows: { stack: string; status: string; problem?: string }[] };
    expect(parsed.rows.map((r) => [r.stack, r.status])).toEqual([
      ["broken", "unreadable"],
      ["dir", "unreadable"],
      ["partial", "unreadable"],
      ["globex", "ok"],
      ["acme", "ok"],
    ]);
    expect(parsed.rows[0].problem).toBe("not valid JSON");
    expect(parsed.rows[1].problem).toContain("is a directory, not a regular file");
    expect(parsed.rows[2].problem).toContain("field 'tenantId' is not a GUID");
    expect(out + err).not.toContain(SECRET);
  });

  it("flags an expired secret with negative days left", () => {
    const rows = expiryReport([{ stack: "old", file: "old.nexxt.json", document: document("0004", "2026-11-20T00:00:00Z") }], NOW, 30);
    expect(rows[0]).toMatchObject({ status: "expired", daysLeft: -8 });
  });

  it("exits 2 for a directory that does not exist or a bad threshold", async () => {
    const missing = await report(["--dir", "nowhere"], outDir({}));
    expect(missing.code).toBe(ExitCode.InvalidInput);
    expect(missing.err).toContain("is not a readable directory");
    expect((await report(["--within", "-3"], outDir({}))).err).toContain("--within '-3' must be a whole number of days");
  });

  it("exits 2 with a sentence when the directory holds no connector configuration: an alert that checks nothing must not pass", async () => {
    for (const files of [{}, { "notes.txt": "x", "acme.json": "{}" }] as Record<string, string>[]) {
      const { code, out, err } = await report([], outDir(files));
      expect(code).toBe(ExitCode.InvalidInput);
      expect(out).toBe("");
      expect(err).toBe(
        "error: --dir '.' holds no <stack>.nexxt.json connector configurations, so there is nothing to check; point --dir at the directory pulumi up writes them to (nexxt:connectorConfigDir, default out).",
      );
    }
  });
});
