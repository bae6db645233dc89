import * as pulumi from "@pulumi/pulumi";
import { BASE_CONFIG, TENANT, runProgram } from "../support/programHarness";

const SECRET_KEY = "4dabf18193072939515e22adb298388d";
type SecretWrapper = { [SECRET_KEY]: string; value: unknown };

function unwrapSecret(value: unknown): unknown {
  expect(value && typeof value === "object" && SECRET_KEY in value).toBe(true);
  return (value as SecretWrapper).value;
}

describe("the program emits the connector configuration", () => {
  it("writes <stack>.nexxt.json through a ConnectorFile with the active secret, kept a secret", async () => {
    const { tenant, outputs } = await runProgram({ ...BASE_CONFIG, connectorConfigDir: "build/connectors" }, { stack: "globex" });
    const file = tenant.resources.find((r) => r.type === "pulumi-nodejs:dynamic/nexxt:ConnectorFile")!;
    expect(file.name).toBe("nexxt-file");
    expect(file.inputs.directory).toBe("build/connectors");
    expect(file.inputs).not.toHaveProperty("projectRoot");
    expect(file.inputs.stackName).toBe("globex");
    expect(unwrapSecret(file.inputs.document)).toEqual({
      applicationId: outputs.applicationId,
      apiKey: outputs.clientSecret,
      oauth2TokenEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/token`,
      tenantId: TENANT,
      companyId: "4711",
      secretExpiresAt: outputs.secretExpiresAt,
      permissions: ["User.Read.All", "Contacts.Read"],
    });
    expect(tenant.resources.some((r) => r.type === "pulumi-nodejs:dynamic/nexxt:NexxtConfigPush")).toBe(false);
  });

  it("pushes the same document to nexxt:apiUrl with the token as a secret", async () => {
    const { tenant } = await runProgram({ ...BASE_CONFIG, apiUrl: "https://pbx.example.nl/api/office365", apiToken: "nexxt-token-123", retainOnDelete: true });
    const push = tenant.resources.find((r) => r.type === "pulumi-nodejs:dynamic/nexxt:NexxtConfigPush")!;
    const file = tenant.resources.find((r) => r.type === "pulumi-nodejs:dynamic/nexxt:ConnectorFile")!;
    expect(push.inputs.url).toBe("https://pbx.example.nl/api/office365");
    expect(push.inputs.retainOnDelete).toBe(true);
    expect(unwrapSecret(push.inputs.apiToken)).toBe("nexxt-token-123");
    expect(unwrapSecret(push.inputs.document)).toEqual(unwrapSecret(file.inputs.document));
  });

  it("writes no file when nexxt:connectorConfigDir is empty", async () => {
    const { tenant } = await runProgram({ ...BASE_CONFIG, connectorConfigDir: "" });
    expect(tenant.resources.some((r) => r.type.startsWith("pulumi-nodejs:dynamic"))).toBe(false);
  });

  it("exports the Customer Care hand-off, not a secret and without the secret", async () => {
    const { raw, outputs } = await runProgram({ ...BASE_CONFIG, url: "https://pbx.example.nl" });
    expect(await pulumi.isSecret(raw.handoff)).toBe(false);
    expect(outputs.handoff).toContain("https://pbx.example.nl/accounts/edit/4711");
    expect(outputs.handoff).toContain(String(outputs.applicationId));
    expect(outputs.handoff).not.toContain(String(outputs.clientSecret));
  });
});
