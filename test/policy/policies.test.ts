import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { nexxtPolicies, RESOURCE_TYPES } from "../../policy/policies";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const USER_READ_ALL = "df021288-bdef-4463-88db-98f22de89214";
const MAIL_SEND = "b633e1c5-b582-4048-a93e-9f11b44c7e96";
const NOW = new Date("2026-11-27T10:00:00Z");
const policies = nexxtPolicies({ now: () => NOW });

function resourcePolicy(name: string): ResourceValidationPolicy {
  const policy = policies.find((p) => p.name === name);
  expect(policy).toBeDefined();
  return policy as ResourceValidationPolicy;
}

/** Runs every resource policy on one resource, as the policy server would, and collects the violations by policy. */
async function violations(type: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const policy of policies) {
    if (!("validateResource" in policy) || !policy.validateResource) continue;
    const args = {
      type,
      props,
      urn: `urn:pulumi:acme::nexxt::${type}::r`,
      name: "r",
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
      stackTags: new Map<string, string>(),
      getConfig: <T extends object>() => ({ allowHighPrivilege: false, ...config }) as T,
      isType: () => false,
      asType: () => undefined,
      notApplicable: () => {
        throw new Error("not applicable");
      },
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validate of validations) await validate(args, (message) => (found[policy.name] ??= []).push(message));
  }
  return found;
}

describe("policy pack", () => {
  it("passes what the program registers for a default stack", async () => {
    expect(
      await violations(RESOURCE_TYPES.application, {
        displayName: "ClearVox Nexxt",
        signInAudience: "AzureADMultipleOrgs",
        requiredResourceAccesses: [{ resourceAppId: GRAPH, resourceAccesses: [{ id: USER_READ_ALL, type: "Role" }] }],
      }),
    ).toEqual({});
    expect(await violations(RESOURCE_TYPES.appRoleAssignment, { appRoleId: USER_READ_ALL, principalObjectId: "p", resourceObjectId: "g" })).toEqual({});
    expect(await violations(RESOURCE_TYPES.applicationPassword, { applicationId: "a", endDate: "2027-11-27T00:00:00.000Z" })).toEqual({});
    expect(await violations(RESOURCE_TYPES.applicationApiAccess, { applicationId: "a", apiClientId: GRAPH, roleIds: [USER_READ_ALL] })).toEqual({});
  });

  it("flags a single-tenant registration under nexxt-multitenant-application", async () => {
    const found = await violations(RESOURCE_TYPES.application, { signInAudience: "AzureADMyOrg" });
    expect(Object.keys(found)).toEqual(["nexxt-multitenant-application"]);
  });

  it("flags an uncatalogued or high-privilege grant under nexxt-graph-permissions, unless the config allows high privilege", async () => {
    expect(await violations(RESOURCE_TYPES.appRoleAssignment, { appRoleId: MAIL_SEND })).toEqual({ "nexxt-graph-permissions": [expect.stringMatching(/^Mail.Send/)] });
    expect(await violations(RESOURCE_TYPES.appRoleAssignment, { appRoleId: MAIL_SEND }, { allowHighPrivilege: true })).toEqual({});
    expect(await violations(RESOURCE_TYPES.appRoleAssignment, { appRoleId: "0e263e50-5827-48a4-b97c-d940288653c7" }, { allowHighPrivilege: true })).toEqual({
      "nexxt-graph-permissions": [expect.stringContaining("not a Microsoft Graph application permission")],
    });
    expect(await violations(RESOURCE_TYPES.applicationApiAccess, { apiClientId: GRAPH, roleIds: [MAIL_SEND] })).toEqual({
      "nexxt-graph-permissions": [expect.stringMatching(/^Mail.Send/)],
    });
  });

  it("flags a secret living longer than 730 days under nexxt-secret-lifetime", async () => {
    expect(await violations(RESOURCE_TYPES.applicationPassword, { endDate: "2029-01-01T00:00:00Z" })).toEqual({
      "nexxt-secret-lifetime": [expect.stringContaining("at most 730 days")],
    });
  });

  it("ignores resources it has no rule for", async () => {
    expect(await violations("azuread:index/servicePrincipal:ServicePrincipal", { clientId: "x", signInAudience: "AzureADMyOrg", endDate: "2099-01-01" })).toEqual({});
  });

  it("flags grants to two resource service principals at stack level", async () => {
    const stackPolicy = policies.find((p) => p.name === "nexxt-grants-to-graph-only") as StackValidationPolicy;
    const grant = (resourceObjectId: string) => ({ type: RESOURCE_TYPES.appRoleAssignment, props: { appRoleId: USER_READ_ALL, resourceObjectId } }) as unknown as PolicyResource;
    const run = async (resources: PolicyResource[]) => {
      const found: string[] = [];
      await stackPolicy.validateStack({ resources, stackTags: new Map(), getConfig: () => ({}) } as unknown as StackValidationArgs, (message) => found.push(message));
      return found;
    };
    expect(await run([grant("graph-sp"), grant("graph-sp")])).toEqual([]);
    expect(await run([grant("graph-sp"), grant("other-sp")])).toEqual([expect.stringContaining("every grant must go to Microsoft Graph")]);
  });

  it("declares every policy mandatory, with a description, and only nexxt-graph-permissions takes config", () => {
    for (const policy of policies) {
      expect(policy.enforcementLevel).toBe("mandatory");
      expect(policy.description.length).toBeGreaterThan(20);
    }
    expect(policies.filter((p) => p.configSchema).map((p) => p.name)).toEqual(["nexxt-graph-permissions"]);
    expect(resourcePolicy("nexxt-graph-permissions").configSchema?.properties.allowHighPrivilege).toEqual({ type: "boolean", default: false });
  });

  it("ships a PulumiPolicy.yaml Pulumi can read, and a default config that names only real policies", () => {
    const project = YAML.parse(fs.readFileSync(path.join(__dirname, "../../policy/PulumiPolicy.yaml"), "utf8"));
    expect(project).toMatchObject({ runtime: "nodejs" });
    // new PolicyPack reads its version from package.json in the pack directory.
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/package.json"), "utf8"));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies).toBeUndefined();
    const names = policies.map((p) => p.name);
    for (const file of fs.readdirSync(path.join(__dirname, "../../policy/config"))) {
      const config = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/config", file), "utf8"));
      for (const key of Object.keys(config)) expect(names).toContain(key);
    }
  });
});
