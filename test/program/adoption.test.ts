import * as pulumi from "@pulumi/pulumi";
import type { ExistingApplication } from "../../src/plan/offlineTenant";
import { BASE_CONFIG, runProgram } from "../support/programHarness";

const HAND_MADE: ExistingApplication = {
  objectId: "a1a1a1a1-0000-4000-8000-000000000001",
  clientId: "c1c1c1c1-0000-4000-8000-000000000002",
  displayName: "ClearVox Nexxt",
  signInAudience: "AzureADMultipleOrgs",
  notes: "",
  servicePrincipalObjectId: "5e5e5e5e-0000-4000-8000-000000000003",
};

/** Records the options each resource is registered with (import, retainOnDelete...). */
function optionsRecorder() {
  const seen = new Map<string, pulumi.CustomResourceOptions>();
  const componentOptions: pulumi.ComponentResourceOptions = {
    transformations: [
      (args) => {
        seen.set(args.name, args.opts as pulumi.CustomResourceOptions);
        return undefined;
      },
    ],
  };
  return { seen, componentOptions };
}

describe("taking over a registration made by hand (nexxt:existingApplicationId)", () => {
  it("imports the application and its service principal by object ID and never deletes them", async () => {
    const { seen: options, componentOptions } = optionsRecorder();
    const { tenant, outputs } = await runProgram({ ...BASE_CONFIG, existingApplicationId: HAND_MADE.clientId }, { fixture: { applications: [HAND_MADE] }, componentOptions });
    const app = tenant.resources.find((r) => r.name === "nexxt-app")!;
    const sp = tenant.resources.find((r) => r.name === "nexxt-sp")!;
    expect(app.importId).toBe(`/applications/${HAND_MADE.objectId}`);
    expect(sp.importId).toBe(`/servicePrincipals/${HAND_MADE.servicePrincipalObjectId}`);
    expect(options.get("nexxt-app")?.retainOnDelete).toBe(true);
    expect(options.get("nexxt-sp")?.retainOnDelete).toBe(true);
    // Imported as found, so the import does not fail on a difference.
    expect(app.inputs).toMatchObject({ displayName: HAND_MADE.displayName, signInAudience: HAND_MADE.signInAudience });
    expect(app.inputs.requiredResourceAccesses).toBeUndefined();
    expect(outputs.applicationId).toBe(HAND_MADE.clientId);
    expect(outputs.handoff).toContain("Taken over from a registration made by hand");
    expect(outputs.servicePrincipalObjectId).toBe(HAND_MADE.servicePrincipalObjectId);
  });

  it("adds what is missing: consent and managed secrets, which it does own; no Graph entry on a registration without one (issue 17, finding 2)", async () => {
    const { seen: options, componentOptions } = optionsRecorder();
    const { tenant } = await runProgram({ ...BASE_CONFIG, existingApplicationId: HAND_MADE.clientId }, { fixture: { applications: [HAND_MADE] }, componentOptions });
    // An entry the run added would read as "consented by hand" on the next run, which would then drop the grants.
    expect(tenant.resources.find((r) => r.type === "azuread:index/applicationApiAccess:ApplicationApiAccess")).toBeUndefined();
    const grants = tenant.resources.filter((r) => r.type.endsWith("AppRoleAssignment"));
    expect(grants.map((g) => g.inputs.appRoleId).sort()).toEqual(["089fe4d0-434a-44c5-8827-41ba8a0b17f5", "df021288-bdef-4463-88db-98f22de89214"]);
    expect(grants.map((g) => g.inputs.principalObjectId)).toEqual([HAND_MADE.servicePrincipalObjectId, HAND_MADE.servicePrincipalObjectId]);
    const secrets = tenant.resources.filter((r) => r.type.endsWith("ApplicationPassword"));
    expect(secrets.map((s) => s.inputs.applicationId)).toEqual([`/applications/${HAND_MADE.objectId}`, `/applications/${HAND_MADE.objectId}`]);
    for (const owned of [...grants, ...secrets]) {
      expect(owned.importId).toBeUndefined();
      expect(options.has(owned.name)).toBe(true);
    }
    for (const owned of grants) expect(options.get(owned.name)?.retainOnDelete).toBeFalsy();
  });

  it("keeps the registration's owners and every other field it does not set (issue 17, finding 1)", async () => {
    const { seen: options, componentOptions } = optionsRecorder();
    await runProgram({ ...BASE_CONFIG, existingApplicationId: HAND_MADE.clientId }, { fixture: { applications: [HAND_MADE] }, componentOptions });
    expect(options.get("nexxt-app")?.ignoreChanges).toEqual(expect.arrayContaining(["owners", "notes", "description", "web"]));
    expect(options.get("nexxt-sp")?.ignoreChanges).toEqual(expect.arrayContaining(["owners", "notes", "accountEnabled"]));
  });

  it("creates the service principal when the hand-made app has none in this tenant", async () => {
    const { tenant } = await runProgram(
      { ...BASE_CONFIG, existingApplicationId: HAND_MADE.clientId },
      { fixture: { applications: [{ ...HAND_MADE, servicePrincipalObjectId: undefined }] } },
    );
    const sp = tenant.resources.find((r) => r.name === "nexxt-sp")!;
    expect(sp.importId).toBeUndefined();
    expect(sp.inputs.clientId).toBe(HAND_MADE.clientId);
  });

  it("says so when the client ID is not a registration in the tenant", async () => {
    await expect(runProgram({ ...BASE_CONFIG, existingApplicationId: HAND_MADE.clientId })).rejects.toThrow(
      `nexxt:existingApplicationId ${HAND_MADE.clientId} is not an app registration in tenant`,
    );
  });

  it("reads what it granted last time through a stack reference to itself, and records what it grants now (issue 17, finding 2)", async () => {
    const { tenant, outputs } = await runProgram({ ...BASE_CONFIG, existingApplicationId: HAND_MADE.clientId }, { fixture: { applications: [HAND_MADE] } });
    const reference = tenant.resources.find((r) => r.type === "pulumi:pulumi:StackReference")!;
    // Pulumi Cloud requires <organization>/<project>/<stack>; the diy backend's organization is "organization".
    expect(reference.id).toBe("organization/nexxt/acme");
    const grants = tenant.resources.filter((r) => r.type.endsWith("AppRoleAssignment"));
    expect(outputs.grantedRoleIds).toEqual(grants.map((g) => String(g.inputs.appRoleId)).sort());
  });

  it("a stack that creates its registration records its grants too, without reading anything", async () => {
    const { tenant, outputs } = await runProgram(BASE_CONFIG);
    expect(tenant.resources.some((r) => r.type === "pulumi:pulumi:StackReference")).toBe(false);
    expect(outputs.grantedRoleIds).toEqual(["089fe4d0-434a-44c5-8827-41ba8a0b17f5", "df021288-bdef-4463-88db-98f22de89214"]);
  });

  it("refuses a recorded grant list that is not one, and says how to recover", async () => {
    const run = runProgram(
      { ...BASE_CONFIG, existingApplicationId: HAND_MADE.clientId },
      { fixture: { applications: [HAND_MADE], stackOutputs: { grantedRoleIds: "User.Read.All" } } },
    );
    await expect(run).rejects.toThrow('The stack output grantedRoleIds of stack organization/nexxt/acme is "User.Read.All", not a list of app role IDs');
  });
});
