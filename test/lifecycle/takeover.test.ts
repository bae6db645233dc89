import { MICROSOFT_GRAPH_APP_ID } from "../../src/catalogue/clouds";
import { Scenario } from "../support/lifecycle/scenario";
import { USER_READ_SCOPE } from "../support/lifecycle/tenant";

/**
 * Issue 9, item 7: taking over a registration made by hand, as the portal and the guide make it:
 * Graph in its required permissions (the delegated User.Read scope the portal adds, and the
 * application roles), an owner, admin consent granted, a hand-made secret.
 */
describe("taking over a registration made by hand", () => {
  it("first up succeeds, owners and the hand-made secret stay, the second up changes nothing, destroy leaves everything that was there before", async () => {
    // Mid-period (generation 116 was issued on 2027-03-03): the previous secret's overlap is over,
    // so on destroy only the one Nexxt holds is retained.
    const s = await Scenario.start({ start: new Date("2027-05-10T09:00:00Z") });
    try {
      const { app, sp } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", ["User.Read.All", "Contacts.Read"]);
      s.config = { ...s.config, existingApplicationId: app.clientId };
      const before = {
        owners: [...app.owners],
        handMadeSecret: app.passwords[0].value,
        access: JSON.stringify(app.requiredResourceAccess),
        assignments: s.tenant.assignments.map((a) => a.id).sort(),
        delegated: JSON.stringify(s.tenant.delegatedGrants),
      };

      const first = await s.up();
      expect(
        first.steps
          .filter((step) => step.op === "import")
          .map((step) => step.name)
          .sort(),
      ).toEqual(["nexxt-app", "nexxt-sp", "nexxt-graph-access"].sort());
      expect(app.owners).toEqual(before.owners);
      expect(app.passwords.map((p) => p.value)).toContain(before.handMadeSecret);
      expect(s.validSecrets().length).toBeGreaterThanOrEqual(2);

      const second = await s.up();
      expect(second.changes()).toEqual([]);

      await s.engine.destroy();
      const after = s.tenant.app(app.objectId);
      expect(after).toBeDefined();
      expect(s.tenant.servicePrincipals.map((x) => x.objectId)).toContain(sp.objectId);
      expect(JSON.stringify(after!.requiredResourceAccess)).toBe(before.access);
      expect(after!.requiredResourceAccess[0]).toMatchObject({ resourceAppId: MICROSOFT_GRAPH_APP_ID });
      expect(after!.requiredResourceAccess[0].resourceAccess).toContainEqual({ id: USER_READ_SCOPE, type: "Scope" });
      expect(s.tenant.assignments.map((a) => a.id).sort()).toEqual(before.assignments);
      expect(JSON.stringify(s.tenant.delegatedGrants)).toBe(before.delegated);
      expect(after!.owners).toEqual(before.owners);
      // The stack's other secret is gone; the one Nexxt held is retained (retainOnDelete) and
      // expires by itself, as the README says: destroy never cuts Nexxt off mid-sentence.
      const nexxts = s.nexxt.heldOn(s.clock.day());
      expect(after!.passwords.map((p) => p.value).sort()).toEqual([before.handMadeSecret, nexxts].sort());
    } finally {
      await s.close();
    }
  });

  it("grants what the hand-made registration does not list yet, and destroy removes only that", async () => {
    const s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z") });
    try {
      const { app } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", ["User.Read.All"]);
      s.config = { ...s.config, existingApplicationId: app.clientId };
      const assignmentsBefore = s.tenant.assignments.map((a) => a.id);
      await s.up();
      expect(s.tenant.assignments.length).toBe(assignmentsBefore.length + 1);
      expect((await s.up()).changes()).toEqual([]);
      await s.engine.destroy();
      expect(s.tenant.assignments.map((a) => a.id)).toEqual(assignmentsBefore);
    } finally {
      await s.close();
    }
  });
});
