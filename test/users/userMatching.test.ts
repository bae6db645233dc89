import { EntraUser } from "../../src/users/entraUser";
import { EntraUserMatcher, matchNexxtUsers, smtpAddressOf, summarizeMapping } from "../../src/users/userMatching";

const nexxt = (id: string, email: string, name = `User ${id}`) => ({ id, email, name });

describe("smtpAddressOf", () => {
  it("reads primary SMTP: and secondary smtp: addresses, with or without a space, lower-cased", () => {
    expect(smtpAddressOf("SMTP:Bob@Contoso.com")).toBe("bob@contoso.com");
    expect(smtpAddressOf("smtp: bob@sales.contoso.com")).toBe("bob@sales.contoso.com");
  });

  it("ignores other proxy address types", () => {
    expect(smtpAddressOf("sip:bob@contoso.com")).toBeUndefined();
    expect(smtpAddressOf("x500:/o=ExchangeLabs/ou=x/cn=bob")).toBeUndefined();
    expect(smtpAddressOf("bob@contoso.com")).toBeUndefined();
  });
});

describe("matchNexxtUsers", () => {
  const ann: EntraUser = { id: "id-ann", mail: "Ann@Contoso.nl", userPrincipalName: "ann@contoso.onmicrosoft.com", proxyAddresses: ["SMTP:Ann@Contoso.nl"], accountEnabled: true };
  const bob: EntraUser = { id: "id-bob", mail: null, userPrincipalName: "bob@contoso.nl", proxyAddresses: [], accountEnabled: true };
  const cas: EntraUser = {
    id: "id-cas",
    mail: "cas@contoso.nl",
    userPrincipalName: "cas@contoso.nl",
    proxyAddresses: ["smtp:c.jansen@contoso.nl", "SIP:sip-only@contoso.nl"],
    accountEnabled: true,
  };
  const dirk: EntraUser = { id: "id-dirk", mail: "dirk@contoso.nl", userPrincipalName: "dirk@contoso.nl", accountEnabled: false };

  it("matches case-insensitively on mail first, then userPrincipalName, then smtp proxy addresses", () => {
    const rows = matchNexxtUsers([nexxt("1", "ANN@contoso.NL"), nexxt("2", " bob@contoso.nl "), nexxt("3", "C.Jansen@contoso.nl")], [ann, bob, cas]);
    expect(rows.map((row) => [row.nexxtUserId, row.externalApplicationId, row.matchedBy, row.status])).toEqual([
      ["1", "id-ann", "mail", "matched"],
      ["2", "id-bob", "userPrincipalName", "matched"],
      ["3", "id-cas", "proxyAddress", "matched"],
    ]);
  });

  it("never matches on sip: or other non-SMTP proxy addresses", () => {
    const [row] = matchNexxtUsers([nexxt("1", "sip-only@contoso.nl")], [cas]);
    expect(row.status).toBe("unmatched");
    expect(row.externalApplicationId).toBe("");
  });

  it("reports unmatched users, including those with no e-mail in Nexxt", () => {
    const rows = matchNexxtUsers([nexxt("1", "nobody@contoso.nl"), nexxt("2", "")], [ann]);
    expect(rows.map((row) => row.status)).toEqual(["unmatched", "unmatched"]);
    expect(rows[1].reason).toMatch(/no e-mail/);
  });

  it("reports an address carried by two Entra users as ambiguous with both candidates, never guessing", () => {
    const twin: EntraUser = { id: "id-twin", mail: null, userPrincipalName: "x@contoso.nl", proxyAddresses: ["smtp:ann@contoso.nl"] };
    const [row] = matchNexxtUsers([nexxt("1", "ann@contoso.nl")], [ann, twin]);
    expect(row.status).toBe("ambiguous");
    expect(row.externalApplicationId).toBe("");
    expect(row.candidates.sort()).toEqual(["id-ann", "id-twin"]);
  });

  it("counts one Entra user matching on several fields as one match, by its best field", () => {
    const [row] = matchNexxtUsers([nexxt("1", "ann@contoso.nl")], [{ ...ann, mail: null, userPrincipalName: "ann@contoso.nl" }]);
    expect(row).toMatchObject({ status: "matched", matchedBy: "userPrincipalName", externalApplicationId: "id-ann" });
  });

  it("flags a disabled Entra account but still gives its object ID", () => {
    const [row] = matchNexxtUsers([nexxt("1", "dirk@contoso.nl")], [dirk]);
    expect(row).toMatchObject({ status: "disabled", externalApplicationId: "id-dirk", matchedBy: "mail" });
  });

  it("flags two Nexxt users resolving to the same Entra user as ambiguous", () => {
    const rows = matchNexxtUsers([nexxt("1", "ann@contoso.nl"), nexxt("2", "ann@contoso.onmicrosoft.com"), nexxt("3", "bob@contoso.nl")], [ann, bob]);
    expect(rows.map((row) => row.status)).toEqual(["ambiguous", "ambiguous", "matched"]);
    expect(rows[0].candidates).toEqual(["id-ann"]);
    expect(rows[0].reason).toMatch(/2 Nexxt users/);
  });

  it("counts shared targets by object ID: one Entra user listed twice by Graph, each copy hit by another Nexxt user", () => {
    const annAgain: EntraUser = { ...ann, mail: "a.smit@contoso.nl", userPrincipalName: "a.smit@contoso.onmicrosoft.com", proxyAddresses: [] };
    const rows = matchNexxtUsers([nexxt("1", "ann@contoso.nl"), nexxt("2", "a.smit@contoso.nl"), nexxt("3", "bob@contoso.nl")], [ann, bob, annAgain]);
    expect(rows.map((row) => [row.status, row.candidates])).toEqual([
      ["ambiguous", ["id-ann"]],
      ["ambiguous", ["id-ann"]],
      ["matched", []],
    ]);
  });

  it("indexed in slices (map-users), matches exactly as indexed at once", async () => {
    const nexxtUsers = [nexxt("1", "ann@contoso.nl"), nexxt("2", "bob@contoso.nl"), nexxt("3", "ANN@contoso.nl"), nexxt("4", ""), nexxt("5", "c.jansen@contoso.nl")];
    const sliced = await EntraUserMatcher.inSlices(nexxtUsers, 2);
    for (const user of [ann, bob, cas]) sliced.add(user);
    expect(sliced.rows()).toEqual(matchNexxtUsers(nexxtUsers, [ann, bob, cas]));
    expect(sliced.rows().map((row) => row.status)).toEqual(["ambiguous", "matched", "ambiguous", "unmatched", "matched"]);
  });

  it("streams: users offered one by one give the same rows, and only Entra users that hit are kept", () => {
    const nexxtUsers = [nexxt("1", "ann@contoso.nl"), nexxt("2", "c.jansen@contoso.nl")];
    const matcher = new EntraUserMatcher(nexxtUsers);
    for (const user of [bob, cas, ann]) matcher.add(user);
    expect(matcher.seen).toBe(3);
    expect(matcher.rows()).toEqual(matchNexxtUsers(nexxtUsers, [ann, bob, cas]));
    expect(matcher.rows().map((row) => row.externalApplicationId)).toEqual(["id-ann", "id-cas"]);
  });

  it("gives two Nexxt users with the same address the same match, flagged as shared", () => {
    const rows = matchNexxtUsers([nexxt("1", "ann@contoso.nl"), nexxt("2", "ANN@contoso.nl")], [ann]);
    expect(rows.map((row) => [row.status, row.candidates])).toEqual([
      ["ambiguous", ["id-ann"]],
      ["ambiguous", ["id-ann"]],
    ]);
  });

  it("summarizes the statuses", () => {
    const rows = matchNexxtUsers([nexxt("1", "ann@contoso.nl"), nexxt("2", "zzz@x.nl"), nexxt("3", "dirk@contoso.nl")], [ann, dirk]);
    expect(summarizeMapping(rows)).toEqual({ total: 3, matched: 1, unmatched: 1, ambiguous: 0, disabled: 1, notMember: 0, conflict: 0 });
  });
});
