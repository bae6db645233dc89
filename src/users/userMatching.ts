import { setImmediate } from "node:timers/promises";
import { EntraUser, malformedField } from "./entraUser";
import type { NexxtUser } from "./nexxtUserExport";
import { hasControlCharacters } from "../identifiers";
import { UserError } from "../errors";
import { ExitCode } from "../exitCodes";

/** Which Entra field an address matched; the order is the preference when one user matches on several. */
export const MATCH_FIELDS = ["mail", "userPrincipalName", "proxyAddress"] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

/**
 * matched: exactly one enabled Entra member. disabled: exactly one, but its account is disabled.
 * not-member: exactly one, but a guest (userType Guest) or another type than Member.
 * unmatched: none (or no e-mail in Nexxt). ambiguous: several Entra users, or several Nexxt users
 * claiming the same Entra user: never guessed. conflict: matched, but Nexxt already holds another
 * object ID for this user, which was kept (set by --apply, see applyMappings).
 */
export type MappingStatus = "matched" | "disabled" | "not-member" | "unmatched" | "ambiguous" | "conflict";

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
  /**
   * What Nexxt's field held when --apply found another value there: kept (status conflict), or
   * replaced with --overwrite-links (the value to put back to undo). Empty otherwise.
   */
  nexxtHeld: string;
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
  /** Per slot: "" when the account may be linked by default, else why not (and the status it gets). */
  private readonly excluded: { status: MappingStatus; reason: string }[] = [];
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
    const malformed = malformedField(user);
    if (malformed !== undefined) {
      // Skipping the user could make a shared address look unique and link the wrong person: stop.
      throw new UserError(
        `Graph's answer for Entra user ${user.id} has a '${malformed.field}' that is not ${malformed.expected} (Graph documents it as such), so the directory cannot be matched safely; nothing was sent to Nexxt. Run again; if it repeats, something between this machine and Graph is changing its answers.`,
        ExitCode.RemoteFailed,
      );
    }
    let slot = -1;
    const offer = (address: string | null | undefined, rank: number) => {
      if (!address) return;
      const entry = this.byEmail.get(normalise(address));
      if (entry === undefined) return;
      if (slot === -1) {
        slot = this.ids.length;
        this.ids.push(user.id);
        this.excluded.push(exclusionOf(user));
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
      nexxtHeld: "",
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
    const excluded = this.excluded[slot];
    return row(this.ids[slot], MATCH_FIELDS[entry % 4], excluded.status, [], excluded.reason);
  }
}

const LINKABLE = { status: "matched", reason: "" } as const;

/**
 * Whether a matched Entra account may be linked by default. A guest is a person of another
 * organisation; an account of any other type than Member is not one of the customer's people
 * either. Graph may leave userType out (older accounts, or a $select it ignored): counted as a
 * member, as before userType was read.
 */
function exclusionOf(user: EntraUser): { status: MappingStatus; reason: string } {
  const type = user.userType;
  if (typeof type === "string" && type.trim() !== "" && type.trim().toLowerCase() !== "member") {
    return type.trim().toLowerCase() === "guest"
      ? { status: "not-member", reason: "the Entra account is a guest (userType Guest), not a member of the tenant" }
      : { status: "not-member", reason: `the Entra account's userType is '${type.slice(0, 40)}', not Member` };
  }
  if (user.accountEnabled === false) return { status: "disabled", reason: "the Entra account is disabled" };
  return LINKABLE;
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
  /** Guests and other non-member accounts: never linked by default. */
  notMember: number;
  /** Matched, but Nexxt holds another object ID, which --apply kept. */
  conflict: number;
}

const SUMMARY_KEY: Record<MappingStatus, Exclude<keyof MappingSummary, "total">> = {
  matched: "matched",
  unmatched: "unmatched",
  ambiguous: "ambiguous",
  disabled: "disabled",
  "not-member": "notMember",
  conflict: "conflict",
};

export function summarizeMapping(rows: readonly MappingRow[]): MappingSummary {
  const summary: MappingSummary = { total: rows.length, matched: 0, unmatched: 0, ambiguous: 0, disabled: 0, notMember: 0, conflict: 0 };
  for (const row of rows) summary[SUMMARY_KEY[row.status]]++;
  return summary;
}
