import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import type { EmulatedDirectory, EmulatedRegistration } from "../../src/emulator/directoryEndpoints";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";
import { managedNote } from "../../src/connector/managedNote";
import { DIRECTORY_ROLES } from "../../src/preflight/signInPrivilege";
import { TENANT_ID, allOutput, expectNoSecrets, tenant } from "../emulator/fixtures";
import { ADMIN_PASSWORD, GRAPH_SP_ID, acmeProject, graphServicePrincipal, signInUser, writeFakeAz } from "../preflight/fixtures";

/**
 * preflight signed in through the Azure CLI, as `pulumi up` is on a laptop: a stand-in `az` on
 * PATH gets a user's token from the Microsoft stand-in, whose Graph answers the directory reads.
 */
let emulator: MicrosoftEmulator | undefined;
const savedEnv = { ...process.env };
let scratch: string;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-az-"));
  // The credential runs `az` from PATH of this process, as on a user's machine.
  process.env.PATH = `${writeFakeAz(scratch)}${path.delimiter}${process.env.PATH}`;
});
afterAll(() => {
  process.env = savedEnv;
  fs.rmSync(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  for (const key of ["FAKE_AZ_USER", "FAKE_AZ_PASSWORD", "FAKE_AZ_LOGIN", "FAKE_AZ_TENANT"]) delete process.env[key];
});

const HAND_MADE_APP_ID = "7b2d4f6a-1c3e-4a5b-8d9f-0a1b2c3d4e5f";
const OTHER_TENANT = "99999999-8888-4777-8666-555555555555";

function handMade(over: Partial<EmulatedRegistration> = {}): EmulatedRegistration {
  return {
    id: "a1b2c3d4-0000-4000-8000-00000000beef",
    appId: HAND_MADE_APP_ID,
    displayName: "ClearVox Nexxt",
    notes: null,
    createdDateTime: "2025-03-01T10:00:00Z",
    ...over,
  };
}

async function start(directory: EmulatedDirectory = {}, user = signInUser()) {
  emulator = await startMicrosoftEmulator({
    tenants: [tenant({ signInUsers: [user], directory: { servicePrincipals: [graphServicePrincipal()], ...directory } }), tenant({ tenantId: OTHER_TENANT, signInUsers: [user] })],
  });
  process.env.FAKE_AZ_LOGIN = emulator.url;
  process.env.FAKE_AZ_USER = user.userPrincipalName;
  process.env.FAKE_AZ_PASSWORD = ADMIN_PASSWORD;
  process.env.FAKE_AZ_TENANT = TENANT_ID;
  return emulator;
}

async function preflight(config: Record<string, unknown> = {}, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const cwd = acmeProject(config);
  const io = memoryIo({ cwd, env });
  const code = await run(["preflight", "--stack", "acme", "--graph-url", emulator!.url, "--retry-base-ms", "5", "--timeout-ms", "10000", ...extra], io);
  // No access token the stand-in issued may appear, whatever happened.
  expectNoSecrets(io, emulator!.stats.issuedTokens);
  return { code, text: allOutput(io), io };
}

describe("preflight with the Azure CLI login", () => {
  it("passes every check for a Global Administrator in a tenant without history", async () => {
    await start();
    const { code, text } = await preflight();
    expect(text).toMatch(/signing in with the Azure CLI login/);
    expect(text).toMatch(/PASS {2}sign-in .*signed in as admin@contoso\.nl/);
    expect(text).toMatch(/PASS {2}tenant/);
    expect(text).toMatch(/PASS {2}privilege .*Global Administrator/);
    expect(text).toMatch(new RegExp(`PASS {2}graph-sp .*${GRAPH_SP_ID}`));
    expect(text).toMatch(/PASS {2}namesake {4}'ClearVox Nexxt': no registration of this name/);
    expect(text).toMatch(/PASS {2}policy .*not enabled/);
    expect(text).toMatch(/All 6 checks passed\./);
    expect(code).toBe(0);
  });

  it("answers --json with every check, and no token", async () => {
    await start();
    const { code, io } = await preflight({}, ["--json"]);
    const report = JSON.parse(io.out.join("\n")) as { ok: boolean; signIn: string; checks: Array<{ kind: string; verdict: string }> };
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.signIn).toBe("the Azure CLI login");
    expect(report.checks.map((check) => check.kind)).toEqual(["sign-in", "tenant", "privilege", "graph-sp", "namesake", "policy"]);
  });

  it("fails when the Azure CLI is signed in to another tenant, and reads nothing there", async () => {
    await start();
    process.env.FAKE_AZ_TENANT = OTHER_TENANT;
    const before = emulator!.stats.graphRequests;
    const { code, text } = await preflight();
    expect(code).toBe(1);
    expect(text).toMatch(new RegExp(`FAIL {2}tenant .*sign-in is for tenant ${OTHER_TENANT}, not nexxt:tenantId ${TENANT_ID}`));
    expect(text).toContain(`az login --tenant ${TENANT_ID}`);
    expect(emulator!.stats.graphRequests).toBe(before);
  });

  it("asks az for ARM_TENANT_ID's tenant, as the provider does", async () => {
    await start();
    process.env.FAKE_AZ_TENANT = OTHER_TENANT;
    const { code, text } = await preflight({}, [], { ARM_TENANT_ID: TENANT_ID });
    expect(text).toMatch(/PASS {2}tenant/);
    expect(code).toBe(0);
  });

  it("says how to log in when az is logged out", async () => {
    await start();
    delete process.env.FAKE_AZ_USER;
    const { code, text } = await preflight();
    expect(code).toBe(1);
    expect(text).toMatch(/FAIL {2}sign-in/);
    expect(text).toContain(`run \`az login --tenant ${TENANT_ID}\``);
    expect(text).toMatch(/SKIP {2}tenant/);
  });

  it("fails an Application Administrator: it may not grant Microsoft Graph application permissions", async () => {
    await start({}, signInUser({ wids: [DIRECTORY_ROLES.applicationAdministrator.id] }));
    const { code, text } = await preflight();
    expect(code).toBe(1);
    expect(text).toMatch(/FAIL {2}privilege .*Application Administrator/);
    expect(text).toContain("needs Privileged Role Administrator or Global Administrator");
  });

  it("recognises a Global Administrator whose token carries no wids claim, from Graph's list of the user's roles", async () => {
    await start({}, signInUser({ tokenOmitsWids: true }));
    const { code, text } = await preflight();
    expect(text).toMatch(/PASS {2}privilege .*Global Administrator/);
    expect(code).toBe(0);
  });

  it("finds the guide's hand-made registration and prints the exact line that takes it over", async () => {
    await start({ applications: [handMade()] });
    const { code, text } = await preflight();
    expect(code).toBe(1);
    expect(text).toMatch(new RegExp(`FAIL {2}namesake {4}'ClearVox Nexxt': a registration made by hand .*${HAND_MADE_APP_ID} \\(created 2025-03-01\\)`));
    expect(text).toContain(`nexxt:existingApplicationId: "${HAND_MADE_APP_ID}"`);
  });

  it("warns about the guide's registration when the stack uses another name, and recognises its own", async () => {
    const own = handMade({ id: "own-object", appId: "11111111-aaaa-4bbb-8ccc-000000000001", displayName: "Nexxt sync", notes: managedNote("nexxt/acme") });
    await start({ applications: [handMade(), own] });
    const { code, text } = await preflight({ displayName: "Nexxt sync" });
    expect(text).toMatch(/PASS {2}namesake {4}'Nexxt sync': the registration of this name is this stack's own/);
    expect(text).toMatch(/WARN {2}namesake {4}'ClearVox Nexxt'/);
    expect(code).toBe(0);
  });

  it("names the tenant policy and its limit when a secret of secretLifetimeDays would be refused", async () => {
    await start({
      defaultAppManagementPolicy: {
        id: "00000000-0000-0000-0000-000000000000",
        displayName: "Default app management tenant policy",
        isEnabled: true,
        applicationRestrictions: {
          passwordCredentials: [{ restrictionType: "passwordLifetime", maxLifetime: "P90D", restrictForAppsCreatedAfterDateTime: "2024-01-01T00:00:00Z" }],
          keyCredentials: [],
        },
      },
    });
    const { code, text } = await preflight({ secretLifetimeDays: 365 });
    expect(code).toBe(1);
    expect(text).toMatch(
      /FAIL {2}policy .*'Default app management tenant policy' limits client secrets to P90D \(90 days, for apps created from 2024-01-01\); nexxt:secretLifetimeDays is 365/,
    );
    expect(text).toContain("CredentialInvalidLifetimeAsPerAppPolicy");
    expect(text).toContain("set nexxt:secretLifetimeDays to 90 or less");
  });

  it("reports a policy that blocks new passwords with Graph's error code", async () => {
    await start({
      defaultAppManagementPolicy: {
        id: "00000000-0000-0000-0000-000000000000",
        displayName: "No secrets",
        isEnabled: true,
        applicationRestrictions: { passwordCredentials: [{ restrictionType: "passwordAddition", maxLifetime: null, restrictForAppsCreatedAfterDateTime: "2019-01-01T00:00:00Z" }] },
      },
    });
    const { code, text } = await preflight();
    expect(code).toBe(1);
    expect(text).toMatch(/FAIL {2}policy .*'No secrets' blocks new client secrets/);
    expect(text).toContain("CredentialTypeNotAllowedAsPerAppPolicy");
    expect(text).toContain("exempt this app");
  });

  it("says the policy could not be checked when the sign-in may not read it (403), and does not pass", async () => {
    await start({}, signInUser({ wids: [DIRECTORY_ROLES.privilegedRoleAdministrator.id] }));
    const { code, text } = await preflight();
    expect(text).toMatch(/SKIP {2}policy .*not checked: Graph refused the sign-in \(403 Authorization_RequestDenied\)/);
    expect(text).toContain("Global Reader");
    expect(text).toMatch(/WARN {2}privilege/);
    expect(text).toMatch(/Not proven: .* could not run/);
    expect(code).toBe(1);
  });

  it("rides out Graph throttling (429 with Retry-After)", async () => {
    await start();
    emulator!.inject({ path: /^\/v1\.0\/policies\/defaultAppManagementPolicy$/, times: 2, fault: { status: 429, retryAfterSeconds: 0 } });
    const { code, text } = await preflight();
    expect(text).toMatch(/PASS {2}policy/);
    expect(code).toBe(0);
  });

  it("shows what a takeover keeps: owners, permissions, consents, secrets; the app's own policy wins over the tenant's", async () => {
    const app = handMade({
      owners: [{ "@odata.type": "#microsoft.graph.user", id: "u-owner", displayName: "Piet", userPrincipalName: "piet@contoso.nl" }],
      requiredResourceAccess: [
        {
          resourceAppId: "00000003-0000-0000-c000-000000000000",
          resourceAccess: [
            { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" },
            { id: "df021288-bdef-4463-88db-98f22de89214", type: "Role" },
          ],
        },
      ],
      passwordCredentials: [{ keyId: "k1", displayName: "made by hand", startDateTime: "2025-03-01T10:00:00Z", endDateTime: "2027-03-01T10:00:00Z", hint: "abc" }],
      appManagementPolicyIds: ["exempt-nexxt"],
    });
    await start({
      applications: [app],
      servicePrincipals: [
        graphServicePrincipal(),
        {
          id: "sp-hand-made",
          appId: HAND_MADE_APP_ID,
          displayName: "ClearVox Nexxt",
          appRoleAssignments: [
            {
              id: "grant-1",
              appRoleId: "df021288-bdef-4463-88db-98f22de89214",
              principalId: "sp-hand-made",
              principalDisplayName: "ClearVox Nexxt",
              principalType: "ServicePrincipal",
              resourceId: GRAPH_SP_ID,
              resourceDisplayName: "Microsoft Graph",
              createdDateTime: "2025-03-01T10:05:00Z",
            },
          ],
        },
      ],
      defaultAppManagementPolicy: {
        id: "00000000-0000-0000-0000-000000000000",
        displayName: "Default app management tenant policy",
        isEnabled: true,
        applicationRestrictions: { passwordCredentials: [{ restrictionType: "passwordAddition", restrictForAppsCreatedAfterDateTime: "2019-01-01T00:00:00Z" }] },
      },
      appManagementPolicies: [{ id: "exempt-nexxt", displayName: "Nexxt exemption", isEnabled: true, restrictions: { passwordCredentials: [] } }],
    });
    const { code, text } = await preflight({ existingApplicationId: HAND_MADE_APP_ID });
    expect(text).not.toMatch(/namesake/);
    expect(text).toMatch(/PASS {2}policy .*'Nexxt exemption' .*assigned to this registration sets no password restriction/);
    expect(text).toMatch(/PASS {2}takeover {4}.*'ClearVox Nexxt' .* is taken over, not created/);
    expect(text).toMatch(/owners: kept: piet@contoso\.nl/);
    expect(text).toMatch(/permissions: listed now: e1fe6dd8-ba31-4d61-89e7-88639da4683d \(delegated\), User\.Read\.All; kept, and pulumi up adds Contacts\.Read/);
    expect(text).toMatch(/consents: granted now: User\.Read\.All; every one is kept, and pulumi up grants Contacts\.Read/);
    expect(text).toMatch(/secrets: 1 existing client secret kept until they expire/);
    expect(code).toBe(0);
  });

  it("fails a takeover of a client ID that is not in the tenant", async () => {
    await start();
    const { code, text } = await preflight({ existingApplicationId: HAND_MADE_APP_ID });
    expect(code).toBe(1);
    expect(text).toMatch(/FAIL {2}takeover {4}.*names no registration in this tenant/);
  });
});
