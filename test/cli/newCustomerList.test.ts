import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { readStackFile, settingsOfStackFile } from "../../src/stacks/stackFile";
import { stackYaml, tempProject } from "../support/tempProject";

const NOW = () => new Date("2026-11-27T10:00:00Z");
const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const T2 = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
const T3 = "9e8d7c6b-5a49-4838-a727-161504f3e2d1";
const DEPLOY = "0d9c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const PREVIEW = "5b1e2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

async function newCustomer(args: string[], cwd: string) {
  const io = memoryIo({ cwd, now: NOW });
  const code = await run(["new-customer", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

function project(stacks: Record<string, string> = {}, list?: string): string {
  const cwd = tempProject(stacks);
  if (list !== undefined) fs.writeFileSync(path.join(cwd, "customers.csv"), list);
  return cwd;
}

const stackFiles = (cwd: string) => fs.readdirSync(path.join(cwd, "stacks")).sort();

const LIST = [
  "customer,tenantId,companyId,nexxtUrl,displayName",
  `acme,${T1},https://pbx.acme.nl/accounts/edit/4711,https://pbx.acme.nl,`,
  `globex,${T2.toUpperCase()},4712,,Nexxt (Globex)`,
  "",
].join("\n");

describe("nexxt-onboard new-customer --from customers.csv", () => {
  it("writes one stack file per row, each one the program accepts", async () => {
    const cwd = project({}, LIST);
    const { code, out, err } = await newCustomer(["--from", "customers.csv"], cwd);
    expect(err).toBe("");
    expect(code).toBe(ExitCode.Ok);
    expect(stackFiles(cwd)).toEqual(["Pulumi.acme.yaml", "Pulumi.globex.yaml"]);
    expect(settingsOfStackFile(readStackFile(cwd, "acme"))).toMatchObject({ tenantId: T1, companyId: "4711", nexxtUrl: "https://pbx.acme.nl" });
    expect(settingsOfStackFile(readStackFile(cwd, "globex"))).toMatchObject({ tenantId: T2, companyId: "4712", displayName: "Nexxt (Globex)" });
    expect(out).toContain("Wrote 2 stack files in stacks:");
    expect(out).toContain(`acme: tenant ${T1}, Company ID 4711 (stacks/Pulumi.acme.yaml)`);
    expect(out).toContain("git add stacks/Pulumi.acme.yaml stacks/Pulumi.globex.yaml");
  });

  it("reads a Dutch spreadsheet's list too: ';' separated, a BOM, spelled-out headers in any order", async () => {
    const cwd = project({}, `\uFEFFCompany ID;Tenant ID;Customer name\r\n4711;${T1};acme\r\n`);
    const { code } = await newCustomer(["--from", "customers.csv"], cwd);
    expect(code).toBe(ExitCode.Ok);
    expect(settingsOfStackFile(readStackFile(cwd, "acme"))).toMatchObject({ tenantId: T1, companyId: "4711" });
  });

  it("writes nothing when any row is wrong, and names every bad row by line and customer", async () => {
    const existing = stackYaml({ tenantId: T3, companyId: "9000" });
    const list = [
      "customer,tenantId,companyId",
      `acme,${T1},4711`,
      `initech,not-a-guid,4713`, // line 3: the program's tenant rule
      `hooli,${T2},9000`, // line 4: Company ID of an existing stack
      `ACME,${T2},4714`, // line 5: the same customer as line 2, but for case
      `umbrella,${T1},4715`, // line 6: tenant of line 2
      `Pulumi.x.yaml,${T2},4716`, // line 7: a file name
      "",
    ].join("\n");
    const cwd = project({ old: existing }, list);
    const { code, err } = await newCustomer(["--from", "customers.csv"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(stackFiles(cwd)).toEqual(["Pulumi.old.yaml"]);
    expect(fs.readFileSync(path.join(cwd, "stacks", "Pulumi.old.yaml"), "utf8")).toBe(existing);
    expect(err).toContain("customers.csv: 5 of 6 rows cannot be onboarded, so no stack file was written");
    expect(err).toMatch(/line 3 \(customer 'initech'\): tenantId: .*not-a-guid/);
    expect(err).toMatch(/line 4 \(customer 'hooli'\): companyId 9000 is already the Company ID of stacks\/Pulumi.old.yaml/);
    expect(err).toMatch(/line 5 \(customer 'ACME'\): the customer 'ACME' is also on line 2/);
    expect(err).toMatch(
      /line 6 \(customer 'umbrella'\): tenantId 3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c is already the tenant of line 2 \(acme\).*new-customer --allow-shared-tenant/,
    );
    expect(err).toMatch(/line 7 \(customer 'Pulumi.x.yaml'\): 'Pulumi.x.yaml' is a file name.*write x in the customer column/);
    expect(err).not.toMatch(/^\s*line 2 \(/m);
  });

  it("changes nothing when run again with the same list, and says which customers exist", async () => {
    const cwd = project({}, LIST);
    expect((await newCustomer(["--from", "customers.csv"], cwd)).code).toBe(ExitCode.Ok);
    const before = stackFiles(cwd).map((file) => fs.readFileSync(path.join(cwd, "stacks", file), "utf8"));
    const again = await newCustomer(["--from", "customers.csv"], cwd);
    expect(again.code).toBe(ExitCode.Ok);
    expect(again.out).toContain("No stack file written: every customer of customers.csv already has one.");
    expect(again.out).toContain("Already onboarded, unchanged (2): acme, globex.");
    expect(stackFiles(cwd).map((file) => fs.readFileSync(path.join(cwd, "stacks", file), "utf8"))).toEqual(before);

    // One more row: only that one is written.
    fs.appendFileSync(path.join(cwd, "customers.csv"), `initech,${T3},4713,,\n`);
    const more = await newCustomer(["--from", "customers.csv", "--json"], cwd);
    expect(more.code).toBe(ExitCode.Ok);
    const report = JSON.parse(more.out);
    expect(report.written.map((entry: { stack: string }) => entry.stack)).toEqual(["initech"]);
    expect(report.existing).toEqual([
      { line: 2, stack: "acme", file: "stacks/Pulumi.acme.yaml" },
      { line: 3, stack: "globex", file: "stacks/Pulumi.globex.yaml" },
    ]);
  });

  it("refuses a row whose stack exists with another tenant or Company ID", async () => {
    const cwd = project({ acme: stackYaml({ tenantId: T1, companyId: "1" }) }, LIST);
    const { code, err } = await newCustomer(["--from", "customers.csv"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/line 2 \(customer 'acme'\): the stack 'acme' already exists \(stacks\/Pulumi.acme.yaml\) with tenant .* and Company ID 1, not this row's .* and 4711/);
    expect(stackFiles(cwd)).toEqual(["Pulumi.acme.yaml"]);
  });

  it("reports the rows as JSON with --json, the bad ones too", async () => {
    const cwd = project({}, `customer,tenantId,companyId\nacme,${T1},0\n`);
    const { code, out } = await newCustomer(["--from", "customers.csv", "--json"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    const report = JSON.parse(out);
    expect(report.written).toEqual([]);
    expect(report.problems).toEqual([{ line: 2, customer: "acme", message: expect.stringMatching(/^companyId: /) }]);
  });

  it.each([
    [`customer,tenantId,Tenant ID,companyId\nacme,${T1},${T1},4711\n`, /names the column tenantId twice \('tenantId' and 'Tenant ID'\); keep one of them/],
    [`customer,tenantId,companyId,cloud\nacme,${T1},4711,china\n`, /has a column 'cloud' new-customer does not know/],
    [`customer,tenantId\nacme,${T1}\n`, /has no column companyId/],
    [`customer,tenantId,companyId\n`, /holds no customer/],
    [`customer,tenantId,companyId\nacme,${T1}\n`, /line 2 has 2 cells where the header has 3/],
    ["", /is empty/],
  ])("refuses a list whose shape is wrong before checking any row (%#)", async (list, message) => {
    const cwd = project({}, list);
    const { code, err } = await newCustomer(["--from", "customers.csv"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(message);
    expect(stackFiles(cwd)).toEqual([]);
  });

  it("refuses a FIFO, a symlink and a huge file as the list, without reading them", async () => {
    const cwd = project();
    execFileSync("mkfifo", [path.join(cwd, "fifo.csv")]);
    fs.writeFileSync(path.join(cwd, "real.csv"), LIST);
    fs.symlinkSync(path.join(cwd, "real.csv"), path.join(cwd, "link.csv"));
    const huge = fs.openSync(path.join(cwd, "huge.csv"), "w");
    fs.ftruncateSync(huge, 64 * 1024 * 1024);
    fs.closeSync(huge);
    expect((await newCustomer(["--from", "fifo.csv"], cwd)).err).toMatch(/The customer list fifo.csv is a FIFO \(named pipe\), not a regular file/);
    expect((await newCustomer(["--from", "link.csv"], cwd)).err).toMatch(/The customer list link.csv is a symbolic link/);
    expect((await newCustomer(["--from", "huge.csv"], cwd)).err).toMatch(/The customer list huge.csv is 67108864 bytes, more than/);
    expect(stackFiles(cwd)).toEqual([]);
  });

  it("takes no per-customer flag beside --from", async () => {
    const cwd = project({}, LIST);
    const { code, err } = await newCustomer(["--from", "customers.csv", "--tenant-id", T1], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/--from reads each customer's values from the list; leave out --tenant-id/);
    expect((await newCustomer(["acme"], cwd)).err).toMatch(/new-customer needs --tenant-id, --company-id \(or --from/);
  });
});

describe("new-customer and the partner's pipeline identity (partner.yaml)", () => {
  const PARTNER = `consentRedirectUri: https://www.partner.example/nexxt/consented\napps:\n  public:\n    deploy: ${DEPLOY}\n    preview: ${PREVIEW}\n`;

  it("prints the customer's admin-consent links when partner.yaml names the apps", async () => {
    const cwd = project();
    fs.writeFileSync(path.join(cwd, "partner.yaml"), PARTNER);
    const { code, out } = await newCustomer(["acme", "--tenant-id", T1, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], cwd);
    expect(code).toBe(ExitCode.Ok);
    const redirect = encodeURIComponent("https://www.partner.example/nexxt/consented");
    const scope = encodeURIComponent("https://graph.microsoft.com/.default");
    expect(out).toContain(`https://login.microsoftonline.com/${T1}/v2.0/adminconsent?client_id=${DEPLOY}&scope=${scope}&redirect_uri=${redirect}&state=acme`);
    expect(out).toContain(`https://login.microsoftonline.com/${T1}/v2.0/adminconsent?client_id=${PREVIEW}&scope=${scope}&redirect_uri=${redirect}&state=acme`);
  });

  it("says so when the customer's cloud has no partner app, and still writes the stack", async () => {
    const cwd = project();
    fs.writeFileSync(path.join(cwd, "partner.yaml"), PARTNER);
    const { code, out } = await newCustomer(["acme", "--tenant-id", T1, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl", "--cloud", "china", "--json"], cwd);
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(out)).toMatchObject({ consentLinks: null, consentProblem: expect.stringMatching(/partner.yaml has no pipeline app for the cloud china/) });
  });

  it("gives each customer of a list its own links, in its own cloud", async () => {
    const cwd = project({}, LIST);
    fs.writeFileSync(path.join(cwd, "partner.yaml"), PARTNER.replace("public:", "usgovernmentl4:"));
    const { code, out } = await newCustomer(["--from", "customers.csv", "--cloud", "usgovernmentl4", "--json"], cwd);
    expect(code).toBe(ExitCode.Ok);
    const links = JSON.parse(out).written.map((entry: { consentLinks: { deploy: string } }) => new URL(entry.consentLinks.deploy));
    expect(links.map((link: URL) => [link.origin, link.pathname, link.searchParams.get("scope"), link.searchParams.get("state")])).toEqual([
      ["https://login.microsoftonline.us", `/${T1}/v2.0/adminconsent`, "https://graph.microsoft.us/.default", "acme"],
      ["https://login.microsoftonline.us", `/${T2}/v2.0/adminconsent`, "https://graph.microsoft.us/.default", "globex"],
    ]);
  });

  it("refuses a broken partner.yaml before writing the stack", async () => {
    const cwd = project();
    fs.writeFileSync(path.join(cwd, "partner.yaml"), PARTNER.replace("deploy:", "deply:"));
    const { code, err } = await newCustomer(["acme", "--tenant-id", T1, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/partner.yaml: apps.public has unknown key 'deply'/);
    expect(stackFiles(cwd)).toEqual([]);
  });
});
