import { DEFAULT_PERMISSIONS } from "../../src/catalogue/graphPermissions";
import { Check, expectedPermissions, permissionChecks, renderChecks, verifyExitCode } from "../../src/graph/verifyChecks";

describe("expectedPermissions", () => {
  it("prefers the flag, then the document, then the default, in Graph's spelling", () => {
    expect(expectedPermissions(["user.read.all"], ["Contacts.Read"], DEFAULT_PERMISSIONS)).toEqual(["User.Read.All"]);
    expect(expectedPermissions(undefined, ["Contacts.Read"], DEFAULT_PERMISSIONS)).toEqual(["Contacts.Read"]);
    expect(expectedPermissions(undefined, undefined, DEFAULT_PERMISSIONS)).toEqual(["User.Read.All", "Contacts.Read"]);
  });

  it("refuses unknown names and empty lists", () => {
    expect(() => expectedPermissions(["Users.Read"], undefined, DEFAULT_PERMISSIONS)).toThrow(/--permissions name 'Users\.Read'/);
    expect(() => expectedPermissions(undefined, [], DEFAULT_PERMISSIONS)).toThrow(/is empty/);
  });
});

describe("permissionChecks", () => {
  it("passes granted roles, fails missing ones and warns about extras", () => {
    const checks = permissionChecks(["User.Read.All", "Contacts.Read"], ["User.Read.All", "Mail.Read"]);
    expect(checks.map((c) => [c.kind, c.subject, c.verdict])).toEqual([
      ["permission", "User.Read.All", "pass"],
      ["permission", "Contacts.Read", "fail"],
      ["extra-roles", "Mail.Read", "warn"],
    ]);
    expect(checks[1].explanation?.cause).toMatch(/does not include Contacts\.Read/);
  });

  it("says consent is missing when the token has no roles at all, and compares case-sensitively", () => {
    const [check] = permissionChecks(["User.Read.All"], []);
    expect(check.detail).toMatch(/no roles claim/);
    expect(permissionChecks(["User.Read.All"], ["user.read.all"])[0].verdict).toBe("fail");
  });
});

describe("verifyExitCode and renderChecks", () => {
  const pass: Check = { kind: "token", subject: "t", verdict: "pass", detail: "ok" };
  const fail: Check = { kind: "users", subject: "u", verdict: "fail", detail: "403", explanation: { cause: "c", fix: "f" } };
  const down: Check = { ...fail, unreachable: true };

  it("is 0 with passes and warnings, 1 with a refusal, 3 when only unreachable services failed", () => {
    expect(verifyExitCode([pass, { ...pass, verdict: "warn" }])).toBe(0);
    expect(verifyExitCode([pass, fail, down])).toBe(1);
    expect(verifyExitCode([pass, down, { ...pass, verdict: "skip" }])).toBe(3);
  });

  it("prints cause and fix under each failure", () => {
    expect(renderChecks([pass, fail]).split("\n")).toEqual(["PASS  token       t: ok", "FAIL  users       u: 403", "      cause: c", "      fix:   f", "1 of 2 checks failed."]);
  });

  it("names no subject for a check that had nothing to look at (a skipped one)", () => {
    const skipped: Check = { kind: "tenant", subject: "", verdict: "skip", detail: "not checked: no sign-in" };
    expect(renderChecks([pass, skipped]).split("\n")[1]).toBe("SKIP  tenant      not checked: no sign-in");
  });
});
