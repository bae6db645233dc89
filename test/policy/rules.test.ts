import {
  apiAccessViolations,
  appRoleViolations,
  grantResourceViolations,
  requiredResourceAccessViolations,
  secretEndDateViolations,
  signInAudienceViolations,
} from "../../policy/rules";
import { DAY_MS } from "../../src/util/time";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const USER_READ_ALL = "df021288-bdef-4463-88db-98f22de89214";
const CONTACTS_READ = "089fe4d0-434a-44c5-8827-41ba8a0b17f5";
const MAIL_READ = "810c84a8-4a9e-49e6-bf7d-12d183f40d01";
const NOW = new Date("2026-11-27T10:00:00Z");
const days = (n: number) => new Date(NOW.getTime() + n * DAY_MS).toISOString();

describe("policy rules", () => {
  it("signInAudience: only multitenant passes", () => {
    expect(signInAudienceViolations("AzureADMultipleOrgs")).toEqual([]);
    for (const audience of ["AzureADMyOrg", "AzureADandPersonalMicrosoftAccount", undefined]) {
      expect(signInAudienceViolations(audience)).toEqual([expect.stringContaining("must be multitenant (AzureADMultipleOrgs")]);
    }
  });

  it("requiredResourceAccesses: catalogued Graph roles pass, anything else is named", () => {
    const graph = (accesses: { id: string; type: string }[]) => [{ resourceAppId: GRAPH, resourceAccesses: accesses }];
    expect(
      requiredResourceAccessViolations(
        graph([
          { id: USER_READ_ALL, type: "Role" },
          { id: CONTACTS_READ, type: "Role" },
        ]),
        false,
      ),
    ).toEqual([]);
    expect(requiredResourceAccessViolations(undefined, false)).toEqual([]);
    expect(requiredResourceAccessViolations([{ resourceAppId: "00000002-0000-0ff1-ce00-000000000000", resourceAccesses: [] }], false)).toEqual([
      expect.stringContaining("only Microsoft Graph (00000003-0000-0000-c000-000000000000) is allowed"),
    ]);
    expect(requiredResourceAccessViolations(graph([{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }]), false)).toEqual([
      expect.stringContaining("application permissions (type Role) only"),
    ]);
    expect(requiredResourceAccessViolations(graph([{ id: "aaaaaaaa-0000-0000-0000-000000000000", type: "Role" }]), false)).toEqual([
      expect.stringContaining("not a Microsoft Graph application permission in the nexxt-office365 catalogue"),
    ]);
    expect(requiredResourceAccessViolations("nope", false)).toEqual([expect.stringContaining("is not a list")]);
  });

  it("a high-privilege permission passes only with allowHighPrivilege", () => {
    expect(appRoleViolations(MAIL_READ, false)).toEqual([expect.stringMatching(/^Mail.Read \(Read mail in all mailboxes\) is a high-privilege permission/)]);
    expect(appRoleViolations(MAIL_READ, true)).toEqual([]);
    expect(appRoleViolations(USER_READ_ALL.toUpperCase(), false)).toEqual([]);
    expect(appRoleViolations(undefined, true)).toEqual([expect.stringContaining("not a Microsoft Graph application permission")]);
  });

  it("ApplicationApiAccess: Graph only, roles from the catalogue, no delegated scopes", () => {
    expect(apiAccessViolations(GRAPH, [USER_READ_ALL, CONTACTS_READ], undefined, false)).toEqual([]);
    expect(apiAccessViolations("not-graph", [USER_READ_ALL], undefined, false)).toEqual([expect.stringContaining("only Microsoft Graph")]);
    expect(apiAccessViolations(GRAPH, [USER_READ_ALL, MAIL_READ], ["e1fe6dd8-ba31-4d61-89e7-88639da4683d"], false)).toEqual([
      expect.stringContaining("delegated Microsoft Graph scopes"),
      expect.stringContaining("Mail.Read"),
    ]);
  });

  it("secret endDate: explicit, a date, at most 730 days away", () => {
    expect(secretEndDateViolations(days(365), NOW)).toEqual([]);
    expect(secretEndDateViolations(days(730), NOW)).toEqual([]);
    expect(secretEndDateViolations(days(731), NOW)).toEqual([expect.stringContaining("would live 731 days")]);
    expect(secretEndDateViolations(days(100), NOW, 90)).toEqual([expect.stringContaining("at most 90 days")]);
    expect(secretEndDateViolations(undefined, NOW)).toEqual([expect.stringContaining("has no endDate")]);
    expect(secretEndDateViolations("next year", NOW)).toEqual([expect.stringContaining("is not an RFC 3339 date")]);
  });

  it("grants: one resource service principal", () => {
    expect(grantResourceViolations(["sp-graph", "sp-graph"])).toEqual([]);
    expect(grantResourceViolations([])).toEqual([]);
    expect(grantResourceViolations(["sp-graph", "sp-exchange"])).toEqual([expect.stringContaining("2 different resource service principals")]);
  });
});
