import { MICROSOFT_GRAPH_APP_ID } from "../../src/catalogue/clouds";
import { Scenario } from "../support/lifecycle/scenario";
import { SimTenant, USER_READ_SCOPE } from "../support/lifecycle/tenant";
import type { TenantApplication, TenantServicePrincipal } from "../support/lifecycle/tenant";

/**
 * Taking over a registration made by hand (issue 9 item 7, issue 17), on the engine of the pinned
 * CLI: an import whose inputs differ is an update in the same run, and every Optional,
 * non-Computed field the program leaves out is cleared by the provider (replaceRules.ts).
 */

/** Everything of the registration a customer could miss, without the secrets the stack manages. */
function customerView(tenant: SimTenant, app: TenantApplication, sp: TenantServicePrincipal, handMadeKeyIds: string[]) {
  const liveApp = tenant.app(app.objectId);
  const liveSp = tenant.servicePrincipals.find((x) => x.objectId === sp.objectId);
  return {
    app: liveApp && {
      displayName: liveApp.displayName,
      signInAudience: liveApp.signInAudience,
      notes: liveApp.notes,
      owners: [...liveApp.owners].sort(),
      requiredResourceAccess: liveApp.requiredResourceAccess,
      extra: liveApp.extra,
      handMadeSecrets: liveApp.passwords.filter((p) => handMadeKeyIds.includes(p.keyId)).map((p) => p.value),
    },
    sp: liveSp && { owners: [...liveSp.owners].sort(), notes: liveSp.notes, extra: liveSp.extra },
    consents: tenant.assignments
      .filter((a) => a.principalObjectId === sp.objectId)
      .map((a) => `${a.appRoleId}@${a.id}`)
      .sort(),
    delegated: tenant.delegatedGrants.filter((g) => g.clientObjectId === sp.objectId),
  };
}

const GUIDE_ROLES = ["User.Read.All", "Contacts.Read"];

describe("taking over a registration made in the portal (owner, delegated User.Read, application roles, consent, a hand-made secret)", () => {
  it("first up succeeds; owners, the hand-made secret and every consent survive later ups and a rotation; the second up changes nothing; destroy leaves what existed before", async () => {
    // Mid-period (generation 116 was issued on 2027-03-03): the previous secret's overlap is over,
    // so on destroy only the one Nexxt holds is retained.
    const s = await Scenario.start({ start: new Date("2027-05-10T09:00:00Z"), config: { rotationStart: "2026-01-01" } });
    try {
      // The guide's registration: only User.Read.All consented of the two roles configured.
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", ["User.Read.All"], {
        extra: { description: "Made by hand for Nexxt", web: { redirectUris: ["https://pbx.example.nl/oauth"] } },
        servicePrincipalExtra: { notificationEmailAddresses: ["it@example.nl"] },
      });
      s.config = { ...s.config, existingApplicationId: app.clientId };
      const handMade = app.passwords.map((p) => p.keyId);
      const before = customerView(s.tenant, app, sp, handMade);

      const first = await s.up();
      expect(
        first.steps
          .filter((step) => step.op === "import")
          .map((step) => step.name)
          .sort(),
      ).toEqual(["nexxt-app", "nexxt-sp", "nexxt-graph-access"].sort());
      // Nothing of the registration is updated by the import's run, only what is missing is added.
      expect(first.steps.filter((step) => step.op === "update")).toEqual([]);
      const afterFirst = customerView(s.tenant, app, sp, handMade);
      expect(afterFirst.app).toEqual(before.app);
      expect(afterFirst.sp).toEqual(before.sp);
      expect(afterFirst.delegated).toEqual(before.delegated);
      // Every consent there was stays, and the configured role missing from it is granted.
      expect(afterFirst.consents).toEqual(expect.arrayContaining(before.consents));
      expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...GUIDE_ROLES].sort());
      expect(s.validSecrets().length).toBeGreaterThanOrEqual(2);

      const second = await s.up();
      expect(second.changes()).toEqual([]);
      // Later runs, one across a rotation, keep all of it.
      s.clock.advanceDays(200);
      await s.up();
      s.clock.advanceDays(1);
      expect((await s.up()).changes()).toEqual([]);
      const later = customerView(s.tenant, app, sp, handMade);
      expect(later).toEqual(afterFirst);

      await s.engine.destroy();
      const after = customerView(s.tenant, app, sp, handMade);
      expect(after).toEqual(before);
      expect(after.app!.requiredResourceAccess[0]).toMatchObject({ resourceAppId: MICROSOFT_GRAPH_APP_ID });
      expect(after.app!.requiredResourceAccess[0].resourceAccess).toContainEqual({ id: USER_READ_SCOPE, type: "Scope" });
      // The secret Nexxt held is retained (retainOnDelete) and expires by itself, as the README
      // says: destroy never cuts Nexxt off; the stack's other secrets are gone.
      // (The previous generation, a day into its overlap, is retained too: a copy may still be on its way.)
      const nexxts = s.nexxt.heldOn(s.clock.day())!;
      const left = s.tenant.app(app.objectId)!.passwords.map((p) => p.value);
      expect(left).toEqual(expect.arrayContaining([...before.app!.handMadeSecrets, nexxts]));
      expect(left.length).toBe(before.app!.handMadeSecrets.length + 2);
    } finally {
      await s.close();
    }
  });

  it("issue 17, finding 1: every Optional, non-Computed field of the registration and its service principal survives (owners above all)", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z"), config: { rotationStart: "2027-03-10" } });
    try {
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", GUIDE_ROLES, {
        extra: {
          description: "d",
          identifierUris: ["api://nexxt"],
          marketingUrl: "https://example.nl",
          serviceManagementReference: "CHG-1",
          groupMembershipClaims: ["SecurityGroup"],
          tags: ["hand"],
          web: { homepageUrl: "https://example.nl" },
        },
        servicePrincipalExtra: { appRoleAssignmentRequired: true, loginUrl: "https://example.nl/login", accountEnabled: false, alternativeNames: ["x"] },
      });
      app.notes = "Kept by the customer";
      sp.notes = "Also kept";
      app.owners.push("5d2c1b0a-0000-4000-8000-00000000000b");
      s.config = { ...s.config, existingApplicationId: app.clientId };
      const handMade = app.passwords.map((p) => p.keyId);
      const before = customerView(s.tenant, app, sp, handMade);
      await s.up();
      expect(customerView(s.tenant, app, sp, handMade)).toEqual(before);
      expect((await s.up()).changes()).toEqual([]);
      await s.engine.destroy();
      expect(customerView(s.tenant, app, sp, handMade)).toEqual(before);
    } finally {
      await s.close();
    }
  });
});

describe("taking over a registration that lists no Microsoft Graph permission (issue 17, finding 2)", () => {
  it("first up grants the consent; no later up removes it; the second up changes nothing; destroy leaves what existed before", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z"), config: { rotationStart: "2027-03-10" } });
    try {
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", [], { graphEntry: false });
      s.config = { ...s.config, existingApplicationId: app.clientId };
      const handMade = app.passwords.map((p) => p.keyId);
      const before = customerView(s.tenant, app, sp, handMade);
      expect(before.app!.requiredResourceAccess).toEqual([]);

      await s.up();
      expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...GUIDE_ROLES].sort());
      const second = await s.up();
      expect(second.changes()).toEqual([]);
      expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...GUIDE_ROLES].sort());
      for (const days of [1, 180, 200, 365]) {
        s.clock.advanceDays(days);
        const run = await s.up();
        expect(run.steps.filter((step) => step.op === "delete" && step.type.includes("appRoleAssignment"))).toEqual([]);
        expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...GUIDE_ROLES].sort());
      }
      expect(customerView(s.tenant, app, sp, handMade).app!.owners).toEqual(before.app!.owners);

      await s.engine.destroy();
      expect(customerView(s.tenant, app, sp, handMade)).toEqual(before);
    } finally {
      await s.close();
    }
  });
});

/** The customer lists a role in the registration's API permissions by hand (the portal's "Add a permission"). */
function listByHand(tenant: SimTenant, app: TenantApplication, role: string): void {
  const live = tenant.app(app.objectId)!;
  let graph = live.requiredResourceAccess.find((r) => r.resourceAppId === MICROSOFT_GRAPH_APP_ID);
  if (!graph) live.requiredResourceAccess.push((graph = { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [] }));
  graph.resourceAccess.push({ id: tenant.graph.appRoleIds[role], type: "Role" });
}

describe("a role the stack granted, later listed on the registration by hand (issue 17, finding 2)", () => {
  const CONFIGURED = ["User.Read.All", "Contacts.Read", "OrgContact.Read.All"];

  it("the next up keeps every assignment, the up after that changes nothing, destroy leaves what the customer had", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z"), config: { rotationStart: "2027-03-10", permissions: CONFIGURED } });
    try {
      // Listed and consented in the portal: User.Read.All. The stack grants the other two.
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", ["User.Read.All"]);
      s.config = { ...s.config, existingApplicationId: app.clientId };
      const handMade = app.passwords.map((p) => p.keyId);
      const before = customerView(s.tenant, app, sp, handMade);
      await s.up();
      expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...CONFIGURED].sort());
      const consents = customerView(s.tenant, app, sp, handMade).consents;

      // The customer adds one of the stack's roles to the list by hand (no second consent: it is there).
      listByHand(s.tenant, app, "Contacts.Read");
      const next = await s.up();
      expect(next.steps.filter((step) => step.type.endsWith("AppRoleAssignment") && step.op !== "same")).toEqual([]);
      expect(customerView(s.tenant, app, sp, handMade).consents).toEqual(consents);
      expect((await s.up()).changes()).toEqual([]);
      s.clock.advanceDays(200);
      await s.up();
      expect(customerView(s.tenant, app, sp, handMade).consents).toEqual(consents);

      // Destroy removes the stack's grants and leaves the customer's consent and list (with the edit).
      await s.engine.destroy();
      const after = customerView(s.tenant, app, sp, handMade);
      expect(after.consents).toEqual(before.consents);
      expect(after.app!.requiredResourceAccess[0].resourceAccess).toContainEqual({ id: s.tenant.graph.appRoleIds["Contacts.Read"], type: "Role" });
      expect({ ...after, app: { ...after.app, requiredResourceAccess: undefined } }).toEqual({ ...before, app: { ...before.app, requiredResourceAccess: undefined } });
    } finally {
      await s.close();
    }
  });

  it("a registration that listed no Graph permission keeps the stack's grants when the customer adds Graph's entry with them", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z"), config: { rotationStart: "2027-03-10" } });
    try {
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", [], { graphEntry: false });
      s.config = { ...s.config, existingApplicationId: app.clientId };
      await s.up();
      expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...GUIDE_ROLES].sort());
      for (const role of GUIDE_ROLES) listByHand(s.tenant, app, role);
      const next = await s.up();
      expect(next.steps.filter((step) => step.op === "delete")).toEqual([]);
      expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...GUIDE_ROLES].sort());
      expect((await s.up()).changes()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("a configured role listed by hand before the stack ever granted it stays the customer's consent", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z"), config: { rotationStart: "2027-03-10" } });
    try {
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", ["User.Read.All"]);
      s.config = { ...s.config, existingApplicationId: app.clientId, permissions: ["User.Read.All"] };
      await s.up();
      // Later the customer lists and consents Contacts.Read in the portal, then configures it.
      listByHand(s.tenant, app, "Contacts.Read");
      s.tenant.assignments.push({
        id: "by-hand",
        appRoleId: s.tenant.graph.appRoleIds["Contacts.Read"],
        principalObjectId: sp.objectId,
        resourceObjectId: s.tenant.graph.objectId,
      });
      s.config = { ...s.config, permissions: GUIDE_ROLES };
      // Declaring a grant for it would fail in Graph ("Permission being assigned already exists").
      const run = await s.up();
      expect(run.steps.filter((step) => step.type.endsWith("AppRoleAssignment"))).toEqual([]);
      expect(s.tenant.grantedRoles(sp.objectId)).toEqual([...GUIDE_ROLES].sort());
    } finally {
      await s.close();
    }
  });
});

describe("taking over a registration without a service principal in this tenant", () => {
  it("creates one, grants, and destroy removes only what the stack made", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z"), config: { rotationStart: "2027-03-10" } });
    try {
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", ["User.Read.All"]);
      s.tenant.servicePrincipals.splice(s.tenant.servicePrincipals.indexOf(sp), 1);
      s.tenant.assignments.length = 0;
      s.tenant.delegatedGrants.length = 0;
      s.config = { ...s.config, existingApplicationId: app.clientId };
      const owners = [...app.owners];
      await s.up();
      const ours = s.tenant.servicePrincipals.find((x) => x.clientId === app.clientId)!;
      expect(s.tenant.grantedRoles(ours.objectId)).toEqual(["Contacts.Read"]);
      expect((await s.up()).changes()).toEqual([]);
      await s.engine.destroy();
      expect(s.tenant.app(app.objectId)!.owners).toEqual(owners);
      expect(s.tenant.servicePrincipals.some((x) => x.clientId === app.clientId)).toBe(false);
      expect(s.tenant.assignments).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
