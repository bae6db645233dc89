import { Scenario } from "../support/lifecycle/scenario";

/** Lookups that fail for other reasons than "not found" are reported as what they are. */
describe("data-source lookups that fail", () => {
  let s: Scenario;
  afterEach(async () => s.close());

  it.each([
    [
      "authorization",
      /Looking up app registrations named 'ClearVox Nexxt' in tenant .* failed \(.*Authorization_RequestDenied.*\): the signed-in identity may not read app registrations/,
    ],
    ["throttling", /Looking up app registrations named 'ClearVox Nexxt' .* failed \(.*429.*\): Microsoft Graph is throttling requests/],
  ] as const)("a %s failure of the namesake lookup stops the run with its cause, before anything is created", async (fault, message) => {
    s = await Scenario.start({ start: new Date("2027-03-03T09:00:00Z") });
    s.tenant.lookupFault = fault;
    await expect(s.up()).rejects.toThrow(message);
    expect(s.tenant.applications).toEqual([]);
  });

  it("an authorization failure while taking over is not reported as 'not an app registration'", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T09:00:00Z") });
    const { app } = s.tenant.addHandMadeRegistration("ClearVox Nexxt", ["User.Read.All", "Contacts.Read"]);
    s.config = { ...s.config, existingApplicationId: app.clientId };
    s.tenant.lookupFault = "authorization";
    const error = await s.up().catch((e: Error) => e);
    expect(String(error)).toMatch(/Looking up the app registration with client ID .* failed \(.*403.*\)/);
    expect(String(error)).not.toContain("is not an app registration");
  });

  it("a display name with an apostrophe is refused with a sentence, before any lookup", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T09:00:00Z"), config: { displayName: "O'Brien Nexxt" } });
    await expect(s.up()).rejects.toThrow(`nexxt:displayName 'O'Brien Nexxt' contains an apostrophe`);
    expect(s.tenant.applications).toEqual([]);
  });

  it("a namesake that really is absent is still no obstacle", async () => {
    s = await Scenario.start({ start: new Date("2027-03-03T09:00:00Z") });
    await s.up();
    expect(s.tenant.applications).toHaveLength(1);
  });
});
