import type { AccessTokenClaims } from "../../src/graph/jwtClaims";
import { DIRECTORY_ROLES, signInPrivilege } from "../../src/preflight/signInPrivilege";

function claims(over: Partial<AccessTokenClaims>): AccessTokenClaims {
  return { roles: [], tid: "t", appid: "a", aud: undefined, exp: undefined, scp: [], wids: [], oid: undefined, upn: undefined, ...over };
}
const user = (...roles: Array<{ id: string }>) => claims({ scp: ["Directory.AccessAsUser.All"], wids: roles.map((role) => role.id) });
const R = DIRECTORY_ROLES;

describe("signInPrivilege", () => {
  it.each([
    [["Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All", "Application.Read.All"], true, true],
    [["Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"], true, true],
    [["Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All"], true, false],
    [["AppRoleAssignment.ReadWrite.All", "Directory.Read.All"], false, true],
    [["User.Read.All"], false, false],
  ])("an app holding %p may create: %p, grant: %p", (roles, create, grant) => {
    expect(signInPrivilege(claims({ roles }))).toMatchObject({ appOnly: true, mayCreate: create, mayGrant: grant });
  });

  it("counts directory roles assigned to the app's service principal", () => {
    expect(signInPrivilege(claims({ wids: [R.privilegedRoleAdministrator.id, R.cloudApplicationAdministrator.id] }))).toMatchObject({
      appOnly: true,
      mayCreate: true,
      mayGrant: true,
      held: ["Privileged Role Administrator", "Cloud Application Administrator"],
    });
  });

  it("adds the roles Graph lists to the token's", () => {
    expect(signInPrivilege(user(), [R.globalAdministrator.id])).toMatchObject({ mayCreate: true, mayGrant: true, held: ["Global Administrator"] });
  });

  it.each([
    ["Global Administrator", user(R.globalAdministrator), true, true],
    ["Privileged Role Administrator", user(R.privilegedRoleAdministrator), "tenant-setting", true],
    ["Privileged Role + Application Administrator", user(R.privilegedRoleAdministrator, R.applicationAdministrator), true, true],
    ["Cloud Application Administrator", user(R.cloudApplicationAdministrator), true, false],
    ["no role", user(), "tenant-setting", false],
  ])("a user with %s may create: %p, grant: %p", (_what, token, create, grant) => {
    expect(signInPrivilege(token)).toMatchObject({ appOnly: false, mayCreate: create, mayGrant: grant });
  });
});
