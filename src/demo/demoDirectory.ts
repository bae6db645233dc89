import type { EntraUser } from "../users/entraUser";

/**
 * The demo's customer: a small directory that shows every outcome map-users has. Pure and
 * deterministic, so the README's transcript and the tests see the same people.
 *  - most users match on mail; every fifth Nexxt user is exported with an alias that only an
 *    `smtp:` proxy address carries;
 *  - one account is disabled (flagged, not linked);
 *  - one is a guest of another organisation (userType Guest: flagged, never linked);
 *  - info@ is a proxy address of two Entra users: ambiguous, never guessed;
 *  - one Nexxt user (a former employee) has no Entra account: unmatched.
 */
export const DEMO_TENANT_ID = "d3e0d3e0-de70-4000-8000-000000000001";
export const DEMO_DOMAIN = "contoso-demo.nl";
export const DEMO_COMPANY_ID = "4711";
export const DEMO_USER_COUNT = 300;
export const DISABLED_INDEX = 7;
export const GUEST_INDEX = 23;
export const AMBIGUOUS_ADDRESS = `info@${DEMO_DOMAIN}`;

const FIRST = [
  "Anna",
  "Bram",
  "Chloë",
  "Daan",
  "Emma",
  "Finn",
  "Gijs",
  "Hanna",
  "Isa",
  "Jesse",
  "Lotte",
  "Milan",
  "Noor",
  "Olaf",
  "Puck",
  "Ruben",
  "Sanne",
  "Thijs",
  "Vera",
  "Wouter",
];
const LAST = ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen"];

export interface DemoNexxtUser {
  id: string;
  name: string;
  email: string;
}

function person(index: number): { first: string; last: string } {
  return { first: FIRST[index % FIRST.length], last: LAST[Math.floor(index / FIRST.length) % LAST.length] };
}

/** "Chloë de Vries" -> "chloe.devries": what a mail address makes of a name. */
function localPart(index: number): string {
  const { first, last } = person(index);
  const plain = (text: string) =>
    text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z]/g, "")
      .toLowerCase();
  return `${plain(first)}.${plain(last)}${index >= FIRST.length * LAST.length ? index : ""}`;
}

export function demoEntraUsers(): EntraUser[] {
  return Array.from({ length: DEMO_USER_COUNT }, (_, index) => {
    const { first, last } = person(index);
    const mail = `${localPart(index)}@${DEMO_DOMAIN}`;
    const proxyAddresses = [`SMTP:${mail}`];
    if (index % 5 === 0) proxyAddresses.push(`smtp:${localPart(index).split(".")[0]}${index}@${DEMO_DOMAIN}`);
    if (index === 12 || index === 13) proxyAddresses.push(`smtp:${AMBIGUOUS_ADDRESS}`);
    return {
      id: `0000${index.toString(16).padStart(4, "0")}-de70-4000-8000-${(index * 7919).toString(16).padStart(12, "0")}`,
      displayName: `${first} ${last}`,
      mail,
      userPrincipalName: `${localPart(index)}@contosodemo.onmicrosoft.com`,
      proxyAddresses,
      accountEnabled: index !== DISABLED_INDEX,
      userType: index === GUEST_INDEX ? "Guest" : "Member",
    };
  });
}

/** The Nexxt side: the same people (IDs 1001...), as Nexxt's Dutch CSV export names its columns. */
export function demoNexxtUsers(): DemoNexxtUser[] {
  const users: DemoNexxtUser[] = [];
  demoEntraUsers().forEach((user, index) => {
    // Entra user 13 is only there to make info@ ambiguous; Nexxt knows user 12 by that address.
    if (index === 13) return;
    const alias = (user.proxyAddresses ?? []).find((address) => address.startsWith("smtp:") && !address.endsWith(AMBIGUOUS_ADDRESS));
    const email = index === 12 ? AMBIGUOUS_ADDRESS : alias !== undefined ? alias.slice("smtp:".length) : (user.mail ?? "");
    users.push({ id: String(1001 + index), name: user.displayName ?? "", email });
  });
  users.push({ id: String(1001 + DEMO_USER_COUNT), name: "Oud Medewerker", email: `oud.medewerker@${DEMO_DOMAIN}` });
  return users;
}

/** Nexxt's export: `;`-separated with a BOM, as Excel on a Dutch Windows writes it. */
export function demoNexxtCsv(users: readonly DemoNexxtUser[]): string {
  const field = (text: string) => (/[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return "\ufeffgebruikerId;naam;e-mailadres\r\n" + users.map((user) => [user.id, user.name, user.email].map(field).join(";")).join("\r\n") + "\r\n";
}
