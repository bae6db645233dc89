import { CLOUDS, CLOUD_NAMES } from "../../src/catalogue/clouds";
import { adminConsentLink, consentLinkFor, tenantWideConsentUrl } from "../../src/partner/consentLink";
import { userErrorOf } from "../stacks/userErrorOf";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const APP = "0d9c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const REDIRECT = "https://www.partner.example/nexxt/consented";

describe("the customer's admin-consent link", () => {
  it.each([
    ["public", "https://login.microsoftonline.com", "https://graph.microsoft.com/.default"],
    ["usgovernmentl4", "https://login.microsoftonline.us", "https://graph.microsoft.us/.default"],
    ["usgovernmentl5", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us/.default"],
    ["china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/.default"],
  ] as const)("in %s: the v2.0 endpoint of the customer's tenant, Graph's /.default of that cloud", (cloud, loginHost, scope) => {
    const link = new URL(adminConsentLink({ cloud: CLOUDS[cloud], tenantId: TENANT, clientId: APP, redirectUri: REDIRECT, state: "acme" }));
    expect(`${link.origin}${link.pathname}`).toBe(`${loginHost}/${TENANT}/v2.0/adminconsent`);
    expect(Object.fromEntries(link.searchParams)).toEqual({ client_id: APP, scope, redirect_uri: REDIRECT, state: "acme" });
  });

  it("covers every cloud of the catalogue", () => {
    for (const cloud of CLOUD_NAMES) {
      expect(adminConsentLink({ cloud: CLOUDS[cloud], tenantId: TENANT, clientId: APP, redirectUri: REDIRECT })).toContain(
        `${CLOUDS[cloud].graphRoot}/.default`.replace(/[:/]/g, (c) => encodeURIComponent(c)),
      );
    }
  });

  it("spells the public link as Microsoft documents it, encoded once", () => {
    expect(adminConsentLink({ cloud: CLOUDS.public, tenantId: TENANT.toUpperCase(), clientId: APP, redirectUri: REDIRECT, state: "acme" })).toBe(
      `https://login.microsoftonline.com/${TENANT}/v2.0/adminconsent?client_id=${APP}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fwww.partner.example%2Fnexxt%2Fconsented&state=acme`,
    );
  });

  it("refuses what would send the admin to the wrong tenant or page", () => {
    expect(userErrorOf(() => adminConsentLink({ cloud: CLOUDS.public, tenantId: "common", clientId: APP, redirectUri: REDIRECT }))).toMatch(/tenant ID 'common' is not a GUID/);
    expect(userErrorOf(() => adminConsentLink({ cloud: CLOUDS.public, tenantId: TENANT, clientId: "nexxt", redirectUri: REDIRECT }))).toMatch(
      /partner app ID 'nexxt' is not a GUID/,
    );
    expect(userErrorOf(() => adminConsentLink({ cloud: CLOUDS.public, tenantId: TENANT, clientId: APP, redirectUri: "http://partner.example/x" }))).toMatch(/plain https address/);
    expect(userErrorOf(() => adminConsentLink({ cloud: CLOUDS.public, tenantId: TENANT, clientId: APP, redirectUri: "not a url" }))).toMatch(/is not an address/);
  });
});

describe("the consent link for the app that signs in (preflight)", () => {
  const partner = { file: "partner.yaml", consentRedirectUri: REDIRECT, apps: { public: { deploy: APP } } };

  it("is partner.yaml's v2 link for one of the partner's apps", () => {
    const link = consentLinkFor({ cloud: CLOUDS.public, loginHost: "https://login.microsoftonline.com", tenantId: TENANT, clientId: APP.toUpperCase(), partner });
    expect(link).toBe(adminConsentLink({ cloud: CLOUDS.public, tenantId: TENANT, clientId: APP, redirectUri: REDIRECT }));
  });

  it("is the v1 tenant-wide form, encoded, for another app (its redirect URI is not known)", () => {
    const other = "11111111-2222-4333-8444-555555555555";
    expect(consentLinkFor({ cloud: CLOUDS.china, loginHost: "https://login.chinacloudapi.cn/", tenantId: "contoso.onmicrosoft.com", clientId: other, partner })).toBe(
      `https://login.chinacloudapi.cn/contoso.onmicrosoft.com/adminconsent?client_id=${other}`,
    );
    expect(tenantWideConsentUrl("https://login.microsoftonline.com", "a b", other)).toBe(`https://login.microsoftonline.com/a%20b/adminconsent?client_id=${other}`);
  });
});
