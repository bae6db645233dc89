import { AppManagementPolicy, addIsoDuration, judgeCredentialPolicy } from "../../src/preflight/credentialPolicy";

const NOW = new Date("2026-12-06T12:00:00Z");

function tenantPolicy(restrictions: object[], isEnabled = true): AppManagementPolicy {
  return {
    id: "00000000-0000-0000-0000-000000000000",
    displayName: "Default app management tenant policy",
    isEnabled,
    applicationRestrictions: { passwordCredentials: restrictions },
  };
}

function judge(tenantDefault: AppManagementPolicy, over: { days?: number; createdAt?: Date; assigned?: AppManagementPolicy[] } = {}) {
  return judgeCredentialPolicy({ secretLifetimeDays: over.days ?? 365, appCreatedAt: over.createdAt ?? NOW, now: NOW, tenantDefault, assigned: over.assigned ?? [] });
}

describe("addIsoDuration", () => {
  it.each([
    ["P90D", "2027-03-06T12:00:00.000Z"],
    ["P1Y", "2027-12-06T12:00:00.000Z"],
    ["P6M", "2027-06-06T12:00:00.000Z"],
    ["P2W", "2026-12-20T12:00:00.000Z"],
    ["P4DT12H30M5S", "2026-12-11T00:30:05.000Z"],
    ["PT36H", "2026-12-08T00:00:00.000Z"],
  ])("%s from 6 December 2026 is %s", (duration, end) => {
    expect(addIsoDuration(NOW, duration)?.toISOString()).toBe(end);
  });

  it("keeps a month-end on the calendar: P6M from 31 August is the end of February", () => {
    expect(addIsoDuration(new Date("2027-08-31T00:00:00Z"), "P6M")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it.each(["", "P", "PT", "90D", "P-1D", "P1.5D", "forever"])("refuses '%s'", (text) => {
    expect(addIsoDuration(NOW, text)).toBeUndefined();
  });
});

describe("judgeCredentialPolicy", () => {
  it("allows anything when the tenant policy is not enabled (Graph's default)", () => {
    const verdict = judge(tenantPolicy([{ restrictionType: "passwordAddition" }], false));
    expect(verdict).toMatchObject({ allowed: true, note: expect.stringContaining("not enabled") });
  });

  it("refuses a lifetime beyond maxLifetime, naming the policy, its limit and Graph's error code", () => {
    const verdict = judge(tenantPolicy([{ restrictionType: "passwordLifetime", maxLifetime: "P180D" }]));
    expect(verdict).toMatchObject({
      allowed: false,
      errorCode: "CredentialInvalidLifetimeAsPerAppPolicy",
      limitDays: 180,
      policy: expect.stringContaining("'Default app management tenant policy'"),
    });
  });

  it("allows a lifetime of exactly maxLifetime", () => {
    expect(judge(tenantPolicy([{ restrictionType: "passwordLifetime", maxLifetime: "P180D" }]), { days: 180 }).allowed).toBe(true);
  });

  it("refuses new passwords under passwordAddition, with CredentialTypeNotAllowedAsPerAppPolicy", () => {
    expect(judge(tenantPolicy([{ restrictionType: "passwordAddition" }]))).toMatchObject({ allowed: false, errorCode: "CredentialTypeNotAllowedAsPerAppPolicy" });
  });

  it("ignores customPasswordAddition: addPassword has Microsoft generate the secret", () => {
    expect(judge(tenantPolicy([{ restrictionType: "customPasswordAddition" }])).allowed).toBe(true);
  });

  it("ignores a disabled restriction", () => {
    expect(judge(tenantPolicy([{ restrictionType: "passwordAddition", state: "disabled" }])).allowed).toBe(true);
  });

  it("applies a restriction only to apps created on or after restrictForAppsCreatedAfterDateTime", () => {
    const policy = tenantPolicy([{ restrictionType: "passwordLifetime", maxLifetime: "P30D", restrictForAppsCreatedAfterDateTime: "2025-01-01T00:00:00Z" }]);
    expect(judge(policy, { createdAt: new Date("2024-06-01T00:00:00Z") }).allowed).toBe(true);
    expect(judge(policy, { createdAt: new Date("2025-01-01T00:00:00Z") }).allowed).toBe(false);
    expect(judge(policy).allowed).toBe(false);
  });

  it("lets a policy assigned to the app take the tenant default's place", () => {
    const strict = tenantPolicy([{ restrictionType: "passwordAddition" }]);
    const exemption: AppManagementPolicy = {
      id: "p-1",
      displayName: "Nexxt exemption",
      isEnabled: true,
      restrictions: { passwordCredentials: [{ restrictionType: "passwordLifetime", maxLifetime: "P2Y" }] },
    };
    expect(judge(strict, { assigned: [exemption] })).toMatchObject({ allowed: true, policy: expect.stringContaining("'Nexxt exemption' (id p-1) assigned to this registration") });
    const tighter: AppManagementPolicy = { ...exemption, restrictions: { passwordCredentials: [{ restrictionType: "passwordLifetime", maxLifetime: "P90D" }] } };
    expect(judge(tenantPolicy([]), { assigned: [tighter] })).toMatchObject({ allowed: false, limitDays: 90 });
  });

  it("does not guess at a maxLifetime it cannot read", () => {
    expect(judge(tenantPolicy([{ restrictionType: "passwordLifetime", maxLifetime: "about a year" }]))).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("not an ISO 8601 duration"),
    });
  });
});
