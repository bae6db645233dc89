import { UserError } from "../errors";

/**
 * What the pipeline remembers of a stack between runs: when `up` and `verify` last succeeded.
 * Neither is in the stack's outputs (an output that changes on every run would make every
 * preview show a change), so the fleet report keeps one small JSON file per stack, carried from
 * run to run in the Actions cache. Losing it costs nothing but "unknown" in the fleet view and
 * a one-day look-back in `due`: the deployed outputs still show a missed rotation.
 */
export interface RunRecord {
  stack: string;
  /** ISO 8601 of the last successful `pulumi up`. */
  lastUpAt?: string;
  /** ISO 8601 of the last `verify` that passed every check. */
  lastVerifyAt?: string;
}

export function parseRunRecord(value: unknown, source: string): RunRecord {
  const record = value as Record<string, unknown> | null;
  if (typeof record !== "object" || record === null || typeof record.stack !== "string") {
    throw new UserError(`${source} is not a run record: expected {"stack": "<name>", "lastUpAt"?: "<ISO date>", "lastVerifyAt"?: "<ISO date>"}.`);
  }
  const date = (key: "lastUpAt" | "lastVerifyAt"): string | undefined => {
    const field = record[key];
    if (field === undefined) return undefined;
    if (typeof field !== "string" || Number.isNaN(Date.parse(field))) {
      throw new UserError(`${source}: '${key}' must be an ISO 8601 date such as 2026-12-01T05:17:00Z.`);
    }
    return field;
  };
  return { stack: record.stack, lastUpAt: date("lastUpAt"), lastVerifyAt: date("lastVerifyAt") };
}

/** A later outcome moves a date forward only when it succeeded; a failure keeps the last success. */
export function mergeRunRecord(previous: RunRecord | undefined, stack: string, outcome: { upOkAt?: string; verifyOkAt?: string }): RunRecord {
  return {
    stack,
    lastUpAt: outcome.upOkAt ?? previous?.lastUpAt,
    lastVerifyAt: outcome.verifyOkAt ?? previous?.lastVerifyAt,
  };
}
