import type { CliIo } from "../../src/cli/io";
import { memoryIo } from "../../src/cli/io";
import type { EntraUser } from "../../src/users/entraUser";
import type { EmulatedApp, EmulatedTenant } from "../../src/emulator/microsoftEmulator";
import { APP_ID, SECRET, TENANT_ID } from "../../src/emulator/fakeCredentials";

export { APP_ID, NEXXT_API_TOKEN, SECRET, TENANT_ID } from "../../src/emulator/fakeCredentials";

export function app(over: Partial<EmulatedApp> = {}): EmulatedApp {
  return { appId: APP_ID, secrets: [{ value: SECRET }], roles: ["User.Read.All", "Contacts.Read"], ...over };
}

export function tenant(over: Partial<EmulatedTenant> = {}): EmulatedTenant {
  return {
    tenantId: TENANT_ID,
    apps: [app()],
    users: [
      { id: "u-1", displayName: "Ann", mail: "ann@contoso.nl", userPrincipalName: "ann@contoso.nl", proxyAddresses: ["SMTP:ann@contoso.nl"], accountEnabled: true },
      { id: "u-2", displayName: "Bob", mail: "bob@contoso.nl", userPrincipalName: "bob@contoso.nl", proxyAddresses: [], accountEnabled: true },
    ] as EntraUser[],
    ...over,
  };
}

/** Flags that point the CLI at the emulator, with fast retries so fault tests stay quick. */
export function emulatorFlags(url: string): string[] {
  return ["--tenant-id", TENANT_ID, "--client-id", APP_ID, "--authority-host", url, "--graph-url", url, "--retry-base-ms", "5", "--timeout-ms", "5000"];
}

export function testIo(over: Partial<CliIo> = {}) {
  return memoryIo({ env: { NEXXT_CLIENT_SECRET: SECRET }, ...over });
}

/** Everything the command wrote, to search for secrets. */
export function allOutput(io: { out: string[]; err: string[] }): string {
  return [...io.out, ...io.err].join("\n");
}

/** Fails naming which secret leaked (by position, never quoting it). */
export function expectNoSecrets(io: { out: string[]; err: string[] }, secrets: string[]): void {
  const text = allOutput(io);
  const leaked = secrets.map((secret, index) => (secret && text.includes(secret) ? index : -1)).filter((index) => index >= 0);
  expect(leaked).toEqual([]);
}
