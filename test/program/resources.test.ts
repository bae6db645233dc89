import { utcTimestamp } from "../../src/util/time";
import { secretScheduleAt } from "../../src/schedule/secretSchedule";
import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID } from "../../src/catalogue/clouds";
import type { RecordedResource } from "../../src/plan/offlineTenant";
import { BASE_CONFIG, TENANT, runProgram } from "../support/programHarness";

const GRAPH_SP = "0b6b9a35-7c3f-4f4a-9d8e-2f1c5a7e6d40";

function one(resources: RecordedResource[], type: string): RecordedResource {
  const found = resources.filter((r) => r.type === `azuread:index/${type}`);
  expect(found).toHaveLength(1);
  return found[0];
}

describe("the resources `pulumi up` registers", () => {
  it("registers a multitenant application that requests each permission from Graph as an application role", async () => {
    const { tenant } = await runProgram({ ...BASE_CONFIG, displayName: "Nexxt (Acme)" });
    const app = one(tenant.resources, "application:Application");
    expect(app.name).toBe("nexxt-app");
    expect(app.inputs).toMatchObject({
      displayName: "Nexxt (Acme)",
      signInAudience: "AzureADMultipleOrgs",
      preventDuplicateNames: true,
      requiredResourceAccesses: [
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceAccesses: [
            { id: "df021288-bdef-4463-88db-98f22de89214", type: "Role" },
            { id: "089fe4d0-434a-44c5-8827-41ba8a0b17f5", type: "Role" },
          ],
        },
      ],
    });
    expect(app.inputs.notes).toContain("Pulumi stack nexxt/acme");
  });

  it("wires the service principal to the application's client ID, not its object ID", async () => {
    const { tenant } = await runProgram(BASE_CONFIG);
    const app = one(tenant.resources, "application:Application");
    const sp = one(tenant.resources, "servicePrincipal:ServicePrincipal");
    expect(sp.inputs.clientId).toBe(app.state.clientId);
    expect(sp.inputs.clientId).not.toBe(app.state.objectId);
  });

  it("creates the secrets on the application's resource ID with the scheduled end dates", async () => {
    const { tenant, outputs } = await runProgram(BASE_CONFIG, { now: new Date("2026-11-27T10:00:00Z") });
    const app = one(tenant.resources, "application:Application");
    const secrets = tenant.resources.filter((r) => r.type === "azuread:index/applicationPassword:ApplicationPassword");
    expect(secrets.map((s) => s.name).sort()).toEqual(["nexxt-secret-a", "nexxt-secret-b"]);
    for (const secret of secrets) {
      expect(secret.inputs.applicationId).toBe(app.id);
      expect(secret.inputs.applicationId).toMatch(/^\/applications\/[0-9a-f-]{36}$/);
      expect(secret.id.startsWith(`${String(app.state.objectId)}/password/`)).toBe(true);
    }
    // nexxt:rotationStart 2026-01-01 (day 20454), jitter of "acme" 55: generation 1 was issued on
    // A + 180 - 55 = 2026-05-06, generation 2 (slot a) on A + 360 - 55 = 2026-11-02.
    const active = secrets.find((s) => s.name === "nexxt-secret-a")!;
    expect(active.inputs.endDate).toBe("2027-11-02T00:00:00Z");
    expect(active.inputs.rotateWhenChanged).toEqual({ generation: "2" });
    const held = secretScheduleAt(
      new Date("2026-11-27T10:00:00Z"),
      { lifetimeDays: 365, rotationDays: 180, overlapDays: 30, rotationStart: new Date("2026-01-01T00:00:00Z") },
      "acme",
    );
    expect(held.active).toMatchObject({ slot: "a", generation: 2 });
    expect(outputs.secretExpiresAt).toBe("2027-11-02T00:00:00Z");
    expect(outputs.clientSecret).toBe(active.state.value);
    expect(outputs.nextRotationAt).toBe(utcTimestamp(held.nextRotationAt));
  });

  it("grants each permission from our service principal to the tenant's Graph service principal, with the tenant's role ID", async () => {
    const { tenant, outputs } = await runProgram({ ...BASE_CONFIG, permissions: ["User.Read.All", "Contacts.Read", "OrgContact.Read.All"] });
    const sp = one(tenant.resources, "servicePrincipal:ServicePrincipal");
    const grants = tenant.resources.filter((r) => r.type === "azuread:index/appRoleAssignment:AppRoleAssignment");
    expect(grants.map((g) => [g.name, g.inputs.appRoleId])).toEqual([
      ["nexxt-grant-User.Read.All", "df021288-bdef-4463-88db-98f22de89214"],
      ["nexxt-grant-Contacts.Read", "089fe4d0-434a-44c5-8827-41ba8a0b17f5"],
      ["nexxt-grant-OrgContact.Read.All", "e1a88a34-94c4-4418-be12-c87b00e26bea"],
    ]);
    for (const grant of grants) {
      expect(grant.inputs.principalObjectId).toBe(sp.state.objectId);
      expect(grant.inputs.resourceObjectId).toBe(GRAPH_SP);
      expect(grant.id).toMatch(new RegExp(`^/servicePrincipals/${GRAPH_SP}/appRoleAssignedTo/`));
    }
    expect(outputs.grantedPermissions).toEqual(["User.Read.All", "Contacts.Read", "OrgContact.Read.All"]);
  });

  it("puts every resource under one nexxt:office365:Connector component", async () => {
    const { tenant } = await runProgram(BASE_CONFIG);
    expect(tenant.resources[0]).toMatchObject({ type: "nexxt:office365:Connector", name: "nexxt" });
    expect(tenant.resources.slice(1).every((r) => r.name.startsWith("nexxt-"))).toBe(true);
  });

  it("exports what Nexxt needs, with the v1 token endpoint of the stack's cloud", async () => {
    const { outputs, tenant } = await runProgram({ ...BASE_CONFIG, cloud: "usgovernmentl5", companyId: "https://pbx.example.nl/accounts/edit/4711" });
    const app = one(tenant.resources, "application:Application");
    const sp = one(tenant.resources, "servicePrincipal:ServicePrincipal");
    expect(outputs).toMatchObject({
      applicationId: app.state.clientId,
      tenantId: TENANT,
      tokenEndpoint: `https://login.microsoftonline.us/${TENANT}/oauth2/token`,
      servicePrincipalObjectId: sp.state.objectId,
      companyId: "4711",
    });
  });

  it("keeps the client secret a Pulumi secret in the outputs and in the password's state", async () => {
    const { raw, outputs } = await runProgram(BASE_CONFIG);
    expect(await pulumi.isSecret(raw.clientSecret)).toBe(true);
    expect(await pulumi.isSecret(raw.applicationId)).toBe(false);
    expect(outputs.clientSecret).toMatch(/^fake~/);
  });

  it("runs the grants in the third wave: they wait only for the service principals", async () => {
    const { tenant } = await runProgram(BASE_CONFIG);
    const order = tenant.resources.map((r) => r.type.split(":").pop());
    const firstGrant = order.indexOf("AppRoleAssignment");
    expect(order.indexOf("Application")).toBeLessThan(order.indexOf("ServicePrincipal"));
    expect(order.indexOf("ServicePrincipal")).toBeLessThan(firstGrant);
    // Grants do not wait for the secrets: nothing of theirs is an input of a grant.
    const grants = tenant.resources.filter((r) => r.type.endsWith("AppRoleAssignment"));
    const secretIds = tenant.resources.filter((r) => r.type.endsWith("ApplicationPassword")).map((r) => r.id);
    for (const grant of grants) expect(Object.values(grant.inputs).some((v) => secretIds.includes(String(v)))).toBe(false);
  });
});
