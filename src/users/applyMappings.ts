import { utcTimestamp } from "../util/time";
import { ApplyItem, ApplyRecord, decideApply } from "./applyPlan";
import { NexxtApiError, NexxtUserApi } from "./nexxtUserApi";

export interface ApplyFailure extends ApplyItem {
  error: string;
}

/** A user written; `previous` is the other value the field held, replaced on request (--overwrite-links). */
export interface PatchedItem extends ApplyItem {
  previous?: string;
}

/** A user whose field holds another object ID, kept as it is. */
export interface ConflictItem extends ApplyItem {
  current: string;
}

export interface ApplyReport {
  patched: PatchedItem[];
  alreadySet: ApplyItem[];
  failed: ApplyFailure[];
  conflicts: ConflictItem[];
  /** Set when Nexxt does not answer GET and overwriting was not asked for: nothing more is sent. */
  stoppedUnreadable?: { notSent: number };
  /** Set when Nexxt refused the token for several users in a row and the rest were not sent. */
  stoppedOnAuth?: { consecutive: number; status: number; notSent: number };
}

/** Refusals of the token in a row after which nothing more is sent: a wrong token fails every user alike. */
export const MAX_CONSECUTIVE_AUTH_FAILURES = 3;

export interface ApplyOptions {
  concurrency: number;
  /** Called once Nexxt confirmed a user, before the next one starts: the resume journal. */
  record(entry: ApplyRecord): void;
  /** After each user, done or failed. */
  onSettled?(done: number): void;
  now(): Date;
  /**
   * Once aborted (Ctrl-C, SIGTERM), no further user is started; the HTTP layer, given the same
   * signal as stopRetries, starts no further request and ends the waits before retries at once,
   * while the attempt in flight finishes. A user cut short is neither done nor failed: the next
   * run reads it again.
   */
  signal?: AbortSignal;
  /** Replace a different value Nexxt holds (journaled as `previous`); without it, such a user is a conflict and kept. */
  overwriteLinks?: boolean;
}

/**
 * Sends the links to Nexxt with at most `concurrency` requests in flight. A failure is recorded
 * and the rest carry on; nothing failed is journaled, so a re-run retries exactly those.
 */
export async function applyMappings(items: readonly ApplyItem[], api: NexxtUserApi, options: ApplyOptions): Promise<ApplyReport> {
  const report: ApplyReport = { patched: [], alreadySet: [], failed: [], conflicts: [] };
  let next = 0;
  let settled = 0;
  let authFailuresInARow = 0;
  let stopped = false;
  const worker = async () => {
    while (next < items.length && !stopped && !options.signal?.aborted) {
      const item = items[next++];
      try {
        const current = await api.read(item.nexxtUserId);
        const decision = decideApply(current, item.externalApplicationId, options.overwriteLinks === true);
        authFailuresInARow = 0;
        if (decision === "unreadable") {
          if (!stopped) {
            stopped = true;
            report.stoppedUnreadable = { notSent: items.length - next + 1 };
          }
          continue;
        }
        if (decision === "conflict") {
          report.conflicts.push({ ...item, current: current.known && current.value !== undefined ? current.value : "" });
          options.onSettled?.(++settled);
          continue;
        }
        const previous = decision === "patch" && current.known && current.value !== undefined ? current.value : undefined;
        if (decision === "patch") await api.write(item.nexxtUserId, item.externalApplicationId);
        if (decision === "patch") report.patched.push(previous === undefined ? item : { ...item, previous });
        else report.alreadySet.push(item);
        options.record({ ...item, outcome: decision === "patch" ? "patched" : "already-set", ...(previous === undefined ? {} : { previous }), at: utcTimestamp(options.now()) });
      } catch (err) {
        if (!(err instanceof NexxtApiError)) throw err;
        // Cut short by Ctrl-C or SIGTERM: not sent as far as this run knows; the next run reads it again.
        if (err.canceled) continue;
        report.failed.push({ ...item, error: err.message });
        if (err.status === 401 || err.status === 403) {
          authFailuresInARow++;
          if (authFailuresInARow >= MAX_CONSECUTIVE_AUTH_FAILURES && !stopped) {
            stopped = true;
            report.stoppedOnAuth = { consecutive: authFailuresInARow, status: err.status, notSent: items.length - next };
          }
        } else {
          authFailuresInARow = 0;
        }
      }
      options.onSettled?.(++settled);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker);
  await Promise.all(workers);
  return report;
}
