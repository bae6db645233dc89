import { newCustomerConfig } from "../../src/stacks/newCustomerConfig";
import { userErrorOf } from "./userErrorOf";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const START = new Date("2027-01-05T10:00:00Z");

const refusal = (input: Parameters<typeof newCustomerConfig>[0]) => userErrorOf(() => newCustomerConfig(input));

describe("newCustomerConfig", () => {
  it("writes only the required keys when everything else is the default", () => {
    const { config } = newCustomerConfig({ rotationStart: START, tenantId: TENANT, companyId: "4711", permissions: "Contacts.Read,User.Read.All" });
    expect(config).toEqual({ "nexxt:tenantId": TENANT, "nexxt:companyId": "4711", "nexxt:rotationStart": "2027-01-05" });
  });

  it("normalises what the program would: tenant lower case, Company ID out of the licence page, catalogue spelling, https origin", () => {
    const { config } = newCustomerConfig({
      rotationStart: START,
      tenantId: TENANT.toUpperCase(),
      companyId: "https://pbx.acme.nl/accounts/edit/4711",
      nexxtUrl: "https://pbx.acme.nl/",
      permissions: "user.read.all, contacts.read, orgcontact.read.all",
      displayName: "Nexxt Acme",
    });
    expect(config).toEqual({
      "nexxt:tenantId": TENANT,
      "nexxt:companyId": "4711",
      "nexxt:url": "https://pbx.acme.nl",
      "nexxt:displayName": "Nexxt Acme",
      "nexxt:permissions": ["User.Read.All", "Contacts.Read", "OrgContact.Read.All"],
      "nexxt:rotationStart": "2027-01-05",
    });
  });

  it("sets azuread:environment with a national cloud, so the provider and the token endpoint agree", () => {
    const { config, settings } = newCustomerConfig({ rotationStart: START, tenantId: TENANT, companyId: "4711", cloud: "China" });
    expect(config).toMatchObject({ "nexxt:cloud": "china", "azuread:environment": "china" });
    expect(settings.cloud.loginHost).toBe("https://login.chinacloudapi.cn");
  });

  it("names the flag, not the config key, when the program refuses a value", () => {
    expect(refusal({ rotationStart: START, tenantId: "contoso.onmicrosoft.com", companyId: "4711" })).toMatch(/^--tenant-id: nexxt:tenantId 'contoso.onmicrosoft.com' is not a GUID/);
    expect(refusal({ rotationStart: START, tenantId: TENANT, companyId: "https://pbx.acme.nl/users/4711" })).toMatch(/^--company-id: .*not a licence page/);
    expect(refusal({ rotationStart: START, tenantId: TENANT, companyId: "4711", nexxtUrl: "http://pbx.acme.nl" })).toMatch(/^--nexxt-url: .*not an https base URL/);
    expect(refusal({ rotationStart: START, tenantId: TENANT, companyId: "4711", cloud: "mars" })).toMatch(/^--cloud: .*'mars' is not a Microsoft cloud/);
    expect(refusal({ rotationStart: START, tenantId: TENANT, companyId: "4711", permissions: "User.Read.Al" })).toMatch(/^--permissions: .*did you mean User.Read.All\?/);
  });

  it("reports every bad flag at once", () => {
    const message = refusal({ rotationStart: START, tenantId: "nope", companyId: "", cloud: "mars" });
    expect(message.split("\n").map((line) => line.split(":")[0])).toEqual(["--tenant-id", "--company-id", "--cloud"]);
  });

  it("refuses a high-privilege permission unless --allow-high-privilege, and then writes that choice down", () => {
    expect(refusal({ rotationStart: START, tenantId: TENANT, companyId: "4711", permissions: "User.Read.All,Mail.Read" })).toMatch(/'Mail.Read'.*pass --allow-high-privilege/);
    const { config } = newCustomerConfig({ rotationStart: START, tenantId: TENANT, companyId: "4711", permissions: "User.Read.All,Mail.Read", allowHighPrivilege: true });
    expect(config).toMatchObject({ "nexxt:permissions": ["User.Read.All", "Mail.Read"], "nexxt:allowHighPrivilege": true });
  });

  it("refuses the example stack's fake tenant ID", () => {
    expect(refusal({ rotationStart: START, tenantId: "11111111-2222-3333-4444-555555555555", companyId: "4711" })).toMatch(/fake tenant ID of stacks\/Pulumi.example.yaml/);
  });
});
