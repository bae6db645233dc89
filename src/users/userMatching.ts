import type { EntraUser } from "./entraUser";
import type { NexxtUser } from "./nexxtUserExport";

/** Which Entra field an address matched; the order is the preference when one user matches on several. */
export const MATCH_FIELDS = ["mail", "userPrincipalName", "proxyAddress"] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

/**
 * matched: exactly one enabled Entra user. disabled: exactly one, but its account is disabled.
 * unmatched: none (or no e-mail in Nexxt). ambiguous: several Entra users, or several Nexxt users
 * claiming the same Entra user: never guessed.
 */
export type MappingStatus = "matched" | "disabled" | "unmatched" | "ambiguous";

export interface MappingRow {
  nexxtUserId: string;
  nexxtName: string;
  email: string;
  /** The Entra object ID to paste into "Extern toepassing ID"; empty unless matched or disabled. */
  externalApplicationId: string;
  matchedBy: MatchField | "";
  status: MappingStatus;
  /** Object IDs of the candidates when ambiguous. */
  candidates: string[];
  /** Why a row is not matched, in words. */
  reason: string;
}

interface IndexedUser {
  id: string;
  enabled: boolean;
}

interface AddressHit {
  user: IndexedUser;
  field: MatchField;
}

const normalise = (address: string) => address.trim().toLowerCase();

/**
 * The SMTP address of a proxyAddresses entry: "SMTP:" is the primary, "smtp:" a secondary
 * (https://learn.microsoft.com/graph/api/resources/user, proxyAddresses). Other types (sip:,
 * x500:, eum:) are not e-mail addresses and never match.
 */
export function smtpAddressOf(proxyAddress: string): string | undefined {
  const match = /^smtp:\s*(.+)$/i.exec(proxyAddress.trim());
  return match ? normalise(match[1]) : undefined;
}

/**
 * Every address of every Entra user, lower-cased, pointing at the users that carry it. Holds only
 * IDs and flags, not the Graph objects, so 100,000 users stay small.
 */
export class EntraAddressIndex {
  private readonly byAddress = new Map<string, AddressHit[]>();
  size = 0;

  add(user: EntraUser): void {
    const indexed: IndexedUser = { id: user.id, enabled: user.accountEnabled !== false };
    this.size++;
    const put = (address: string | null | undefined, field: MatchField) => {
      if (!address) return;
      const key = normalise(address);
      if (key === "") return;
      const hits = this.byAddress.get(key);
      if (hits === undefined) {
        this.byAddress.set(key, [{ user: indexed, field }]);
        return;
      }
      const same = hits.find((hit) => hit.user.id === indexed.id);
      if (same === undefined) hits.push({ user: indexed, field });
      else if (MATCH_FIELDS.indexOf(field) < MATCH_FIELDS.indexOf(same.field)) same.field = field;
    };
    put(user.mail, "mail");
    put(user.userPrincipalName, "userPrincipalName");
    for (const proxy of user.proxyAddresses ?? []) put(smtpAddressOf(proxy), "proxyAddress");
  }

  /** The distinct users carrying this address, each with the best field it matched on. */
  lookup(address: string): readonly AddressHit[] {
    return this.byAddress.get(normalise(address)) ?? [];
  }
}

export function matchNexxtUsers(nexxtUsers: readonly NexxtUser[], index: EntraAddressIndex): MappingRow[] {
  const rows = nexxtUsers.map((nexxt) => matchOne(nexxt, index));
  return flagSharedTargets(rows);
}

function matchOne(nexxt: NexxtUser, index: EntraAddressIndex): MappingRow {
  const base = { nexxtUserId: nexxt.id, nexxtName: nexxt.name, email: nexxt.email, candidates: [] as string[] };
  if (nexxt.email.trim() === "") {
    return { ...base, externalApplicationId: "", matchedBy: "", status: "unmatched", reason: "the Nexxt user has no e-mail address" };
  }
  const hits = index.lookup(nexxt.email);
  if (hits.length === 0) {
    return { ...base, externalApplicationId: "", matchedBy: "", status: "unmatched", reason: "no Entra user has this address as mail, userPrincipalName or SMTP proxy address" };
  }
  if (hits.length > 1) {
    return {
      ...base,
      candidates: hits.map((hit) => hit.user.id),
      externalApplicationId: "",
      matchedBy: "",
      status: "ambiguous",
      reason: `${hits.length} Entra users carry this address; link it by hand`,
    };
  }
  const [{ user, field }] = hits;
  return {
    ...base,
    externalApplicationId: user.id,
    matchedBy: field,
    status: user.enabled ? "matched" : "disabled",
    reason: user.enabled ? "" : "the Entra account is disabled",
  };
}

/** Two Nexxt users resolving to one Entra user would sync the same person twice: flag both. */
function flagSharedTargets(rows: MappingRow[]): MappingRow[] {
  const claims = new Map<string, number>();
  for (const row of rows) {
    if (row.externalApplicationId !== "") claims.set(row.externalApplicationId, (claims.get(row.externalApplicationId) ?? 0) + 1);
  }
  return rows.map((row) => {
    const count = claims.get(row.externalApplicationId) ?? 0;
    if (row.externalApplicationId === "" || count < 2) return row;
    return {
      ...row,
      candidates: [row.externalApplicationId],
      externalApplicationId: "",
      matchedBy: "",
      status: "ambiguous",
      reason: `${count} Nexxt users resolve to the same Entra user; link it by hand`,
    };
  });
}

export interface MappingSummary {
  total: number;
  matched: number;
  unmatched: number;
  ambiguous: number;
  disabled: number;
}

export function summarizeMapping(rows: readonly MappingRow[]): MappingSummary {
  const summary: MappingSummary = { total: rows.length, matched: 0, unmatched: 0, ambiguous: 0, disabled: 0 };
  for (const row of rows) summary[row.status]++;
  return summary;
}
