import * as pulumi from "@pulumi/pulumi";
import { managedNote } from "../../src/connector/connector";
import { OfflineTenant, defaultTenantFixture } from "../../src/plan/offlineTenant";
import { nexxtProgram } from "../../src/program/program";
import { BASE_CONFIG, OTHER_TENANT, TENANT, engineConfig, runProgram } from "../support/programHarness";

async function refusal(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the program to refuse");
}

const OWN_NOTES = managedNote("nexxt/acme");

describe("what the program refuses before registering anything", () => {
  it("refuses credentials from another tenant, naming both tenant IDs", async () => {
    const err = await refusal(runProgram(BASE_CONFIG, { fixture: { tenantId: OTHER_TENANT } }));
    expect(err).toBeInstanceOf(pulumi.RunError);
    expect(err.message).toContain(`belong to tenant ${OTHER_TENANT}`);
    expect(err.message).toContain(`nexxt:tenantId is ${TENANT}`);
    expect(err.message).toContain(`az login --tenant ${TENANT}`);
  });

  it("registers no resource at all when the tenant is wrong", async () => {
    const tenant = new OfflineTenant({ ...defaultTenantFixture(OTHER_TENANT) });
    await pulumi.runtime.setMocks(tenant, "nexxt", "acme", false, "organization");
    pulumi.runtime.setAllConfig(engineConfig(BASE_CONFIG));
    await expect(nexxtProgram({ now: new Date() })).rejects.toThrow(/belong to tenant/);
    expect(tenant.resources).toEqual([]);
    expect(tenant.calls.map((c) => c.token)).toEqual(["azuread:index/getClientConfig:getClientConfig"]);
  });

  it("issue 17, finding 4: refuses a stack without nexxt:rotationStart in one sentence with the fix, before asking the tenant anything", async () => {
    const tenant = new OfflineTenant(defaultTenantFixture(TENANT));
    await pulumi.runtime.setMocks(tenant, "nexxt", "acme", false, "organization");
    const { rotationStart: _start, ...without } = BASE_CONFIG;
    pulumi.runtime.setAllConfig(engineConfig(without));
    const err = await refusal(nexxtProgram({ now: new Date("2027-01-04T22:00:00Z") }));
    expect(err).toBeInstanceOf(pulumi.RunError);
    expect(err.message).toMatch(/^nexxt:rotationStart is not set; add the day the stack's first secret is issued, quoted, such as nexxt:rotationStart: "\d{4}-\d{2}-\d{2}"/);
    expect(tenant.resources).toEqual([]);
    expect(tenant.calls).toEqual([]);
  });

  it("issue 17, finding 4: runs on a day before a nexxt:rotationStart that lies ahead (the grid runs backwards), as validate and plan accept it", async () => {
    const { outputs } = await runProgram({ ...BASE_CONFIG, rotationStart: "2027-01-05" }, { now: new Date("2027-01-04T22:00:00Z") });
    expect(outputs.nextRotationAt).toBe("2027-01-05T00:00:00Z");
  });

  it("refuses bad config before asking the tenant anything", async () => {
    const tenant = new OfflineTenant(defaultTenantFixture(TENANT));
    await pulumi.runtime.setMocks(tenant, "nexxt", "acme", false, "organization");
    pulumi.runtime.setAllConfig(engineConfig({ ...BASE_CONFIG, secretLifetimeDays: 900 }));
    await expect(nexxtProgram({ now: new Date() })).rejects.toThrow(/nexxt:secretLifetimeDays '900' must be a whole number of days from 1 to 730/);
    expect(tenant.calls).toEqual([]);
    expect(tenant.resources).toEqual([]);
  });

  it("fails clearly when the tenant's Graph does not offer a configured permission", async () => {
    const roles = { ...defaultTenantFixture(TENANT).graphAppRoleIds };
    delete roles["Contacts.Read"];
    const err = await refusal(runProgram(BASE_CONFIG, { fixture: { graphAppRoleIds: roles } }));
    expect(err.message).toMatch(/does not offer the application permission 'Contacts.Read', so it cannot be granted/);
  });

  it("refuses to grant when the tenant's Graph has another ID for the permission", async () => {
    const roles = { ...defaultTenantFixture(TENANT).graphAppRoleIds, "User.Read.All": "11111111-1111-1111-1111-111111111111" };
    const err = await refusal(runProgram(BASE_CONFIG, { fixture: { graphAppRoleIds: roles } }));
    expect(err.message).toMatch(/offers 'User.Read.All' with app role ID 11111111-1111-1111-1111-111111111111, but Microsoft publishes df021288-bdef-4463-88db-98f22de89214/);
  });

  it("refuses a namesake registration made by someone else and says how to take it over", async () => {
    const handMade = {
      objectId: "aaaaaaaa-0000-4000-8000-000000000001",
      clientId: "bbbbbbbb-0000-4000-8000-000000000002",
      displayName: "ClearVox Nexxt",
      signInAudience: "AzureADMultipleOrgs",
      notes: "",
    };
    const err = await refusal(runProgram(BASE_CONFIG, { fixture: { applications: [handMade] } }));
    expect(err.message).toContain("An app registration named 'ClearVox Nexxt' already exists");
    expect(err.message).toContain(`set nexxt:existingApplicationId to ${handMade.clientId}`);
  });

  it("recognises its own registration on a re-run", async () => {
    const ours = {
      objectId: "aaaaaaaa-0000-4000-8000-000000000001",
      clientId: "bbbbbbbb-0000-4000-8000-000000000002",
      displayName: "ClearVox Nexxt",
      signInAudience: "AzureADMultipleOrgs",
      notes: OWN_NOTES,
    };
    const { tenant } = await runProgram(BASE_CONFIG, { fixture: { applications: [ours] } });
    expect(tenant.resources.some((r) => r.type.endsWith("application:Application"))).toBe(true);
  });
});
