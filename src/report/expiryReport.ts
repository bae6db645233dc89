import type { ConnectorDocument } from "../nexxt/connectorDocument";
import { utcTimestamp, DAY_MS } from "../util/time";

export type ExpiryStatus = "expired" | "expiring" | "ok" | "unreadable";

export interface ExpiryRow {
  stack: string;
  file: string;
  tenantId?: string;
  companyId?: string;
  expiresAt?: string;
  /** Whole days from now to expiry; negative once expired. */
  daysLeft?: number;
  status: ExpiryStatus;
  /** Why the file could not be read (unreadable rows only). */
  problem?: string;
}

export type ReadResult = { stack: string; file: string; document: ConnectorDocument } | { stack: string; file: string; problem: string };

const URGENCY: Record<ExpiryStatus, number> = { unreadable: 0, expired: 1, expiring: 2, ok: 3 };

/**
 * One row per customer, most urgent first: files that could not be read (nobody knows when
 * those expire), then expired, then expiring within `withinDays`, each by days left. Pure.
 */
export function expiryReport(results: readonly ReadResult[], now: Date, withinDays: number): ExpiryRow[] {
  const rows = results.map((result): ExpiryRow => {
    if ("problem" in result) return { stack: result.stack, file: result.file, status: "unreadable", problem: result.problem };
    const { document } = result;
    const daysLeft = Math.floor((Date.parse(document.secretExpiresAt) - now.getTime()) / DAY_MS);
    const status: ExpiryStatus = daysLeft < 0 ? "expired" : daysLeft <= withinDays ? "expiring" : "ok";
    return {
      stack: result.stack,
      file: result.file,
      tenantId: document.tenantId,
      companyId: document.companyId,
      expiresAt: utcTimestamp(new Date(Date.parse(document.secretExpiresAt))),
      daysLeft,
      status,
    };
  });
  return rows.sort((a, b) => URGENCY[a.status] - URGENCY[b.status] || (a.daysLeft ?? 0) - (b.daysLeft ?? 0) || a.stack.localeCompare(b.stack));
}

export function needsAttention(rows: readonly ExpiryRow[]): boolean {
  return rows.some((row) => row.status !== "ok");
}

export function renderExpiryReport(rows: readonly ExpiryRow[], withinDays: number): string {
  if (rows.length === 0) return "No connector configurations found.";
  const header = ["STACK", "TENANT", "COMPANY", "EXPIRES", "DAYS LEFT", "STATUS"];
  const body = rows.map((row) => [
    row.stack,
    row.tenantId ?? "-",
    row.companyId ?? "-",
    row.expiresAt?.slice(0, 10) ?? "-",
    row.daysLeft === undefined ? "-" : String(row.daysLeft),
    row.status === "unreadable" ? `unreadable: ${row.problem}` : row.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (i === 5 ? 0 : cells[i].length))));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ");
  const attention = rows.filter((row) => row.status !== "ok").length;
  const summary =
    attention === 0
      ? `All ${rows.length} secrets are valid for more than ${withinDays} days.`
      : `${attention} of ${rows.length} need attention (expired, expiring within ${withinDays} days, or unreadable).`;
  return [line(header), ...body.map(line), "", summary].join("\n");
}
