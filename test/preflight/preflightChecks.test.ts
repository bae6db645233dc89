import { parseSettings } from "../../src/config/schema";
import type { AccessTokenClaims } from "../../src/graph/jwtClaims";
import { PreflightInput, preflightChecks } from "../../src/preflight/preflightChecks";
import type { TenantFacts } from "../../src/preflight/tenantFacts";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const CLIENT = "0d9c7b4e-2f1a-4c3b-8e5d-6a7b8c9d0e1f";
const settings = (over: Record<string, string> = {}) => parseSettings({ "nexxt:tenantId": TENANT, "nexxt:companyId": "1", "nexxt:rotationStart": "2026-01-01", ...over });
const claims = (over: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
  roles: ["Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All", "Application.Read.All"],
  tid: TENANT,
  appid: CLIENT,
  aud: undefined,
  exp: undefined,
  scp: [],
  wids: [],
  oid: undefined,
  upn: undefined,
  ...over,
});
const facts = (over: Partial<TenantFacts> = {}): TenantFacts => ({
  graphServicePrincipal: { ok: true, value: { id: "g", appRoles: [] } },
  namesakes: [{ name: "ClearVox Nexxt", found: { ok: true, value: [] } }],
  defaultPolicy: { ok: true, value: { isEnabled: false } },
  ...over,
});

function input(over: Partial<PreflightInput> = {}): PreflightInput {
  return {
    settings: settings(),
    stackRef: "nexxt/acme",
    now: new Date("2026-12-06T00:00:00Z"),
    loginHost: "https://login.microsoftonline.us",
    signInDescription: "service principal",
    appClientId: CLIENT,
    partner: undefined,
    outcome: { ok: true, claims: claims(), facts: facts() },
    ...over,
  };
}

describe("preflightChecks", () => {
  it("gives the admin-consent link on the tenant's own cloud when the partner app is not consented", () => {
    const checks = preflightChecks(input({ outcome: { ok: false, message: "AADSTS7000229: missing service principal", codes: [7000229], unavailable: false } }));
    const consent = checks.find((check) => check.kind === "consent");
    expect(consent).toMatchObject({ verdict: "fail", detail: "not consented in this tenant" });
    expect(consent?.explanation?.fix).toContain(`https://login.microsoftonline.us/${TENANT}/adminconsent?client_id=${CLIENT}`);
    expect(checks.filter((check) => check.verdict === "skip").map((check) => check.kind)).toEqual(["tenant", "privilege", "graph-sp", "namesake", "policy"]);
  });

  it("does not call a wrong secret a missing consent", () => {
    const checks = preflightChecks(input({ outcome: { ok: false, message: "AADSTS7000215: Invalid client secret", codes: [7000215], unavailable: false } }));
    expect(checks.find((check) => check.kind === "consent")?.verdict).toBe("skip");
  });

  it("gives the partner's own v2 link, as new-customer prints it, when the app is one of partner.yaml's", () => {
    const partner = { file: "partner.yaml", consentRedirectUri: "https://partner.example/consented", apps: { public: { deploy: CLIENT } } };
    const checks = preflightChecks(input({ partner, outcome: { ok: false, message: "AADSTS700016: not found", codes: [700016], unavailable: false } }));
    const fix = checks.find((check) => check.kind === "consent")?.explanation?.fix ?? "";
    expect(fix).toContain(`https://login.microsoftonline.us/${TENANT}/v2.0/adminconsent?client_id=${CLIENT}&scope=`);
    expect(fix).toContain("redirect_uri=https%3A%2F%2Fpartner.example%2Fconsented");
  });

  it("passes the consent of an app that holds Graph permissions here", () => {
    expect(preflightChecks(input()).find((check) => check.kind === "consent")).toMatchObject({ verdict: "pass" });
  });

  it("names at most ten owners of a taken-over registration, and how many more", () => {
    const owners = Array.from({ length: 13 }, (_, index) => ({ id: `o${index}`, userPrincipalName: `owner${index}@contoso.nl` }));
    const takeover = {
      clientId: CLIENT,
      registration: { ok: true as const, value: { id: "obj", appId: CLIENT, displayName: "ClearVox Nexxt", notes: null } },
      owners: { ok: true as const, value: owners },
      assignedPolicies: { ok: true as const, value: [] },
      servicePrincipal: { ok: true as const, value: undefined },
    };
    const checks = preflightChecks(input({ settings: settings({ "nexxt:existingApplicationId": CLIENT }), outcome: { ok: true, claims: claims(), facts: facts({ takeover }) } }));
    expect(checks.find((check) => check.subject.endsWith("owners"))?.detail).toBe(
      `kept: ${owners
        .slice(0, 10)
        .map((o) => o.userPrincipalName)
        .join(", ")} and 3 more`,
    );
    expect(checks.find((check) => check.subject.endsWith("consents"))?.detail).toMatch(/no service principal yet: pulumi up creates it/);
    expect(checks.some((check) => check.kind === "namesake")).toBe(false);
  });
});
