import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { readStackFile, settingsOfStackFile } from "../../src/stacks/stackFile";
import { hasSharedTenantMarker } from "../../src/stacks/sharedTenantMarker";
import { stackYaml, tempProject } from "../support/tempProject";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const OTHER_TENANT = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
const NOW = () => new Date("2026-11-27T10:00:00Z");
const EXAMPLE = fs.readFileSync(path.join(__dirname, "../../stacks/Pulumi.example.yaml"), "utf8");

async function newCustomer(args: string[], cwd: string, ask?: (question: string) => Promise<string>) {
  const io = memoryIo({ cwd, now: NOW, ask });
  const code = await run(["new-customer", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

const stackText = (cwd: string, stack: string) => fs.readFileSync(path.join(cwd, "stacks", `Pulumi.${stack}.yaml`), "utf8");

describe("nexxt-onboard new-customer", () => {
  it("writes a stack file the program accepts, and prints the next steps", async () => {
    const cwd = tempProject({ example: EXAMPLE });
    const { code, out, err } = await newCustomer(
      [
        "acme",
        "--tenant-id",
        TENANT,
        "--company-id",
        "https://pbx.acme.nl/accounts/edit/4711",
        "--nexxt-url",
        "https://pbx.acme.nl",
        "--permissions",
        "User.Read.All,Contacts.Read,OrgContact.Read.All",
      ],
      cwd,
    );
    expect(err).toBe("");
    expect(code).toBe(ExitCode.Ok);
    const settings = settingsOfStackFile(readStackFile(cwd, "acme"));
    // The Nexxt's host comes from the address given, when --nexxt-host is not.
    expect(settings).toMatchObject({ tenantId: TENANT, companyId: "4711", nexxtUrl: "https://pbx.acme.nl", nexxtHost: "pbx.acme.nl" });
    expect(settings.permissions.map((p) => p.name)).toEqual(["User.Read.All", "Contacts.Read", "OrgContact.Read.All"]);
    // Today's date, quoted so every YAML reader keeps it text: the stack's first issue day.
    expect(stackText(cwd, "acme")).toContain('nexxt:rotationStart: "2026-11-27"');
    expect(settings.rotation.rotationStart?.toISOString()).toBe("2026-11-27T00:00:00.000Z");
    expect(out).toContain("Wrote stacks/Pulumi.acme.yaml: tenant 3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c, Company ID 4711");
    expect(out).toContain("bin/nexxt-onboard plan --stack acme");
    expect(out).toContain("git add stacks/Pulumi.acme.yaml");
    expect(out).toMatch(/pull request/);
  });

  it("reports what it wrote as JSON with --json", async () => {
    const cwd = tempProject();
    const { code, out } = await newCustomer(["acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", "PBX.Acme.nl", "--cloud", "china", "--json"], cwd);
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(out)).toMatchObject({
      stack: "acme",
      file: "stacks/Pulumi.acme.yaml",
      tenantId: TENANT,
      companyId: "4711",
      nexxtHost: "pbx.acme.nl",
      cloud: "china",
      sharedTenant: false,
    });
    expect(stackText(cwd, "acme")).toContain("azuread:environment: china");
  });

  it("never overwrites an existing stack", async () => {
    const original = stackYaml({ tenantId: OTHER_TENANT, companyId: "1" });
    const cwd = tempProject({ acme: original });
    const { code, err } = await newCustomer(["acme", "--tenant-id", TENANT, "--company-id", "4711"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/Stack 'acme' already exists \(stacks\/Pulumi.acme.yaml\); new-customer never overwrites/);
    expect(stackText(cwd, "acme")).toBe(original);
  });

  it("refuses a tenant ID another stack uses, and writes nothing", async () => {
    const cwd = tempProject({ first: stackYaml({ tenantId: TENANT, companyId: "1" }) });
    const { code, err } = await newCustomer(["second", "--tenant-id", TENANT.toUpperCase(), "--company-id", "2", "--nexxt-host", "10.0.0.2"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/already the tenant of stacks\/Pulumi.first.yaml.*--allow-shared-tenant/);
    expect(fs.existsSync(path.join(cwd, "stacks", "Pulumi.second.yaml"))).toBe(false);
  });

  it("with --allow-shared-tenant writes the marker and says which file needs it too", async () => {
    const cwd = tempProject({ first: stackYaml({ tenantId: TENANT, companyId: "1" }) });
    const { code, out } = await newCustomer(
      ["second", "--tenant-id", TENANT, "--company-id", "2", "--nexxt-host", "10.0.0.2", "--display-name", "ClearVox Nexxt 2", "--allow-shared-tenant"],
      cwd,
    );
    expect(code).toBe(ExitCode.Ok);
    expect(hasSharedTenantMarker(stackText(cwd, "second"))).toBe(true);
    expect(out).toMatch(/Note: Add the line '# nexxt-onboard: shared-tenant' to stacks\/Pulumi.first.yaml/);
  });

  it("refuses a stack name Pulumi would not accept", async () => {
    const cwd = tempProject();
    const { code, err } = await newCustomer(["../acme", "--tenant-id", TENANT, "--company-id", "4711"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/Stack name '..\/acme' is not allowed/);
    expect(fs.readdirSync(path.join(cwd, "stacks"))).toEqual([]);
  });

  it("names the flag of a bad value, in one sentence per problem", async () => {
    const cwd = tempProject();
    const { code, err } = await newCustomer(["acme", "--tenant-id", "contoso.onmicrosoft.com", "--company-id", "4711"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/^error: --tenant-id: nexxt:tenantId 'contoso.onmicrosoft.com' is not a GUID/);
  });

  it("refuses to run outside a project (no stacks/ directory)", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "no-project-"));
    const { code, err } = await newCustomer(["acme", "--tenant-id", TENANT, "--company-id", "4711"], cwd);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toMatch(/No Pulumi.yaml in .* or any directory above it; run this inside the nexxt-office365 project, or pass --dir/);
  });

  it("has help with examples", async () => {
    const { code, out } = await newCustomer(["--help"], tempProject());
    expect(code).toBe(ExitCode.Ok);
    expect(out).toContain("Examples:");
    expect(out).toContain("--allow-shared-tenant");
  });

  describe("the Nexxt's hostname or IP address (goes to ClearVox sales with the Company ID)", () => {
    it("is read from the licence page pasted as --company-id when --nexxt-host is not given", async () => {
      const cwd = tempProject();
      const { code } = await newCustomer(["acme", "--tenant-id", TENANT, "--company-id", "http://192.0.2.10/accounts/edit/4711"], cwd);
      expect(code).toBe(ExitCode.Ok);
      expect(stackText(cwd, "acme")).toContain("nexxt:nexxtHost: 192.0.2.10");
    });

    it("is asked for on a terminal, and written", async () => {
      const cwd = tempProject();
      const questions: string[] = [];
      const { code, out } = await newCustomer(["acme", "--tenant-id", TENANT, "--company-id", "4711"], cwd, async (question) => {
        questions.push(question);
        return " pbx.acme.nl \n";
      });
      expect(code).toBe(ExitCode.Ok);
      expect(questions).toEqual(["Hostname or IP address of the customer's Nexxt (goes to ClearVox sales with the Company ID), e.g. pbx.acme.nl: "]);
      expect(settingsOfStackFile(readStackFile(cwd, "acme")).nexxtHost).toBe("pbx.acme.nl");
      expect(out).toContain("Company ID 4711, Nexxt pbx.acme.nl,");
    });

    it("is an error naming the flag in a pipeline (no terminal to ask on), and nothing is written", async () => {
      const cwd = tempProject();
      const { code, err } = await newCustomer(["acme", "--tenant-id", TENANT, "--company-id", "4711"], cwd);
      expect(code).toBe(ExitCode.InvalidInput);
      expect(err).toBe(
        "error: --nexxt-host is required here (no terminal to ask on): give the hostname or IP address of the customer's Nexxt, which goes to ClearVox sales with the Company ID, for example --nexxt-host pbx.acme.nl.",
      );
      expect(fs.existsSync(path.join(cwd, "stacks", "Pulumi.acme.yaml"))).toBe(false);
    });

    it("refuses an address with a scheme or a port, naming the flag", async () => {
      const cwd = tempProject();
      for (const host of ["https://pbx.acme.nl", "pbx.acme.nl:443", "pbx_acme", "999.1.1.1"]) {
        const { code, err } = await newCustomer(["acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", host], cwd);
        expect(code).toBe(ExitCode.InvalidInput);
        expect(err).toContain(`error: --nexxt-host: nexxt:nexxtHost '${host}' is not a hostname or IP address; give the hostname or IP address of the customer's Nexxt`);
      }
    });

    it("asks nothing when another flag is wrong: the error comes first", async () => {
      const cwd = tempProject();
      const ask = jest.fn(async () => "pbx.acme.nl");
      const { code, err } = await newCustomer(["acme", "--tenant-id", "not-a-guid", "--company-id", "4711"], cwd, ask);
      expect(code).toBe(ExitCode.InvalidInput);
      expect(err).toMatch(/--tenant-id: nexxt:tenantId 'not-a-guid' is not a GUID/);
      expect(ask).not.toHaveBeenCalled();
    });
  });
});
