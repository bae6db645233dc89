import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";
import { APP_ID, SECRET, TENANT_ID, app, tenant } from "../emulator/fixtures";
import { acmeProject, graphServicePrincipal } from "../preflight/fixtures";
import { LoopbackTls, loopbackTls } from "../support/loopbackTls";

/**
 * preflight signed in through @azure/identity (MSAL) as a service principal, the way the
 * pipeline runs pulumi up: the real CLI in its own process, against the Microsoft stand-in on
 * https://127.0.0.1 (MSAL refuses an http authority). The process trusts the stand-in's
 * throwaway certificate through NODE_EXTRA_CA_CERTS, as a corporate CA would be trusted: the
 * CLI itself has no switch that lowers TLS checks.
 */
const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/nexxt-onboard");
const PIPELINE_ROLES = ["Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All", "Application.Read.All", "Policy.Read.All"];
const OIDC_ASSERTION = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvbmV4eHQ6ZW52aXJvbm1lbnQ6cHJvZCJ9.c2ln";

let scratch: string;
let tls: LoopbackTls;
let emulator: MicrosoftEmulator | undefined;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-tls-"));
  tls = await loopbackTls();
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(appOver = {}) {
  emulator = await startMicrosoftEmulator({
    tls,
    tenants: [tenant({ apps: [app({ roles: PIPELINE_ROLES, federatedAssertions: [OIDC_ASSERTION], ...appOver })], directory: { servicePrincipals: [graphServicePrincipal()] } })],
  });
}

function preflight(env: NodeJS.ProcessEnv, authority = emulator!.url): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = acmeProject();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, "preflight", "--stack", "acme", "--authority-host", authority, "--graph-url", emulator!.url, "--retry-base-ms", "5", "--retries", "1"],
      // A clean environment: no az on PATH matters, no AZURE_* from the machine running the tests.
      { cwd, env: { PATH: process.env.PATH, HOME: scratch, NODE_EXTRA_CA_CERTS: tls.certFile, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function expectNoToken(output: string) {
  for (const token of emulator!.stats.issuedTokens) expect(output.includes(token)).toBe(false);
  expect(output.includes(SECRET)).toBe(false);
  expect(output.includes(OIDC_ASSERTION)).toBe(false);
}

describe("preflight signed in as a service principal (@azure/identity against the https stand-in)", () => {
  it("signs in with ARM_CLIENT_SECRET through the v2.0 endpoint, as the provider does, and passes", async () => {
    await start();
    const { code, stdout, stderr } = await preflight({ ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: APP_ID, ARM_CLIENT_SECRET: SECRET });
    expectNoToken(stdout + stderr);
    expect(stdout).toContain(`signing in with service principal ${APP_ID} with the client secret in ARM_CLIENT_SECRET`);
    expect(stdout).toMatch(/PASS {2}consent .*consented in this tenant/);
    expect(stdout).toMatch(/PASS {2}privilege .*Application\.ReadWrite\.OwnedBy, AppRoleAssignment\.ReadWrite\.All, Application\.Read\.All/);
    expect(stdout).toMatch(/All 7 checks passed\./);
    expect(code).toBe(0);
    const form = emulator!.stats.tokenForms[0];
    expect(form.get("scope")).toBe(`${emulator!.url}/.default`);
    expect(form.get("grant_type")).toBe("client_credentials");
  });

  it("signs in with an OIDC token from ARM_OIDC_TOKEN_FILE_PATH (a federated credential, no secret)", async () => {
    await start();
    const file = path.join(scratch, "oidc-token");
    fs.writeFileSync(file, `${OIDC_ASSERTION}\n`, { mode: 0o600 });
    const { code, stdout, stderr } = await preflight({ ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: APP_ID, ARM_USE_OIDC: "true", ARM_OIDC_TOKEN_FILE_PATH: file });
    expectNoToken(stdout + stderr);
    expect(stdout).toContain("with the OIDC token in ARM_OIDC_TOKEN_FILE_PATH");
    expect(code).toBe(0);
    expect(emulator!.stats.tokenForms[0].get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  });

  it("asks GitHub Actions for its OIDC token (audience api://AzureADTokenExchange) and signs in with it", async () => {
    await start();
    const asked: string[] = [];
    const github = http.createServer((req, res) => {
      asked.push(`${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ value: OIDC_ASSERTION }));
    });
    await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(github.address() as AddressInfo).port}/token?api-version=2.0`;
      const { code, stdout } = await preflight({
        ARM_TENANT_ID: TENANT_ID,
        ARM_CLIENT_ID: APP_ID,
        ARM_USE_OIDC: "true",
        ACTIONS_ID_TOKEN_REQUEST_URL: url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "gh-request-token",
      });
      expect(stdout).toContain("with GitHub Actions' OIDC token");
      expect(asked).toEqual(["/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange Bearer gh-request-token"]);
      expect(stdout.includes("gh-request-token")).toBe(false);
      expect(code).toBe(0);
    } finally {
      github.closeAllConnections();
      await new Promise((resolve) => github.close(resolve));
    }
  });

  it("says the partner app's consent is missing (AADSTS700016) and gives the admin-consent link", async () => {
    await start({ appId: "5e6f7a8b-0000-4000-8000-000000000777" });
    const { code, stdout, stderr } = await preflight({ ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: APP_ID, ARM_CLIENT_SECRET: SECRET });
    expectNoToken(stdout + stderr);
    expect(stdout).toMatch(/FAIL {2}sign-in .*AADSTS700016/);
    expect(stdout).toMatch(new RegExp(`FAIL {2}consent {5}${APP_ID}: not consented in this tenant`));
    expect(stdout).toContain(`${emulator!.url}/${TENANT_ID}/adminconsent?client_id=${APP_ID}`);
    expect(code).toBe(1);
  });

  it("fails consent when the app is in the tenant without admin consent for any Graph permission", async () => {
    await start({ roles: [] });
    const { code, stdout } = await preflight({ ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: APP_ID, ARM_CLIENT_SECRET: SECRET });
    expect(stdout).toMatch(/FAIL {2}consent .*holds no Microsoft Graph application permission in this tenant/);
    expect(stdout).toMatch(/FAIL {2}privilege/);
    expect(stdout).toMatch(/SKIP {2}policy .*403/);
    expect(code).toBe(1);
  });

  it("refuses a plain-http --authority-host in one sentence, before signing in", async () => {
    await start();
    const { code, stderr } = await preflight({ ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: APP_ID, ARM_CLIENT_SECRET: SECRET }, "http://127.0.0.1:9");
    expect(stderr).toMatch(/--authority-host 'http:\/\/127\.0\.0\.1:9' must be an https URL/);
    expect(code).toBe(2);
    expect(emulator!.stats.tokenRequests).toBe(0);
  });
});
