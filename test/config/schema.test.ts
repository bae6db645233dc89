import { ConfigError } from "../../src/config/configProblem";
import { parseSettings } from "../../src/config/schema";
import { COMPANY_ID_RULE } from "../../src/identifiers";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const START = { "nexxt:rotationStart": "2027-01-05" };
const base = { "nexxt:tenantId": TENANT, "nexxt:companyId": "4711", ...START };

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parseSettings(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  throw new Error("expected a ConfigError");
}

function onlyProblem(raw: Record<string, unknown>): string {
  const problems = problemsOf(raw);
  expect(problems).toHaveLength(1);
  return problems[0];
}

describe("stack configuration", () => {
  it("applies every default to a minimal stack", () => {
    const settings = parseSettings(base);
    expect(settings).toMatchObject({
      tenantId: TENANT,
      companyId: "4711",
      nexxtUrl: undefined,
      displayName: "ClearVox Nexxt",
      allowHighPrivilege: false,
      secretLifetimeDays: 365,
      rotation: { lifetimeDays: 365, rotationDays: 180, overlapDays: 30, rotationStart: new Date("2027-01-05T00:00:00Z") },
      existingApplicationId: undefined,
      sink: { connectorConfigDir: "out", apiUrl: undefined, retainOnDelete: false },
    });
    expect(settings.permissions.map((p) => p.name)).toEqual(["User.Read.All", "Contacts.Read"]);
    expect(settings.cloud.name).toBe("public");
  });

  describe("nexxt:tenantId", () => {
    it("is required", () => {
      expect(onlyProblem({ "nexxt:companyId": "4711", ...START })).toMatch(/nexxt:tenantId is required.*pulumi config set nexxt:tenantId/);
    });
    it("accepts a GUID in any case and stores it lower case", () => {
      expect(parseSettings({ ...base, "nexxt:tenantId": TENANT.toUpperCase() }).tenantId).toBe(TENANT);
    });
    it.each(["contoso.onmicrosoft.com", "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9"])("refuses %s, naming the value and an example", (value) => {
      const message = onlyProblem({ ...base, "nexxt:tenantId": value });
      expect(message).toContain(`'${value}' is not a GUID`);
      expect(message).toContain("for example 3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c");
    });
    it("refuses a value that may be a token without quoting it (issue 18)", () => {
      const message = onlyProblem({ ...base, "nexxt:tenantId": "3f6a2c1e8b4d4e7a9c2b1d5e6f7a8b9c" });
      expect(message).toContain("nexxt:tenantId (32 characters, not shown: a value in the wrong place may be a secret) is not a GUID");
      expect(message).toContain("for example 3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c");
    });
    it("refuses the empty GUID", () => {
      expect(onlyProblem({ ...base, "nexxt:tenantId": "00000000-0000-0000-0000-000000000000" })).toMatch(/empty GUID/);
    });
  });

  describe("nexxt:companyId", () => {
    it("is required", () => {
      expect(onlyProblem({ "nexxt:tenantId": TENANT, ...START })).toMatch(/nexxt:companyId is required/);
    });
    it.each([
      ["4711", "4711"],
      ["https://pbx.example.nl/accounts/edit/4711", "4711"],
      // The guide writes http(s): the address is only read for its ID, never requested.
      ["http://192.168.1.20/accounts/edit/12/", "12"],
      [" 4711 ", "4711"],
      [4711, "4711"],
    ])("takes %s as %s", (value, expected) => {
      expect(parseSettings({ ...base, "nexxt:companyId": value }).companyId).toBe(expected);
    });
    it.each([["abc"], ["0"], ["-5"], ["0042"], ["4.5"], ["ab-12"], ["http://pbx.example.nl/accounts/edit/ab-12"], ["ftp://pbx.example.nl/accounts/edit/12"], [-5], [0]])(
      "refuses %p in one sentence that states the rule",
      (value) => {
        const message = onlyProblem({ ...base, "nexxt:companyId": value });
        expect(message).toContain(`'${String(value)}'`);
        expect(message).toContain(COMPANY_ID_RULE);
        expect(message).not.toContain("letters");
      },
    );
    it("refuses an address that is not a licence page", () => {
      expect(onlyProblem({ ...base, "nexxt:companyId": "https://pbx.example.nl/users/edit/4711" })).toMatch(/not a licence page.*accounts\/edit/);
    });
    it("refuses an ID with spaces", () => {
      expect(onlyProblem({ ...base, "nexxt:companyId": "47 11" })).toMatch(/'47 11' is not a Company ID; a Nexxt Company ID is the positive whole number/);
    });
  });

  describe("nexxt:url", () => {
    it("accepts https and drops a trailing slash", () => {
      expect(parseSettings({ ...base, "nexxt:url": "https://pbx.example.nl/" }).nexxtUrl).toBe("https://pbx.example.nl");
    });
    it.each(["http://pbx.example.nl", "pbx.example.nl", "https://pbx.example.nl/?a=1"])("refuses %s", (value) => {
      expect(onlyProblem({ ...base, "nexxt:url": value })).toMatch(/nexxt:url .* is not an https base URL/);
    });
  });

  describe("nexxt:displayName", () => {
    it("takes the given name", () => {
      expect(parseSettings({ ...base, "nexxt:displayName": "Nexxt sync" }).displayName).toBe("Nexxt sync");
    });
    it("refuses an empty or overlong name", () => {
      expect(onlyProblem({ ...base, "nexxt:displayName": "" })).toMatch(/nexxt:displayName '' must be text of 1 to 256/);
      expect(onlyProblem({ ...base, "nexxt:displayName": "x".repeat(257) })).toMatch(/nexxt:displayName/);
    });
    it("refuses an apostrophe, which the azuread provider puts into an OData filter unescaped", () => {
      expect(onlyProblem({ ...base, "nexxt:displayName": "O'Brien Nexxt" })).toContain(
        `nexxt:displayName 'O'Brien Nexxt' contains an apostrophe, which the azuread provider cannot look up (Graph rejects its filter); write it without "'", for example "OBrien Nexxt".`,
      );
    });
  });

  describe("nexxt:permissions and nexxt:allowHighPrivilege", () => {
    it("takes a YAML list, a JSON text or comma-separated names", () => {
      for (const value of [["User.ReadBasic.All"], '["User.ReadBasic.All"]', "User.ReadBasic.All"]) {
        expect(parseSettings({ ...base, "nexxt:permissions": value }).permissions.map((p) => p.id)).toEqual(["97235f07-e226-4f63-ace3-39588e11d3a1"]);
      }
    });
    it("corrects the case of a known name", () => {
      expect(parseSettings({ ...base, "nexxt:permissions": ["user.read.all"] }).permissions[0].name).toBe("User.Read.All");
    });
    it("refuses an unknown permission and suggests the closest", () => {
      expect(onlyProblem({ ...base, "nexxt:permissions": ["User.Reed.All"] })).toMatch(/'User.Reed.All'.*did you mean User.Read.All\?/);
    });
    it("refuses an empty list and duplicates", () => {
      expect(onlyProblem({ ...base, "nexxt:permissions": [] })).toMatch(/empty list/);
      expect(onlyProblem({ ...base, "nexxt:permissions": ["Contacts.Read", "Contacts.Read"] })).toMatch(/twice/);
    });
    it.each([
      "User.ReadWrite.All",
      "Directory.Read.All",
      "Mail.Read",
      "Application.ReadWrite.All",
      "AppRoleAssignment.ReadWrite.All",
      "RoleManagement.ReadWrite.Directory",
      "Files.Read.All",
      "Sites.Read.All",
      "Contacts.ReadWrite",
    ])("refuses high-privilege %s unless allowed", (name) => {
      expect(onlyProblem({ ...base, "nexxt:permissions": ["User.Read.All", name] })).toMatch(
        new RegExp(`'${name.replace(/\./g, "\\.")}'.*high-privilege.*nexxt:allowHighPrivilege`),
      );
      const settings = parseSettings({ ...base, "nexxt:permissions": ["User.Read.All", name], "nexxt:allowHighPrivilege": true });
      expect(settings.permissions.map((p) => p.name)).toEqual(["User.Read.All", name]);
    });
    it("reads allowHighPrivilege from text as the engine passes it", () => {
      expect(parseSettings({ ...base, "nexxt:allowHighPrivilege": "true", "nexxt:permissions": '["Mail.Read"]' }).allowHighPrivilege).toBe(true);
      expect(onlyProblem({ ...base, "nexxt:allowHighPrivilege": "yes" })).toMatch(/nexxt:allowHighPrivilege 'yes' must be true or false/);
    });
  });

  describe("nexxt:secretLifetimeDays", () => {
    it.each([
      [730, 730],
      ["400", 400],
    ])("takes %s", (value, expected) => {
      expect(parseSettings({ ...base, "nexxt:secretLifetimeDays": value }).secretLifetimeDays).toBe(expected);
    });
    it.each([0, 731, 36.5, "a year"])("refuses %s", (value) => {
      expect(onlyProblem({ ...base, "nexxt:secretLifetimeDays": value })).toMatch(/nexxt:secretLifetimeDays .* must be a whole number of days from 1 to 730/);
    });
    it("explains the rotation relation when the lifetime is shorter than rotation plus overlap", () => {
      expect(onlyProblem({ ...base, "nexxt:secretLifetimeDays": 200 })).toMatch(/shorter than nexxt:rotationDays 180 plus nexxt:rotationOverlapDays 30.*at least 210/);
      expect(parseSettings({ ...base, "nexxt:secretLifetimeDays": 60, "nexxt:rotationDays": 30, "nexxt:rotationOverlapDays": 30 }).rotation).toEqual({
        lifetimeDays: 60,
        rotationDays: 30,
        overlapDays: 30,
        rotationStart: new Date("2027-01-05T00:00:00Z"),
      });
    });
  });

  describe("nexxt:cloud", () => {
    it.each([
      ["usgovernmentl4", "https://login.microsoftonline.us", "https://graph.microsoft.us"],
      ["usgovernmentl5", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us"],
      ["china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"],
    ])("%s picks its login host and Graph root", (cloud, loginHost, graphRoot) => {
      expect(parseSettings({ ...base, "nexxt:cloud": cloud }).cloud).toMatchObject({ loginHost, graphRoot });
    });
    it("refuses an unknown cloud", () => {
      expect(onlyProblem({ ...base, "nexxt:cloud": "germany" })).toMatch(/nexxt:cloud 'germany'.*public, usgovernmentl4, usgovernmentl5, china/);
    });
    it("must agree with the azuread provider's environment", () => {
      expect(parseSettings({ ...base, "nexxt:cloud": "china", "azuread:environment": "china" }).cloud.name).toBe("china");
      expect(parseSettings({ ...base, "azuread:environment": "global" }).cloud.name).toBe("public");
      expect(onlyProblem({ ...base, "nexxt:cloud": "usgovernmentl5", "azuread:environment": "usgovernmentl4" })).toMatch(
        /azuread:environment 'usgovernmentl4' does not match nexxt:cloud 'usgovernmentl5'; set azuread:environment to usgovernmentl5/,
      );
    });
  });

  describe("nexxt:rotationStart", () => {
    it("issue 17, finding 4: is required, refused with the fix in one sentence (no 1970 grid), and reads a calendar date as UTC midnight", () => {
      const { "nexxt:rotationStart": _start, ...without } = base;
      expect(onlyProblem(without)).toMatch(
        /^nexxt:rotationStart: nexxt:rotationStart is not set; add the day the stack's first secret is issued, quoted, such as nexxt:rotationStart: "\d{4}-\d{2}-\d{2}" \(today, for a stack about to be deployed; bin\/nexxt-onboard new-customer writes it\)\.$/,
      );
      expect(onlyProblem({ ...without, "nexxt:rotationStart": "" })).toMatch(/nexxt:rotationStart is not set/);
      expect(parseSettings({ ...base, "nexxt:rotationStart": "2027-01-05" }).rotation.rotationStart.toISOString()).toBe("2027-01-05T00:00:00.000Z");
    });
    it("may lie ahead: the schedule has an answer for every day, so validate, plan and up agree", () => {
      expect(parseSettings({ ...base, "nexxt:rotationStart": "2099-01-01" }).rotation.rotationStart.toISOString()).toBe("2099-01-01T00:00:00.000Z");
    });
    it.each(["2027-02-30", "2027-1-5", "5 January 2027", "2027-01-05T00:00:00Z", "20270105"])("refuses %s in one sentence with the expected form and an example", (value) => {
      expect(onlyProblem({ ...base, "nexxt:rotationStart": value })).toBe(
        `nexxt:rotationStart: nexxt:rotationStart '${value}' is not a calendar date that exists; write the day the stack's first secret is issued as YYYY-MM-DD, in quotes, for example "2027-01-05".`,
      );
    });
  });

  describe("sink, rotation and adoption keys", () => {
    it("reads them", () => {
      const settings = parseSettings({
        ...base,
        "nexxt:connectorConfigDir": "",
        "nexxt:apiUrl": "https://pbx.example.nl/api/office365",
        "nexxt:apiToken": "token-value",
        "nexxt:retainOnDelete": true,
        "nexxt:existingApplicationId": "66666666-7777-8888-9999-000000000000",
      });
      expect(settings.sink).toEqual({ connectorConfigDir: undefined, apiUrl: "https://pbx.example.nl/api/office365", retainOnDelete: true });
      expect(settings.existingApplicationId).toBe("66666666-7777-8888-9999-000000000000");
    });
    it("requires a token with an API URL, and never quotes the token", () => {
      expect(onlyProblem({ ...base, "nexxt:apiUrl": "https://pbx.example.nl/api" })).toMatch(/nexxt:apiToken is required with nexxt:apiUrl.*--secret/);
    });
    it("accepts plain http only to loopback", () => {
      expect(parseSettings({ ...base, "nexxt:apiUrl": "http://127.0.0.1:8080/x", "nexxt:apiToken": "t" }).sink.apiUrl).toBe("http://127.0.0.1:8080/x");
      expect(onlyProblem({ ...base, "nexxt:apiUrl": "http://pbx.example.nl/x", "nexxt:apiToken": "t" })).toMatch(/must be an https URL/);
    });
    it("refuses a malformed existing application ID", () => {
      expect(onlyProblem({ ...base, "nexxt:existingApplicationId": "ClearVox Nexxt" })).toMatch(/Application \(client\) ID/);
    });
  });

  describe("unknown keys", () => {
    it("are errors with a suggestion for a typo", () => {
      const typo = problemsOf({ "nexxt:companyId": "4711", "nexxt:tenantID": TENANT, ...START });
      expect(typo[0]).toMatch(/nexxt:tenantID is not a setting.*did you mean nexxt:tenantId\?/);
      expect(typo[1]).toMatch(/nexxt:tenantId is required/);
      expect(onlyProblem({ ...base, "nexxt:favouriteColour": "blue" })).toMatch(/nexxt:favouriteColour is not a setting.*known keys are nexxt:tenantId/);
    });
    it("of other namespaces are left to their owners", () => {
      expect(() => parseSettings({ ...base, "azuread:clientId": "x", "pulumi:template": "y" })).not.toThrow();
    });
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ "nexxt:tenantId": "x", "nexxt:cloud": "mars", "nexxt:secretLifetimeDays": 0 });
    expect(problems.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual([
      "nexxt:tenantId",
      "nexxt:companyId",
      "nexxt:secretLifetimeDays",
      "nexxt:cloud",
      "nexxt:rotationStart",
    ]);
  });
});
