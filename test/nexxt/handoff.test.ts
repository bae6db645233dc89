import { licencePageUrl, renderHandoff } from "../../src/nexxt/handoff";
import { CLIENT_SECRET, sampleDocument } from "../fakes/secrets";

describe("renderHandoff", () => {
  const document = sampleDocument();
  const full = renderHandoff({
    stack: "acme",
    document,
    nexxtUrl: "https://pbx.acme.nl",
    nexxtHost: "pbx.acme.nl",
    connectorFilePath: "/srv/onboard/out/acme.nexxt.json",
    pushedTo: "https://pbx.acme.nl/api/office365?token=querysecret",
  });

  it("never contains the secret, even when the document carries it", () => {
    expect(full).not.toContain(CLIENT_SECRET);
    expect(full).not.toContain("querysecret");
  });

  it("says, for a registration taken over, that hand-made secrets were left alone and the managed one took over", () => {
    expect(full).not.toContain("Taken over");
    const adopted = renderHandoff({ stack: "acme", document, adopted: true });
    expect(adopted).toContain("## Taken over from a registration made by hand");
    expect(adopted).toContain("Client secrets made by hand");
    expect(adopted).toContain("the managed secret above takes over");
  });

  it("gives Customer Care the Company ID and the licence page", () => {
    expect(full).toContain("| Company ID (Bedrijfs-ID) | `4711` |");
    expect(full).toContain("| Licence page | https://pbx.acme.nl/accounts/edit/4711 |");
  });

  it("gives ClearVox sales the Nexxt's hostname or IP address with the Company ID, or says it is not recorded", () => {
    expect(full).toContain("| Nexxt hostname or IP address (for the licence order) | `pbx.acme.nl` |");
    expect(renderHandoff({ stack: "acme", document })).toContain("| Nexxt hostname or IP address (for the licence order) | not recorded: set nexxt:nexxtHost |");
  });

  it("lists the Toepassings-id, tenant, v1 token endpoint and the expiry date", () => {
    expect(full).toContain(`| Toepassings-id (application ID) | \`${document.applicationId}\` |`);
    expect(full).toContain(`| Tenant ID | \`${document.tenantId}\` |`);
    expect(full).toContain(`| OAuth 2.0 token endpoint (v1) | \`${document.oauth2TokenEndpoint}\` |`);
    expect(full).toContain("| API sleutel (client secret) expires | 2027-11-27 (`2027-11-27T00:00:00.000Z`) |");
  });

  it("explains each granted permission from the catalogue, and flags unknown ones", () => {
    const text = renderHandoff({ stack: "acme", document: { ...document, permissions: ["Contacts.Read", "Made.Up.All"] } });
    expect(text).toContain("- `Contacts.Read`: Read contacts in all mailboxes");
    expect(text).toContain("- `Made.Up.All`: not in this tool's permission catalogue");
    expect(text).not.toContain("User.Read.All");
  });

  it("says where the secret is: file, push target without query, and the stack output command", () => {
    expect(full).toContain("- In the connector configuration file `/srv/onboard/out/acme.nexxt.json`, field `apiKey`");
    expect(full).toContain("- Sent to Nexxt with `PUT https://pbx.acme.nl/api/office365`.");
    expect(full).toContain("`pulumi stack output clientSecret --show-secrets --stack acme`");
  });

  it("leaves out the licence page, file and push lines when they are not known", () => {
    const { apiKey: _omitted, ...withoutSecret } = document;
    const text = renderHandoff({ stack: "beta", document: withoutSecret });
    expect(text).not.toContain("Licence page");
    expect(text).not.toContain("connector configuration file");
    expect(text).not.toContain("Sent to Nexxt");
    expect(text).toContain("--stack beta");
  });

  it("keeps odd values inside their table cell", () => {
    const text = renderHandoff({ stack: "acme", document: { ...document, companyId: "47|11`\nx" } });
    expect(text).toContain("| Company ID (Bedrijfs-ID) | `47 11' x` |");
  });
});

describe("licencePageUrl", () => {
  it("builds <nexxt url>/accounts/edit/<companyId> whatever the trailing slash or query", () => {
    expect(licencePageUrl("https://pbx.acme.nl/", "4711")).toBe("https://pbx.acme.nl/accounts/edit/4711");
    expect(licencePageUrl("https://pbx.acme.nl/nexxt?x=1", "4711")).toBe("https://pbx.acme.nl/nexxt/accounts/edit/4711");
    expect(licencePageUrl("https://pbx.acme.nl", "a b/c")).toBe("https://pbx.acme.nl/accounts/edit/a%20b%2Fc");
  });
  it("names nexxt:url when it is not a URL", () => {
    expect(() => licencePageUrl("pbx.acme.nl", "1")).toThrow(/nexxt:url 'pbx.acme.nl' is not a URL/);
  });
});
