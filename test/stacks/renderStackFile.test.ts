import YAML from "yaml";
import { CONFIG_KEYS } from "../../src/config/schema";
import { parseStackFileText, settingsOfStackFile } from "../../src/stacks/stackFile";
import { newCustomerConfig, NewCustomerInput } from "../../src/stacks/newCustomerConfig";
import { renderStackFile } from "../../src/stacks/renderStackFile";
import { hasSharedTenantMarker } from "../../src/stacks/sharedTenantMarker";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const WRITTEN_ON = new Date("2026-11-27T10:00:00Z");

function render(input: Omit<NewCustomerInput, "rotationStart">, sharedTenant = false) {
  const { config, settings } = newCustomerConfig({ rotationStart: WRITTEN_ON, ...input });
  return { text: renderStackFile({ stack: "acme", config, sharedTenant, writtenOn: WRITTEN_ON }), settings };
}

/** The lines right above a key, up to the previous blank line. */
function commentAbove(text: string, key: string): string {
  const lines = text.split("\n");
  const at = lines.findIndex((line) => line.trimStart().startsWith(`${key}:`));
  expect(at).toBeGreaterThan(0);
  const comment: string[] = [];
  for (let i = at - 1; i >= 0 && lines[i].trim().startsWith("#"); i--) comment.unshift(lines[i].trim());
  return comment.join(" ");
}

describe("renderStackFile", () => {
  it("writes a file the program reads back to the same settings", () => {
    const input = { tenantId: TENANT, companyId: "https://pbx.acme.nl/accounts/edit/4711", nexxtUrl: "https://pbx.acme.nl", permissions: "User.Read.All,Contacts.Read,OrgContact.Read.All", cloud: "usgovernmentl4" };
    const { text, settings } = render(input);
    const reread = settingsOfStackFile(parseStackFileText(text, "acme", "stacks/Pulumi.acme.yaml"));
    expect(reread).toEqual(settings);
    expect(reread.cloud.name).toBe("usgovernmentl4");
    expect(reread.companyId).toBe("4711");
  });

  it("explains every written key with its schema description, marking the required ones", () => {
    const { text } = render({ tenantId: TENANT, companyId: "4711", displayName: "Nexxt Acme" });
    const describe = (key: string) => CONFIG_KEYS.find((spec) => spec.key === key)!.description;
    expect(commentAbove(text, "nexxt:tenantId")).toBe(`# Required. ${describe("tenantId")}`);
    expect(commentAbove(text, "nexxt:companyId")).toBe(`# Required. ${describe("companyId")}`);
    expect(commentAbove(text, "nexxt:displayName")).toBe(`# ${describe("displayName")} Default: ClearVox Nexxt.`);
  });

  it("lists every key left at its default as a commented-out line that, uncommented, changes nothing", () => {
    const { text, settings } = render({ tenantId: TENANT, companyId: "4711" });
    const defaulted = CONFIG_KEYS.filter((spec) => spec.defaultValue !== undefined);
    expect(defaulted.length).toBeGreaterThan(5);
    for (const spec of defaulted) {
      const line = `  # nexxt:${spec.key}: ${spec.defaultValue}`;
      expect(text.split("\n")).toContain(line);
      const uncommented = text.replace(line, line.replace("# ", ""));
      expect(settingsOfStackFile(parseStackFileText(uncommented, "acme", "f"))).toEqual(settings);
    }
  });

  it("never offers a secret as a line to uncomment, only the command that encrypts it", () => {
    const { text } = render({ tenantId: TENANT, companyId: "4711" });
    expect(text).not.toMatch(/#\s*nexxt:apiToken:/);
    expect(text).toContain("pulumi config set --secret nexxt:apiToken --stack acme");
  });

  it("keeps the comments as real YAML comments: the parsed document holds the config only", () => {
    const { text } = render({ tenantId: TENANT, companyId: "4711" });
    expect(Object.keys(YAML.parse(text))).toEqual(["config"]);
    expect(Object.keys(YAML.parse(text).config)).toEqual(["nexxt:tenantId", "nexxt:companyId", "nexxt:rotationStart"]);
    expect(text).toContain("written by `nexxt-onboard new-customer` on 2026-11-27");
  });

  it("writes the shared-tenant marker only when asked", () => {
    expect(hasSharedTenantMarker(render({ tenantId: TENANT, companyId: "4711" }).text)).toBe(false);
    expect(hasSharedTenantMarker(render({ tenantId: TENANT, companyId: "4711" }, true).text)).toBe(true);
  });
});
