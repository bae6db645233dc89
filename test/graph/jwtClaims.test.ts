import { MalformedTokenError, decodeAccessTokenClaims } from "../../src/graph/jwtClaims";

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (payload: unknown) => `${encode({ typ: "JWT", alg: "RS256" })}.${encode(payload)}.c2lnbmF0dXJl`;

describe("decodeAccessTokenClaims", () => {
  it("reads roles, tid, appid, aud and exp from a v1 token payload", () => {
    const claims = decodeAccessTokenClaims(jwt({ aud: "https://graph.microsoft.com", tid: "t-1", appid: "a-1", exp: 1700000000, roles: ["User.Read.All", "Contacts.Read"] }));
    expect(claims).toEqual({
      roles: ["User.Read.All", "Contacts.Read"],
      tid: "t-1",
      appid: "a-1",
      aud: "https://graph.microsoft.com",
      exp: 1700000000,
      scp: [],
      wids: [],
      oid: undefined,
      upn: undefined,
    });
  });

  it("reads a user token's scopes, directory roles, object ID and sign-in name (preflight)", () => {
    const claims = decodeAccessTokenClaims(
      jwt({
        tid: "t",
        scp: "Application.ReadWrite.All  Directory.AccessAsUser.All",
        wids: ["62e90394-69f5-4237-9190-012177145e10", 7],
        oid: "o-1",
        unique_name: "admin@contoso.nl",
      }),
    );
    expect(claims.scp).toEqual(["Application.ReadWrite.All", "Directory.AccessAsUser.All"]);
    expect(claims.wids).toEqual(["62e90394-69f5-4237-9190-012177145e10"]);
    expect(claims.oid).toBe("o-1");
    expect(claims.upn).toBe("admin@contoso.nl");
  });

  it("gives no roles when the claim is absent, as on a token issued before admin consent", () => {
    expect(decodeAccessTokenClaims(jwt({ tid: "t", appid: "a" })).roles).toEqual([]);
  });

  it("decodes base64url payloads that use - and _ (non-ASCII names)", () => {
    const claims = decodeAccessTokenClaims(jwt({ appid: "ü?>~", roles: ["Ä"] }));
    expect(claims.appid).toBe("ü?>~");
    expect(claims.roles).toEqual(["Ä"]);
  });

  it.each([
    ["no dots", "abc"],
    ["a payload that is not JSON", `${encode({})}.bm90IGpzb24.sig`],
    ["a payload that is a list", `${encode({})}.${encode([1])}.sig`],
  ])("refuses %s without quoting the token", (_what, token) => {
    let caught: unknown;
    try {
      decodeAccessTokenClaims(token);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MalformedTokenError);
    expect((caught as Error).message).not.toContain(token);
  });
});
