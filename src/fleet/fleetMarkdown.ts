import type { FleetStatus, FleetView } from "./fleetView";
import type { StackResult } from "./shardRun";

/** GitHub caps a step summary at 1 MiB; the HTML artifact has every row. */
export const SUMMARY_ROWS = 200;

/** A table cell: no pipe, newline or HTML can break out of it. */
function cell(text: string | number | undefined): string {
  if (text === undefined) return "–";
  return String(text)
    .replace(/[\r\n]+/g, " ")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** The job summary: what failed in this run, then the fleet at a glance, most urgent first. */
export function renderFleetMarkdown(view: FleetView, failures: readonly StackResult[]): string {
  const counts = (Object.entries(view.counts) as [FleetStatus, number][])
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(" · ");
  const lines = [`## Nexxt fleet, ${view.at.slice(0, 10)}: ${view.rows.length} customers`, "", counts, ""];
  if (failures.length > 0) {
    lines.push(`### ${failures.length} stack(s) failed in this run`, "", "| Stack | Step | What happened |", "|---|---|---|");
    for (const failure of failures) lines.push(`| ${cell(failure.stack)} | ${cell(`${failure.mode} / ${failure.step}`)} | ${cell(failure.message)} |`);
    lines.push("");
  }
  lines.push("| Stack | Company | Tenant | Secret Nexxt holds | Expires | Days | Next rotation | Last up | Last verify | Status |", "|---|---|---|---|---|---:|---|---|---|---|");
  for (const row of view.rows.slice(0, SUMMARY_ROWS)) {
    lines.push(
      `| ${cell(row.stack)} | ${cell(row.companyId)} | ${cell(row.tenantId)} | ${cell(row.secret)} | ${cell(row.secretExpiresAt?.slice(0, 10))} | ${cell(row.daysLeft)} | ${cell(row.nextRotationAt?.slice(0, 10))} | ${cell(row.lastUpAt?.slice(0, 16).replace("T", " ") ?? "unknown")} | ${cell(row.lastVerifyAt?.slice(0, 16).replace("T", " ") ?? "unknown")} | ${cell(row.note ? `${row.status}: ${row.note}` : row.status)} |`,
    );
  }
  if (view.rows.length > SUMMARY_ROWS) lines.push("", `…and ${view.rows.length - SUMMARY_ROWS} more in the fleet-view artifact (index.html).`);
  return lines.join("\n") + "\n";
}
