import { utcTimestamp } from "../util/time";
import { ApplyItem, ApplyRecord, decideApply } from "./applyPlan";
import { NexxtApiError, NexxtUserApi } from "./nexxtUserApi";

export interface ApplyFailure extends ApplyItem {
  error: string;
}

export interface ApplyReport {
  patched: ApplyItem[];
  alreadySet: ApplyItem[];
  failed: ApplyFailure[];
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
  /** Once aborted (Ctrl-C), no further user is started; those in flight finish and are journaled. */
  signal?: AbortSignal;
}

/**
 * Sends the links to Nexxt with at most `concurrency` requests in flight. A failure is recorded
 * and the rest carry on; nothing failed is journaled, so a re-run retries exactly those.
 */
export async function applyMappings(items: readonly ApplyItem[], api: NexxtUserApi, options: ApplyOptions): Promise<ApplyReport> {
  const report: ApplyReport = { patched: [], alreadySet: [], failed: [] };
  let next = 0;
  let settled = 0;
  let authFailuresInARow = 0;
  let stopped = false;
  const worker = async () => {
    while (next < items.length && !stopped && !options.signal?.aborted) {
      const item = items[next++];
      try {
        const decision = decideApply(await api.read(item.nexxtUserId), item.externalApplicationId);
        if (decision === "patch") await api.write(item.nexxtUserId, item.externalApplicationId);
        const outcome = decision === "patch" ? "patched" : "already-set";
        (outcome === "patched" ? report.patched : report.alreadySet).push(item);
        options.record({ ...item, outcome, at: utcTimestamp(options.now()) });
        authFailuresInARow = 0;
      } catch (err) {
        if (!(err instanceof NexxtApiError)) throw err;
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
