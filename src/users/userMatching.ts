import { setImmediate } from "node:timers/promises";
import type { EntraUser } from "./entraUser";
import type { NexxtUser } from "./nexxtUserExport";
import { hasControlCharacters } from "../identifiers";

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
 * Matches Entra users against the Nexxt users as they stream in, page by page: the Nexxt
 * addresses are indexed once, each Entra user is checked on arrival and dropped unless it hits,
 * so the work overlaps Graph's latency and memory holds only the Entra users that matched.
 * A hit is a number: (position of the stored Entra user) x 4 + field rank.
 */
export class EntraUserMatcher {
  private readonly byEmail = new Map<string, number | number[]>();
  private readonly hits = new Map<number, number | number[]>();
  private readonly ids: string[] = [];
  private readonly enabled: boolean[] = [];
  /** Per slot, the first slot holding the same object ID (Graph may list a user twice): shared targets are counted on these numbers, not on ID strings. */
  private readonly firstSlotOf: number[] = [];
  private readonly slotOfId = new Map<string, number>();
  /** Entra users offered so far, matched or not. */
  seen = 0;
  /** Entra users skipped because their id is missing, empty or not text. */
  withoutId = 0;

  /** `indexed`: how many Nexxt users to index now (all, unless `inSlices` indexes the rest). */
  constructor(
    private readonly nexxtUsers: readonly NexxtUser[],
    indexed = nexxtUsers.length,
  ) {
    this.index(0, indexed);
  }

  /**
   * The same matcher, its index built a slice at a time with the event loop let through in
   * between: 100,000 addresses take ~35 ms, and an Entra page arriving meanwhile would wait that
   * long before its successor is requested.
   */
  static async inSlices(nexxtUsers: readonly NexxtUser[], slice = 10_000): Promise<EntraUserMatcher> {
    const matcher = new EntraUserMatcher(nexxtUsers, 0);
    for (let from = 0; from < nexxtUsers.length; from += slice) {
      matcher.index(from, Math.min(from + slice, nexxtUsers.length));
      await setImmediate();
    }
    return matcher;
  }

  private index(from: number, to: number): void {
    for (let position = from; position < to; position++) {
      const key = normalise(this.nexxtUsers[position].email);
      if (key === "") continue;
      const entry = this.byEmail.get(key);
      this.byEmail.set(key, entry === undefined ? position : typeof entry === "number" ? [entry, position] : [...entry, position]);
    }
  }

  add(user: EntraUser): void {
    this.seen++;
    // Only a user with an object ID can be linked: one without would be "matched" and sent to
    // Nexxt as an empty or null ID.
    if (typeof user?.id !== "string" || user.id.trim() === "" || hasControlCharacters(user.id)) {
      this.withoutId++;
      return;
    }
    let slot = -1;
    const offer = (address: string | null | undefined, rank: number) => {
      if (!address) return;
      const entry = this.byEmail.get(normalise(address));
      if (entry === undefined) return;
      if (slot === -1) {
        slot = this.ids.length;
        this.ids.push(user.id);
        this.enabled.push(user.accountEnabled !== false);
        const first = this.slotOfId.get(user.id);
        if (first === undefined) this.slotOfId.set(user.id, slot);
        this.firstSlotOf.push(first ?? slot);
      }
      for (const position of typeof entry === "number" ? [entry] : entry) this.record(position, slot * 4 + rank);
    };
    offer(user.mail, 0);
    offer(user.userPrincipalName, 1);
    for (const proxy of user.proxyAddresses ?? []) offer(smtpAddressOf(proxy), 2);
  }

  /**
   * One row per Nexxt user, in the export's order. Two Nexxt users resolving to one Entra user
   * would sync the same person twice: both are flagged ambiguous. The claims are counted while
   * the rows are made, on slot numbers (the work after the last page is what the user waits for).
   */
  rows(): MappingRow[] {
    const claims = new Uint32Array(this.ids.length);
    /** Per row, the first slot of the Entra user it links to, or -1. */
    const targets = new Int32Array(this.nexxtUsers.length).fill(-1);
    const rows = this.nexxtUsers.map((nexxt, position) => {
      const row = this.rowOf(nexxt, position);
      if (row.externalApplicationId !== "") claims[(targets[position] = this.firstSlotOf[Math.floor((this.hits.get(position) as number) / 4)])]++;
      return row;
    });
    rows.forEach((row, position) => {
      const count = targets[position] === -1 ? 0 : claims[targets[position]];
      if (count < 2) return;
      row.candidates = [row.externalApplicationId];
      row.externalApplicationId = "";
      row.matchedBy = "";
      row.status = "ambiguous";
      row.reason = `${count} Nexxt users resolve to the same Entra user; link it by hand`;
    });
    return rows;
  }

  /** Keeps one hit per Entra user and Nexxt user: the best field. */
  private record(position: number, code: number): void {
    const entry = this.hits.get(position);
    if (entry === undefined) {
      this.hits.set(position, code);
      return;
    }
    const codes = typeof entry === "number" ? [entry] : entry;
    const slot = Math.floor(code / 4);
    const same = codes.findIndex((existing) => Math.floor(existing / 4) === slot);
    if (same === -1) codes.push(code);
    else codes[same] = Math.min(codes[same], code);
    this.hits.set(position, codes.length === 1 ? codes[0] : codes);
  }

  private rowOf(nexxt: NexxtUser, position: number): MappingRow {
    // Plain literals, no spreads: this runs 100,000 times at the end of a large run.
    const row = (externalApplicationId: string, matchedBy: MappingRow["matchedBy"], status: MappingStatus, candidates: string[], reason: string): MappingRow => ({
      nexxtUserId: nexxt.id,
      nexxtName: nexxt.name,
      email: nexxt.email,
      externalApplicationId,
      matchedBy,
      status,
      candidates,
      reason,
    });
    if (nexxt.email.trim() === "") return row("", "", "unmatched", [], "the Nexxt user has no e-mail address");
    const entry = this.hits.get(position);
    if (entry === undefined) return row("", "", "unmatched", [], "no Entra user has this address as mail, userPrincipalName or SMTP proxy address");
    if (typeof entry !== "number") {
      return row(
        "",
        "",
        "ambiguous",
        entry.map((code) => this.ids[Math.floor(code / 4)]),
        `${entry.length} Entra users carry this address; link it by hand`,
      );
    }
    const slot = Math.floor(entry / 4);
    const enabled = this.enabled[slot];
    return row(this.ids[slot], MATCH_FIELDS[entry % 4], enabled ? "matched" : "disabled", [], enabled ? "" : "the Entra account is disabled");
  }
}

/** Matches a complete list at once: the same rules as streaming. */
export function matchNexxtUsers(nexxtUsers: readonly NexxtUser[], entraUsers: Iterable<EntraUser>): MappingRow[] {
  const matcher = new EntraUserMatcher(nexxtUsers);
  for (const user of entraUsers) matcher.add(user);
  return matcher.rows();
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
