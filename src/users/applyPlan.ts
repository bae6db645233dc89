import type { MappingRow } from "./userMatching";

/** One Nexxt user to link: set its external application ID to this Entra object ID. */
export interface ApplyItem {
  nexxtUserId: string;
  externalApplicationId: string;
}

/** Matched rows are applied; disabled ones only when asked; not-member, unmatched and ambiguous never. */
export function planApply(rows: readonly MappingRow[], options: { includeDisabled: boolean }): ApplyItem[] {
  return rows
    .filter((row) => row.status === "matched" || (row.status === "disabled" && options.includeDisabled))
    .map((row) => ({ nexxtUserId: row.nexxtUserId, externalApplicationId: row.externalApplicationId }));
}

/** What the Nexxt user holds now, read with GET when the API answers it. */
export type CurrentValue = { known: false } | { known: true; value: string | undefined };

/**
 * already-set: nothing to send. patch: the field is empty (or holds another value and the user
 * asked to overwrite). conflict: the field holds another value (people paste object IDs by hand,
 * as the vendor's guide tells them) and it is kept. unreadable: Nexxt does not answer GET, so an
 * existing value cannot be seen; written only when the user asked to overwrite.
 */
export type ApplyDecision = "already-set" | "patch" | "conflict" | "unreadable";

/** Comparing GUIDs: case and surrounding spaces do not make a different object ID. */
export function decideApply(current: CurrentValue, desired: string, overwriteLinks = false): ApplyDecision {
  if (!current.known) return overwriteLinks ? "patch" : "unreadable";
  if (current.value === undefined) return "patch";
  if (current.value.trim().toLowerCase() === desired.trim().toLowerCase()) return "already-set";
  return overwriteLinks ? "patch" : "conflict";
}

/**
 * A journal line: written after Nexxt confirmed the value, so a re-run skips it. It says what
 * was written where: the user's resource URL (base, path and encoded ID) and the field. A re-run
 * against another Nexxt, another URL or another field finds no line of its own and sends again.
 */
export interface JournalEntry {
  /** The Nexxt user resource the value was written to, e.g. https://pbx.example.nl/api/users/42. */
  target: string;
  field: string;
  nexxtUserId: string;
  externalApplicationId: string;
  outcome: "patched" | "already-set";
  /**
   * What the field held before this write, when it held another value (only with
   * --overwrite-links): kept so the change can be undone by writing it back.
   */
  previous?: string;
  at: string;
}

/** What applyMappings records; the command adds target and field. */
export type ApplyRecord = Omit<JournalEntry, "target" | "field">;

export function journalLine(entry: JournalEntry): string {
  return JSON.stringify(entry) + "\n";
}

/** The journal's key: where and which field. */
export function journalKey(target: string, field: string): string {
  return JSON.stringify([target, field]);
}

/**
 * What earlier runs finished: journalKey(target, field) -> the value confirmed. A torn last line
 * (a crash mid-write) is ignored, so that user is simply done again; so are lines of the older
 * format without target and field (they cannot say where they were written).
 */
export function readJournal(text: string): Map<string, string> {
  const done = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const entry = JSON.parse(line) as Partial<JournalEntry>;
      if (typeof entry.target === "string" && typeof entry.field === "string" && typeof entry.externalApplicationId === "string") {
        done.set(journalKey(entry.target, entry.field), entry.externalApplicationId);
      }
    } catch {
      // A partial line from an interrupted run: not done.
    }
  }
  return done;
}

/** Items an earlier run already confirmed with the same value at the same place are skipped without a request. */
export function pendingItems(
  items: readonly ApplyItem[],
  journal: ReadonlyMap<string, string>,
  where: { targetOf(nexxtUserId: string): string; field: string },
): { pending: ApplyItem[]; doneEarlier: ApplyItem[] } {
  const pending: ApplyItem[] = [];
  const doneEarlier: ApplyItem[] = [];
  for (const item of items) {
    const confirmed = journal.get(journalKey(where.targetOf(item.nexxtUserId), where.field));
    if (confirmed !== undefined && confirmed.toLowerCase() === item.externalApplicationId.toLowerCase()) doneEarlier.push(item);
    else pending.push(item);
  }
  return { pending, doneEarlier };
}
