import { GraphFlags, resolveGraphConnection } from "../../src/cli/commands/graphFlags";
import { UserError } from "../../src/errors";
import type { ConnectorDocument } from "../../src/nexxt/connectorDocument";

const TENANT = "11111111-2222-3333-4444-555555555555";
const APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const flags = (over: Partial<GraphFlags> = {}): GraphFlags => ({ clientSecretEnv: "NEXXT_CLIENT_SECRET", json: false, timeoutMs: 30000, retries: 5, retryBaseMs: 500, ...over });
const env = { NEXXT_CLIENT_SECRET: "s3cret~" };
const doc = (endpoint: string): ConnectorDocument => ({
  applicationId: APP,
  apiKey: "doc-secret",
  oauth2TokenEndpoint: endpoint,
  tenantId: TENANT,
  companyId: "7",
  secretExpiresAt: "2030-01-01T00:00:00Z",
  permissions: ["User.Read.All"],
});

describe("resolveGraphConnection", () => {
  it("builds the public cloud's v1 endpoint and Graph resource from flags and the env secret", () => {
    expect(resolveGraphConnection(flags({ tenantId: TENANT, clientId: APP }), env)).toEqual({
      tenantId: TENANT,
      clientId: APP,
      clientSecret: "s3cret~",
      tokenEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/token`,
      graphRoot: "https://graph.microsoft.com",
      resource: "https://graph.microsoft.com",
      cloud: "public",
      documentPermissions: undefined,
    });
  });

  it("uses the national cloud's hosts, and the overrides over them", () => {
    const china = resolveGraphConnection(flags({ tenantId: TENANT, clientId: APP, cloud: "china" }), env);
    expect(china.tokenEndpoint).toBe(`https://login.chinacloudapi.cn/${TENANT}/oauth2/token`);
    expect(china.resource).toBe("https://microsoftgraph.chinacloudapi.cn");
    const overridden = resolveGraphConnection(
      flags({ tenantId: TENANT, clientId: APP, authorityHost: "https://login.example.test/", graphUrl: "https://graph.example.test/" }),
      env,
    );
    expect(overridden.tokenEndpoint).toBe(`https://login.example.test/${TENANT}/oauth2/token`);
    expect(overridden.graphRoot).toBe("https://graph.example.test");
  });

  it("takes the authority host and cloud from the document's token endpoint", () => {
    const gov = resolveGraphConnection(flags({ config: "c.json", cloud: "usgovernmentl5" }), {}, doc(`https://login.microsoftonline.us/${TENANT}/oauth2/token`));
    expect(gov.tokenEndpoint).toBe(`https://login.microsoftonline.us/${TENANT}/oauth2/token`);
    expect(gov.graphRoot).toBe("https://dod-graph.microsoft.us");
    expect(gov.clientSecret).toBe("doc-secret");
    expect(gov.documentPermissions).toEqual(["User.Read.All"]);
    const china = resolveGraphConnection(flags({ config: "c.json" }), {}, doc(`https://login.chinacloudapi.cn/${TENANT}/oauth2/token`));
    expect(china.graphRoot).toBe("https://microsoftgraph.chinacloudapi.cn");
  });

  it("asks for --cloud when the document's login host serves both US Government clouds", () => {
    expect(() => resolveGraphConnection(flags({ config: "c.json" }), {}, doc(`https://login.microsoftonline.us/${TENANT}/oauth2/token`))).toThrow(
      /serves usgovernmentl4 and usgovernmentl5; say which with --cloud/,
    );
  });

  it("refuses --config together with --tenant-id, and a variable name that is not one", () => {
    expect(() => resolveGraphConnection(flags({ config: "c.json", tenantId: TENANT }), {}, doc(`https://login.microsoftonline.com/${TENANT}/oauth2/token`))).toThrow(UserError);
    expect(() => resolveGraphConnection(flags({ tenantId: TENANT, clientId: APP, clientSecretEnv: "my secret" }), env)).toThrow(
      /^the value of --client-secret-env is not a valid environment variable name/,
    );
  });

  it("accepts a tenant domain name as well as a GUID", () => {
    expect(resolveGraphConnection(flags({ tenantId: "contoso.onmicrosoft.com", clientId: APP }), env).tokenEndpoint).toBe(
      "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token",
    );
  });
});
