import type { DeployedFacts } from "./dueStacks";
import type { FleetStack } from "./readFleet";
import type { RunRecord } from "./runRecord";
import type { StackResult } from "./shardRun";
import { scheduleForStack } from "./stackSchedule";
import { utcTimestamp, DAY_MS } from "../util/time";

export type FleetStatus = "failed" | "invalid" | "expired" | "expiring" | "not-deployed" | "drift" | "ok";

/** One customer in the fleet view. Only what is safe to publish: IDs, dates, never a secret. */
export interface FleetRow {
  stack: string;
  companyId?: string;
  nexxtUrl?: string;
  tenantId?: string;
  applicationId?: string;
  /**
   * Which secret Nexxt holds: the schedule's slot and generation when the deployed expiry is the
   * schedule's active one, "behind schedule" when it is older. Never the value.
   */
  secret?: string;
  /** When the secret Nexxt holds expires (from the deployed, masked outputs). */
  secretExpiresAt?: string;
  daysLeft?: number;
  nextRotationAt?: string;
  lastUpAt?: string;
  lastVerifyAt?: string;
  status: FleetStatus;
  /** Why the status is not ok, one sentence. */
  note?: string;
}

export interface TimelineEvent {
  stack: string;
  kind: "rotation" | "expiry";
  at: string;
}

export interface FleetView {
  at: string;
  withinDays: number;
  rows: FleetRow[];
  /** Rotations and secret expiries in the next 365 days, across the fleet. */
  events: TimelineEvent[];
  counts: Record<FleetStatus, number>;
}

export const TIMELINE_DAYS = 365;
const URGENCY: Record<FleetStatus, number> = { failed: 0, invalid: 1, expired: 2, expiring: 3, "not-deployed": 4, drift: 5, ok: 6 };

export interface FleetViewInput {
  stacks: readonly FleetStack[];
  deployed: ReadonlyMap<string, DeployedFacts>;
  runs: ReadonlyMap<string, RunRecord>;
  /** This run's outcomes (failures show first). */
  results: readonly StackResult[];
  at: Date;
  /** A secret expiring within this many days needs attention (as secrets-report --within). */
  withinDays: number;
}

/** The fleet at `at`: one row per customer, most urgent first, and the next year's events. Pure. */
export function fleetView(input: FleetViewInput): FleetView {
  const now = input.at.getTime();
  const resultOf = new Map<string, StackResult>();
  for (const result of input.results) if (result.outcome !== "ok" || !resultOf.has(result.stack)) resultOf.set(result.stack, result);
  const rows: FleetRow[] = [];
  const events: TimelineEvent[] = [];
  for (const entry of input.stacks) {
    const deployed = input.deployed.get(entry.stack);
    const run = input.runs.get(entry.stack);
    const row: FleetRow = {
      stack: entry.stack,
      companyId: entry.settings?.companyId,
      nexxtUrl: entry.settings?.nexxtUrl,
      tenantId: entry.settings?.tenantId,
      applicationId: deployed?.applicationId,
      secretExpiresAt: deployed ? utcTimestamp(new Date(Date.parse(deployed.secretExpiresAt))) : undefined,
      lastUpAt: run?.lastUpAt,
      lastVerifyAt: run?.lastVerifyAt,
      status: "ok",
    };
    if (deployed) {
      row.daysLeft = Math.floor((Date.parse(deployed.secretExpiresAt) - now) / DAY_MS);
      if (Date.parse(deployed.secretExpiresAt) - now <= TIMELINE_DAYS * DAY_MS && row.daysLeft >= 0) events.push({ stack: entry.stack, kind: "expiry", at: row.secretExpiresAt! });
    }
    if (entry.settings) {
      const rotation = entry.settings.rotation;
      const schedule = scheduleForStack(entry.stack, input.at, rotation);
      row.nextRotationAt = utcTimestamp(schedule.nextRotationAt);
      if (deployed) {
        const held = Date.parse(deployed.secretExpiresAt);
        row.secret =
          held === schedule.active.endDate.getTime()
            ? `slot ${schedule.active.slot}, gen. ${schedule.active.generation}`
            : held < schedule.active.endDate.getTime()
              ? "behind schedule"
              : "off schedule";
      }
      events.push(...scheduledEvents(entry.stack, input.at, rotation));
    }
    const result = resultOf.get(entry.stack);
    if (result && result.outcome !== "ok") [row.status, row.note] = [result.outcome === "drift" ? "drift" : "failed", result.message];
    else if (!entry.settings) [row.status, row.note] = ["invalid", entry.problem];
    else if (!deployed) [row.status, row.note] = ["not-deployed", "no deployed outputs (never applied, or not readable)"];
    else if (row.daysLeft! < 0) [row.status, row.note] = ["expired", "the secret Nexxt holds has expired"];
    else if (row.daysLeft! <= input.withinDays) [row.status, row.note] = ["expiring", `the secret Nexxt holds expires within ${input.withinDays} days`];
    rows.push(row);
  }
  rows.sort((a, b) => URGENCY[a.status] - URGENCY[b.status] || (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || a.stack.localeCompare(b.stack));
  const counts = Object.fromEntries(Object.keys(URGENCY).map((status) => [status, 0])) as Record<FleetStatus, number>;
  for (const row of rows) counts[row.status]++;
  events.sort((a, b) => a.at.localeCompare(b.at) || a.stack.localeCompare(b.stack));
  return { at: utcTimestamp(input.at), withinDays: input.withinDays, rows, events, counts };
}

/**
 * The schedule's rotations in the next year, and the end dates of the secrets they issue that
 * fall in it, walking from one rotation to the next through the adapter (per stack once the
 * schedule is spread).
 */
function scheduledEvents(stack: string, at: Date, rotation: Parameters<typeof scheduleForStack>[2]): TimelineEvent[] {
  const end = at.getTime() + TIMELINE_DAYS * DAY_MS;
  const events: TimelineEvent[] = [];
  let next = scheduleForStack(stack, at, rotation).nextRotationAt;
  for (let guard = 0; next.getTime() <= end && guard < TIMELINE_DAYS; guard++) {
    events.push({ stack, kind: "rotation", at: utcTimestamp(next) });
    const issued = scheduleForStack(stack, next, rotation);
    if (issued.active.endDate.getTime() <= end) events.push({ stack, kind: "expiry", at: utcTimestamp(issued.active.endDate) });
    next = issued.nextRotationAt;
  }
  return events;
}
