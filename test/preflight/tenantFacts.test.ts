import { GraphClient } from "../../src/graph/graphClient";
import type { EmulatedRegistration } from "../../src/emulator/directoryEndpoints";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";
import { readTenantFacts } from "../../src/preflight/tenantFacts";
import { BearerToken } from "../../src/util/bearerToken";
import { APP_ID, SECRET, TENANT_ID, app, tenant } from "../emulator/fixtures";
import { graphServicePrincipal } from "./fixtures";

/** The tenant reads against the stand-in's Graph, with an app-only token from its v1 endpoint. */
let emulator: MicrosoftEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const registration = (index: number): EmulatedRegistration => ({
  id: `obj-${index}`,
  appId: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
  displayName: "ClearVox Nexxt",
  notes: null,
  createdDateTime: "2025-01-01T00:00:00Z",
  owners: Array.from({ length: 130 }, (_, owner) => ({ "@odata.type": "#microsoft.graph.user" as const, id: `owner-${owner}`, userPrincipalName: `owner${owner}@contoso.nl` })),
});

async function graphAs(roles: string[], applications: EmulatedRegistration[] = []): Promise<GraphClient> {
  emulator = await startMicrosoftEmulator({ tenants: [tenant({ apps: [app({ roles })], directory: { applications, servicePrincipals: [graphServicePrincipal()] } })] });
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: APP_ID, client_secret: SECRET, resource: emulator.url });
  const answer = (await (await fetch(`${emulator.url}/${TENANT_ID}/oauth2/token`, { method: "POST", body: form })).json()) as { access_token: string };
  return new GraphClient(emulator.url, new BearerToken(answer.access_token), { timeoutMs: 5000, policy: { retries: 2, baseDelayMs: 1, maxDelayMs: 10 } });
}

describe("readTenantFacts", () => {
  it("follows Graph's paging: 150 namesakes and 130 owners arrive whole", async () => {
    const apps = Array.from({ length: 150 }, (_, index) => registration(index));
    const graph = await graphAs(["Application.Read.All", "Policy.Read.All"], apps);
    const facts = await readTenantFacts(graph, { names: ["ClearVox Nexxt"], existingApplicationId: apps[149].appId });
    expect(facts.namesakes[0].found.ok && facts.namesakes[0].found.value.length).toBe(150);
    expect(facts.takeover?.registration.ok && facts.takeover.registration.value?.id).toBe("obj-149");
    expect(facts.takeover?.owners?.ok && facts.takeover.owners.value.length).toBe(130);
    // Two pages of applications, and of owners: the paging was used, not a single large page.
    expect(emulator!.stats.graphRequests).toBeGreaterThanOrEqual(8);
  });

  it("keeps each refusal as its own outcome: an app without Policy.Read.All reads registrations, not the policy", async () => {
    const graph = await graphAs(["Application.Read.All"]);
    const facts = await readTenantFacts(graph, { names: ["ClearVox Nexxt"] });
    expect(facts.namesakes[0].found).toEqual({ ok: true, value: [] });
    expect(facts.graphServicePrincipal.ok).toBe(true);
    expect(facts.defaultPolicy).toMatchObject({ ok: false, status: 403, code: "Authorization_RequestDenied" });
  });

  it("reports a Graph that stays unavailable as unreachable, not as refused", async () => {
    const graph = await graphAs(["Application.Read.All", "Policy.Read.All"]);
    emulator!.inject({ path: /^\/v1\.0\/policies\//, times: 5, fault: { status: 503, retryAfterSeconds: 0 } });
    const facts = await readTenantFacts(graph, { names: [] });
    expect(facts.defaultPolicy).toMatchObject({ ok: false, status: 503, unreachable: true });
  });

  it("finds Microsoft Graph's service principal by its app ID, and reads the tenant default policy in Graph's shape", async () => {
    const graph = await graphAs(["Application.Read.All", "Policy.Read.All"]);
    const facts = await readTenantFacts(graph, { names: [] });
    expect(facts.graphServicePrincipal.ok && facts.graphServicePrincipal.value?.appRoles.length).toBeGreaterThan(10);
    expect(facts.defaultPolicy).toMatchObject({ ok: true, value: { isEnabled: false, applicationRestrictions: { passwordCredentials: [] } } });
  });
});
