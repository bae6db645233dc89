import * as fs from "node:fs";
import * as path from "node:path";
import { GRAPH_PERMISSIONS } from "../../src/catalogue/graphPermissions";
import { MICROSOFT_GRAPH_APP_ID } from "../../src/catalogue/clouds";
import type { EmulatedServicePrincipal } from "../../src/emulator/directoryEndpoints";
import type { EmulatedSignInUser } from "../../src/emulator/microsoftEmulator";
import { DIRECTORY_ROLES } from "../../src/preflight/signInPrivilege";
import { stackYaml, tempProject } from "../support/tempProject";
import { TENANT_ID } from "../emulator/fixtures";

export const GRAPH_SP_ID = "6a9d1e3b-0000-4000-8000-00000000a001";

/** Microsoft Graph's service principal as a tenant has it: every app role this tool knows. */
export function graphServicePrincipal(): EmulatedServicePrincipal {
  return {
    id: GRAPH_SP_ID,
    appId: MICROSOFT_GRAPH_APP_ID,
    displayName: "Microsoft Graph",
    appRoles: [...GRAPH_PERMISSIONS.values()].map((p) => ({ id: p.id, value: p.name, displayName: p.description, allowedMemberTypes: ["Application"], isEnabled: true })),
  };
}

export const ADMIN_PASSWORD = "correct horse battery staple";

export function signInUser(over: Partial<EmulatedSignInUser> = {}): EmulatedSignInUser {
  return {
    id: "0c1d2e3f-0000-4000-8000-0000000000ad",
    userPrincipalName: "admin@contoso.nl",
    password: ADMIN_PASSWORD,
    wids: [DIRECTORY_ROLES.globalAdministrator.id],
    scopes: ["Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Directory.AccessAsUser.All", "Policy.Read.All"],
    ...over,
  };
}

/** A project with one stack, acme, for the emulator's tenant. */
export function acmeProject(config: Record<string, unknown> = {}): string {
  return tempProject({ acme: stackYaml({ tenantId: TENANT_ID, companyId: "12345", rotationStart: "2026-01-01", ...config }) });
}

/**
 * A stand-in for the Azure CLI on PATH: `az account get-access-token --resource R [--tenant T]`
 * gets a user's token from the emulator (password grant) and prints it as az does
 * (accessToken, expiresOn, expires_on, tenant, tokenType). Without FAKE_AZ_USER it answers as a
 * logged-out az does.
 */
export function writeFakeAz(dir: string): string {
  const bin = path.join(dir, "fake-az-bin");
  fs.mkdirSync(bin, { recursive: true });
  const script = `#!/usr/bin/env node
const args = process.argv.slice(2);
const arg = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
if (args[0] !== "account" || args[1] !== "get-access-token") { process.stderr.write("ERROR: fake az knows only account get-access-token\\n"); process.exit(2); }
if (!process.env.FAKE_AZ_USER) { process.stderr.write("ERROR: Please run 'az login' to setup account.\\n"); process.exit(1); }
const tenant = arg("--tenant") || process.env.FAKE_AZ_TENANT;
const form = new URLSearchParams({ grant_type: "password", client_id: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", username: process.env.FAKE_AZ_USER, password: process.env.FAKE_AZ_PASSWORD || "", resource: arg("--resource") });
fetch(process.env.FAKE_AZ_LOGIN + "/" + tenant + "/oauth2/token", { method: "POST", body: form }).then(async (res) => {
  const body = await res.json();
  if (!res.ok) { process.stderr.write("ERROR: " + body.error_description.split("\\r\\n")[0] + "\\n"); process.exit(1); }
  const expires = Number(body.expires_on);
  process.stdout.write(JSON.stringify({ accessToken: body.access_token, expiresOn: new Date(expires * 1000).toISOString().replace("T", " ").replace("Z", ""), expires_on: expires, subscription: "00000000-0000-0000-0000-00000000cafe", tenant, tokenType: "Bearer" }, null, 2) + "\\n");
});
`;
  fs.writeFileSync(path.join(bin, "az"), script, { mode: 0o755 });
  return bin;
}
