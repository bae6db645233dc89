/**
 * The Microsoft emulator in a process of its own, for the benchmark: its memory and CPU (building
 * 100,000 users' pages) then do not count against the CLI being measured. Started with fork();
 * reports its URL over IPC and answers {type: "stats"} with its request counts.
 */
import type { EntraUser } from "../users/entraUser";
import { startMicrosoftEmulator } from "./microsoftEmulator";
import { APP_ID, SECRET, TENANT_ID } from "./fakeCredentials";

/** A deterministic, realistic user: mail, UPN, a primary and an alias SMTP address, a SIP address; every 50th disabled. */
export function benchUser(index: number): EntraUser {
  const hex = index.toString(16).padStart(12, "0");
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    displayName: `User ${index}`,
    mail: `user${index}@contoso.nl`,
    userPrincipalName: `u${index}@contoso.onmicrosoft.com`,
    proxyAddresses: [`SMTP:user${index}@contoso.nl`, `smtp:alias${index}@contoso.com`, `SIP:user${index}@contoso.nl`],
    accountEnabled: index % 50 !== 0,
  };
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_USERS ?? 100_000);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
  const emulator = await startMicrosoftEmulator({
    tenants: [{ tenantId: TENANT_ID, apps: [{ appId: APP_ID, secrets: [{ value: SECRET }], roles: ["User.Read.All", "Contacts.Read"] }], users: { count, make: benchUser } }],
    latencyMs,
  });
  process.on("message", (message: { type?: string }) => {
    if (message.type === "stats") {
      process.send?.({ type: "stats", tokenRequests: emulator.stats.tokenRequests, graphRequests: emulator.stats.graphRequests, rssBytes: process.memoryUsage().rss });
    }
    if (message.type === "stop") void emulator.close().then(() => process.exit(0));
  });
  // The benchmark died (or finished without saying stop): do not linger as an orphan.
  process.on("disconnect", () => void emulator.close().then(() => process.exit(0)));
  process.send?.({ type: "ready", url: emulator.url });
}

if (require.main === module) void main();
