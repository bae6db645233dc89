import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID } from "../../src/catalogue/clouds";
import { PartnerOutputs, partnerProgram } from "../../src/partner/partnerProgram";
import { parsePartnerConfig } from "../../src/partner/partnerConfig";

interface Registered {
  id: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Pulumi's mock runtime: records each resource and gives an application a client ID, as Entra would. */
async function runPartner(config: Record<string, string>): Promise<{ resources: Registered[]; outputs: Record<string, unknown> }> {
  const resources: Registered[] = [];
  let next = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const id = `00000000-0000-4000-8000-${String(++next).padStart(12, "0")}`;
        resources.push({ id, type: args.type, name: args.name, inputs: args.inputs });
        const state =
          args.type === "azuread:index/application:Application" ? { ...args.inputs, clientId: `c1d2e3f4-0000-4000-8000-${String(next).padStart(12, "0")}` } : args.inputs;
        return { id, state };
      },
      call: () => ({}),
    },
    "nexxt-partner",
    "public",
    false,
  );
  pulumi.runtime.setAllConfig(config);
  const raw: PartnerOutputs = partnerProgram();
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve)) : value;
  }
  await pulumi.runtime.disconnect();
  return { resources, outputs };
}

const CONFIG = { "nexxt-partner:repository": "partner-org/nexxt-office365", "nexxt-partner:consentRedirectUri": "https://www.partner.example/nexxt/consented" };

describe("the partner stack (one per cloud, in the partner's own tenant)", () => {
  it("registers a multitenant deploy app with exactly the least-privileged Graph application permissions", async () => {
    const { resources } = await runPartner(CONFIG);
    const deploy = resources.find((r) => r.name === "pipeline-deploy")!;
    expect(deploy.inputs).toMatchObject({
      signInAudience: "AzureADMultipleOrgs",
      web: { redirectUris: ["https://www.partner.example/nexxt/consented"] },
      requiredResourceAccesses: [
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceAccesses: [
            { id: "18a4783c-866b-4cc7-a460-3d5e5662c884", type: "Role" },
            { id: "06b708a9-e830-4db3-a914-8e69da51d44f", type: "Role" },
            { id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", type: "Role" },
          ],
        },
      ],
    });
    const preview = resources.find((r) => r.name === "pipeline-preview")!;
    expect(preview.inputs.requiredResourceAccesses).toEqual([
      { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccesses: [{ id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", type: "Role" }] },
    ]);
  });

  it("trusts GitHub only for the environments of each app: deploy for the deploy app, pr-preview and drift for the read-only one", async () => {
    const { resources } = await runPartner(CONFIG);
    const credentials = resources
      .filter((r) => r.type === "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential")
      .sort((a, b) => a.name.localeCompare(b.name));
    const appId = (name: string) => resources.find((r) => r.name === name)!.id;
    expect(credentials.map((c) => [c.name, c.inputs.applicationId, c.inputs.subject, c.inputs.issuer, c.inputs.audiences])).toEqual([
      [
        "pipeline-deploy-deploy",
        appId("pipeline-deploy"),
        "repo:partner-org/nexxt-office365:environment:deploy",
        "https://token.actions.githubusercontent.com",
        ["api://AzureADTokenExchange"],
      ],
      [
        "pipeline-preview-drift",
        appId("pipeline-preview"),
        "repo:partner-org/nexxt-office365:environment:drift",
        "https://token.actions.githubusercontent.com",
        ["api://AzureADTokenExchange"],
      ],
      [
        "pipeline-preview-pr-preview",
        appId("pipeline-preview"),
        "repo:partner-org/nexxt-office365:environment:pr-preview",
        "https://token.actions.githubusercontent.com",
        ["api://AzureADTokenExchange"],
      ],
    ]);
  });

  it("outputs the partner.yaml entry that new-customer reads", async () => {
    const { outputs } = await runPartner(CONFIG);
    const parsed = parsePartnerConfig(outputs.partnerYaml as string, "partner.yaml");
    expect(parsed.consentRedirectUri).toBe("https://www.partner.example/nexxt/consented");
    expect(parsed.apps.public).toEqual({ deploy: outputs.deployClientId, preview: outputs.previewClientId });
  });

  it("registers a national cloud's apps only with the provider in that cloud, with its token-exchange audience", async () => {
    await expect(runPartner({ ...CONFIG, "nexxt-partner:cloud": "china" })).rejects.toThrow(
      /azuread:environment 'global' is not the cloud china; set azuread:environment to china/,
    );
    const { resources, outputs } = await runPartner({ ...CONFIG, "nexxt-partner:cloud": "china", "azuread:environment": "china" });
    expect(outputs.cloud).toBe("china");
    expect(resources.find((r) => r.name === "pipeline-deploy-deploy")!.inputs.audiences).toEqual(["api://AzureADTokenExchangeChina"]);
    const overridden = await runPartner({ ...CONFIG, "nexxt-partner:audience": "api://AzureADTokenExchange" });
    expect(overridden.resources.find((r) => r.name === "pipeline-preview-drift")!.inputs.audiences).toEqual(["api://AzureADTokenExchange"]);
  });

  it("refuses a repository or consent page that could not work, before registering anything", async () => {
    await expect(runPartner({ ...CONFIG, "nexxt-partner:repository": "https://github.com/partner-org/nexxt-office365" })).rejects.toThrow(/is not owner\/name/);
    await expect(runPartner({ ...CONFIG, "nexxt-partner:consentRedirectUri": "http://www.partner.example/" })).rejects.toThrow(/plain https address/);
  });
});
