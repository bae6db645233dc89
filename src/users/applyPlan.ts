import type { MappingRow } from "./userMatching";

/** One Nexxt user to link: set its external application ID to this Entra object ID. */
export interface ApplyItem {
  nexxtUserId: string;
  externalApplicationId: string;
}

/** Matched rows are applied; disabled ones only when asked; unmatched and ambiguous never. */
export function planApply(rows: readonly MappingRow[], options: { includeDisabled: boolean }): ApplyItem[] {
  return rows
    .filter((row) => row.status === "matched" || (row.status === "disabled" && options.includeDisabled))
    .map((row) => ({ nexxtUserId: row.nexxtUserId, externalApplicationId: row.externalApplicationId }));
}

/** What the Nexxt user holds now, read with GET when the API answers it. */
export type CurrentValue = { known: false } | { known: true; value: string | undefined };

export type ApplyDecision = "already-set" | "patch";

/** Comparing GUIDs: case and surrounding spaces do not make a different object ID. */
export function decideApply(current: CurrentValue, desired: string): ApplyDecision {
  if (!current.known || current.value === undefined) return "patch";
  return current.value.trim().toLowerCase() === desired.trim().toLowerCase() ? "already-set" : "patch";
}

/** A journal line: written after Nexxt confirmed the value, so a re-run skips it. */
export interface JournalEntry {
  nexxtUserId: string;
  externalApplicationId: string;
  outcome: "patched" | "already-set";
  at: string;
}

export function journalLine(entry: JournalEntry): string {
  return JSON.stringify(entry) + "\n";
}

/**
 * What earlier runs finished: Nexxt user ID -> the value confirmed. A torn last line (a crash
 * mid-write) is ignored, so that user is simply done again.
 */
export function readJournal(text: string): Map<string, string> {
  const done = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const entry = JSON.parse(line) as Partial<JournalEntry>;
      if (typeof entry.nexxtUserId === "string" && typeof entry.externalApplicationId === "string") {
        done.set(entry.nexxtUserId, entry.externalApplicationId);
      }
    } catch {
      // A partial line from an interrupted run: not done.
    }
  }
  return done;
}

/** Items an earlier run already confirmed with the same value are skipped without a request. */
export function pendingItems(items: readonly ApplyItem[], journal: ReadonlyMap<string, string>): { pending: ApplyItem[]; doneEarlier: ApplyItem[] } {
  const pending: ApplyItem[] = [];
  const doneEarlier: ApplyItem[] = [];
  for (const item of items) {
    const confirmed = journal.get(item.nexxtUserId);
    if (confirmed !== undefined && confirmed.toLowerCase() === item.externalApplicationId.toLowerCase()) doneEarlier.push(item);
    else pending.push(item);
  }
  return { pending, doneEarlier };
}
