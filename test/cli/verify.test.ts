import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { APP_ID, SECRET, TENANT_ID, allOutput, app, emulatorFlags, expectNoSecrets, tenant, testIo } from "../emulator/fixtures";
import { MicrosoftEmulator, MicrosoftEmulatorOptions, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";

let emulator: MicrosoftEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: Partial<MicrosoftEmulatorOptions> = {}): Promise<MicrosoftEmulator> {
  emulator = await startMicrosoftEmulator({ tenants: [tenant()], ...options });
  return emulator;
}

async function verify(extra: string[] = [], ioOver = {}) {
  const io = testIo(ioOver);
  const code = await run(["verify", ...emulatorFlags(emulator!.url), ...extra], io);
  // Whatever happened, neither the secret nor any token the emulator issued may appear.
  expectNoSecrets(io, [SECRET, ...emulator!.stats.issuedTokens]);
  return { code, io, text: allOutput(io) };
}

async function verifyJson(extra: string[] = []) {
  const { code, io } = await verify(["--json", ...extra]);
  return {
    code,
    report: JSON.parse(io.out.join("\n")) as {
      ok: boolean;
      rounds: number;
      checks: Array<{ kind: string; subject: string; verdict: string; explanation?: { cause: string; fix: string } }>;
    },
  };
}

describe("verify against the emulator", () => {
  it("passes every check for a consented app, sending the v1 form exactly as Nexxt does", async () => {
    await start();
    const { code, text } = await verify();
    expect(code).toBe(0);
    expect(text).toMatch(/PASS {2}token/);
    expect(text).toMatch(/PASS {2}permission {2}User\.Read\.All/);
    expect(text).toMatch(/PASS {2}permission {2}Contacts\.Read/);
    expect(text).toMatch(/PASS {2}users/);
    expect(text).toMatch(/PASS {2}contacts/);
    expect(text).toContain("All 5 checks passed.");
    const form = emulator!.stats.tokenForms[0];
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_id")).toBe(APP_ID);
    expect(form.get("client_secret")).toBe(SECRET);
    expect(form.get("resource")).toBe(emulator!.url);
  });

  it.each([
    ["a wrong secret (AADSTS7000215)", { apps: [app({ secrets: [{ value: "other" }] })] }, /7000215/, /Value, not its Secret ID/],
    ["an expired secret (AADSTS7000222)", { apps: [app({ secrets: [{ value: SECRET, expiresAt: new Date("2020-01-01") }] })] }, /7000222/, /secret has expired/],
    ["an app not in the tenant (AADSTS700016)", { apps: [app({ appId: "99999999-9999-9999-9999-999999999999" })] }, /700016/, /no application with this client ID/],
    ["a disabled app (AADSTS7000112)", { apps: [app({ disabled: true })] }, /7000112/, /disabled/],
  ])("fails the token check on %s, explains it and skips the rest", async (_what, tenantOver, code, cause) => {
    await start({ tenants: [tenant(tenantOver)] });
    const { code: exit, text } = await verify();
    expect(exit).toBe(1);
    expect(text).toMatch(/FAIL {2}token/);
    expect(text).toMatch(code);
    expect(text).toMatch(cause);
    expect(text).toMatch(/SKIP {2}permission {2}User\.Read\.All: not checked: no token/);
    expect(emulator!.stats.graphRequests).toBe(0);
  });

  it("explains an unknown tenant (AADSTS90002)", async () => {
    await start({ tenants: [tenant({ tenantId: "00000000-0000-0000-0000-000000000000" })] });
    const { code, report } = await verifyJson();
    expect(code).toBe(1);
    expect(report.checks[0].explanation?.cause).toMatch(/tenant was not found/);
  });

  it("explains a resource Graph does not know in the tenant (AADSTS500011)", async () => {
    await start({ acceptedResources: ["https://graph.microsoft.us"] });
    const { code, report } = await verifyJson();
    expect(code).toBe(1);
    expect(report.checks[0].explanation?.cause).toMatch(/Microsoft Graph\) was not found/);
  });

  it("fails when the token has no roles (no admin consent), and Graph's 403 Authorization_RequestDenied says why", async () => {
    await start({ tenants: [tenant({ apps: [app({ roles: [] })] })] });
    const { code, text } = await verify();
    expect(code).toBe(1);
    expect(text).toMatch(/PASS {2}token/);
    expect(text).toMatch(/FAIL {2}permission {2}User\.Read\.All: the token has no roles claim at all/);
    expect(text).toMatch(/FAIL {2}users .*Authorization_RequestDenied/);
    expect(text).toMatch(/consent for User\.Read\.All is missing/);
    expect(text).toMatch(/SKIP {2}contacts/);
  });

  it("fails Contacts.Read alone when only User.Read.All was granted; the contacts probe gets ErrorAccessDenied", async () => {
    await start({ tenants: [tenant({ apps: [app({ roles: ["User.Read.All"] })] })] });
    const { code, report } = await verifyJson();
    expect(code).toBe(1);
    const verdicts = Object.fromEntries(report.checks.map((c) => [`${c.kind}:${c.subject.split("?")[0]}`, c.verdict]));
    expect(verdicts).toMatchObject({
      "permission:User.Read.All": "pass",
      "permission:Contacts.Read": "fail",
      "users:/v1.0/users": "pass",
      "contacts:/v1.0/users/{id}/contacts": "fail",
    });
    expect(report.checks.find((c) => c.kind === "contacts")?.explanation?.cause).toMatch(/ErrorAccessDenied.*Contacts\.Read/);
  });

  it("warns about roles beyond the expected ones but still passes", async () => {
    await start({ tenants: [tenant({ apps: [app({ roles: ["User.Read.All", "Contacts.Read", "Mail.Read"] })] })] });
    const { code, text } = await verify();
    expect(code).toBe(0);
    expect(text).toMatch(/WARN {2}extra-roles Mail\.Read: granted but not expected[\s\S]*All 5 checks passed \(1 warning\)\./);
  });

  it("checks only the permissions asked for with --permissions (no contacts probe without Contacts.Read)", async () => {
    await start({ tenants: [tenant({ apps: [app({ roles: ["User.Read.All"] })] })] });
    const { code, report } = await verifyJson(["--permissions", "user.read.all"]);
    expect(code).toBe(0);
    expect(report.checks.map((c) => c.kind)).toEqual(["token", "permission", "users"]);
  });

  it("reads contacts of the next user when the first has no mailbox, and fails when none of the first five has one", async () => {
    const users = Array.from({ length: 6 }, (_, i) => ({ id: `u-${i}`, mail: `u${i}@x.nl`, userPrincipalName: `u${i}@x.nl`, accountEnabled: true }));
    await start({ tenants: [tenant({ users, mailboxless: ["u-0"] })] });
    expect((await verify()).code).toBe(0);
    await emulator!.close();
    await start({ tenants: [tenant({ users, mailboxless: users.map((u) => u.id) })] });
    const { code, text } = await verify();
    expect(code).toBe(1);
    expect(text).toMatch(/none of the first 5 users has a mailbox/);
  });

  it("rides out a 429 burst with Retry-After, a 503 and dropped connections", async () => {
    await start();
    emulator!.inject({ path: /oauth2\/token$/, times: 1, fault: { drop: true } });
    emulator!.inject({ path: /^\/v1\.0\/users$/, times: 2, fault: { status: 429, retryAfterSeconds: 0 } });
    emulator!.inject({ path: /contacts$/, times: 1, fault: { status: 503 } });
    emulator!.inject({ path: /contacts$/, times: 1, fault: { drop: true } });
    const { code } = await verify();
    expect(code).toBe(0);
    expect(emulator!.stats.tokenRequests).toBe(2);
    expect(emulator!.stats.graphRequests).toBe(6);
  });

  it("exits 3 when the token endpoint keeps failing after the retries", async () => {
    await start();
    emulator!.inject({ path: /oauth2\/token$/, times: 10, fault: { status: 503 } });
    const { code, text } = await verify(["--retries", "2"]);
    expect(code).toBe(3);
    expect(text).toMatch(/after 3 attempts/);
    expect(emulator!.stats.tokenRequests).toBe(3);
  });

  it("exits 3 when nothing listens at the authority host", async () => {
    await start();
    const url = emulator!.url;
    await emulator!.close();
    const io = testIo();
    const code = await run(["verify", ...emulatorFlags(url), "--retries", "1"], io);
    emulator = await startMicrosoftEmulator({ tenants: [] });
    expect(code).toBe(3);
    expect(allOutput(io)).toMatch(/ECONNREFUSED/);
  });

  it("--wait retries until the grant reaches the token service", async () => {
    await start({ tenants: [tenant({ apps: [app({ rolesAfterTokenRequests: 2 })] })] });
    const { code, report } = await verifyJson(["--wait", "10", "--wait-step-ms", "10"]);
    expect(code).toBe(0);
    expect(report.rounds).toBe(3);
  });

  it("--wait gives up when time runs out and shows progress on a terminal only", async () => {
    await start({ tenants: [tenant({ apps: [app({ roles: [] })] })] });
    const { code, io } = await verify(["--wait", "1", "--wait-step-ms", "50"], { isTTY: true });
    expect(code).toBe(1);
    expect(io.err.join("\n")).toMatch(/verify --wait .* round \d+: \d+ failing/);
    expect(emulator!.stats.tokenRequests).toBeGreaterThan(1);
    const quiet = await verify(["--wait", "1", "--wait-step-ms", "400", "--json"], { isTTY: true });
    expect(quiet.io.err).toEqual([]);
  });

  it("reads tenant, app, secret and authority from --config, and never prints the apiKey", async () => {
    await start();
    const dir = mkdtempSync(path.join(tmpdir(), "verify-"));
    const file = path.join(dir, "contoso.nexxt.json");
    writeFileSync(
      file,
      JSON.stringify({
        applicationId: APP_ID,
        apiKey: SECRET,
        oauth2TokenEndpoint: `${emulator!.url}/${TENANT_ID}/oauth2/token`,
        tenantId: TENANT_ID,
        companyId: "42",
        secretExpiresAt: "2030-01-01T00:00:00Z",
        permissions: ["User.Read.All"],
      }),
    );
    const io = testIo({ env: {} });
    const code = await run(["verify", "--config", file, "--graph-url", emulator!.url, "--retry-base-ms", "5"], io);
    expect(code).toBe(0);
    expect(allOutput(io)).toContain(`${emulator!.url}/${TENANT_ID}/oauth2/token`);
    // The document lists only User.Read.All, so no contacts probe, and Contacts.Read is an extra role.
    expect(allOutput(io)).toMatch(/WARN {2}extra-roles Contacts\.Read/);
    expectNoSecrets(io, [SECRET, ...emulator!.stats.issuedTokens]);
  });
});

describe("verify input errors (exit 2, one sentence, nothing sent)", () => {
  it.each([
    [["--tenant-id", TENANT_ID, "--client-id", APP_ID], {}, /Environment variable NEXXT_CLIENT_SECRET is empty or not set/],
    [["--tenant-id", TENANT_ID, "--client-id", APP_ID, "--client-secret-env", "MY_SECRET"], { NEXXT_CLIENT_SECRET: SECRET }, /MY_SECRET is empty or not set/],
    [["--tenant-id", TENANT_ID], { NEXXT_CLIENT_SECRET: SECRET }, /Give --config <connector\.json>, or both --tenant-id and --client-id/],
    [["--tenant-id", TENANT_ID, "--client-id", "not-a-guid"], { NEXXT_CLIENT_SECRET: SECRET }, /--client-id 'not-a-guid' is not a GUID/],
    [["--tenant-id", TENANT_ID, "--client-id", APP_ID, "--authority-host", "http://login.example.com"], { NEXXT_CLIENT_SECRET: SECRET }, /must use https/],
    [["--tenant-id", TENANT_ID, "--client-id", APP_ID, "--permissions", "Mail.Reed"], { NEXXT_CLIENT_SECRET: SECRET }, /--permissions name 'Mail\.Reed'/],
    [["--tenant-id", TENANT_ID, "--client-id", APP_ID, "--wait", "-1"], { NEXXT_CLIENT_SECRET: SECRET }, /--wait '-1'/],
    [["--config", "missing.json"], {}, /--config missing\.json does not exist/],
    [["--tenant-id", TENANT_ID, "--client-id", APP_ID, "--cloud", "mars"], { NEXXT_CLIENT_SECRET: SECRET }, /cloud/],
  ])("%j", async (args, env, message) => {
    const io = testIo({ env });
    expect(await run(["verify", ...args], io)).toBe(2);
    expect(io.err.join("\n")).toMatch(message);
    expectNoSecrets(io, [SECRET]);
  });

  it("has help with examples", async () => {
    const io = testIo();
    expect(await run(["verify", "--help"], io)).toBe(0);
    expect(io.out.join("\n")).toMatch(/Examples:[\s\S]*verify --config/);
  });
});
