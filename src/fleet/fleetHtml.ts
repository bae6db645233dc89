import { escape } from "html-escaper";
import type { FleetRow, FleetStatus, FleetView } from "./fleetView";
import { timelineSvg } from "./timelineSvg";

const STATUS_LABEL: Record<FleetStatus, string> = {
  failed: "failed this run",
  invalid: "invalid stack file",
  expired: "expired",
  expiring: "expiring",
  "not-deployed": "not deployed",
  drift: "drift",
  ok: "ok",
};

const day = (iso?: string) => (iso ? iso.slice(0, 10) : "–");
const when = (iso?: string) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "unknown");

/**
 * The fleet view as one self-contained HTML page (inline CSS and SVG, no script, no external
 * request), for the workflow artifact. Every value goes through html-escaper: stack files and
 * outputs are reviewed, but a display name or URL with '<' must stay text.
 */
export function renderFleetHtml(view: FleetView): string {
  const date = view.at.slice(0, 10);
  const counts = (Object.keys(STATUS_LABEL) as FleetStatus[])
    .filter((status) => view.counts[status] > 0)
    .map((status) => `<span class="badge ${status}">${escape(`${view.counts[status]} ${STATUS_LABEL[status]}`)}</span>`)
    .join(" ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(`Nexxt Office 365 fleet, ${date}`)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;margin:24px;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.meta{color:#475569;margin:0 0 12px}
.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;background:#e2e8f0;color:#0f172a;white-space:nowrap}
.badge.ok{background:#dcfce7;color:#166534}.badge.expiring,.badge.drift{background:#fef3c7;color:#92400e}
.badge.expired,.badge.failed,.badge.invalid{background:#fee2e2;color:#991b1b}.badge.not-deployed{background:#e0e7ff;color:#3730a3}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top}
th{background:#f8fafc;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#475569;position:sticky;top:0}
td.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;white-space:nowrap}td.num{text-align:right}td.stack,td.date{white-space:nowrap}td.status{min-width:200px}
.note{color:#475569;font-size:12px}.legend span{margin-right:16px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
</style>
</head>
<body>
<h1>Nexxt Office 365 connectors: ${escape(String(view.rows.length))} customers</h1>
<p class="meta">As of ${escape(`${date} ${view.at.slice(11, 16)} UTC`)}. Secrets expiring within ${escape(String(view.withinDays))} days need attention. This page holds no secret: dates and IDs only.</p>
<p>${counts}</p>
<h2>Rotations and expiries, next 12 months</h2>
<p class="legend"><span><i class="sw" style="background:#2563eb"></i>rotations (a new secret is issued)</span><span><i class="sw" style="background:#ea580c"></i>secret expiries</span></p>
<figure>${timelineSvg(view.events, new Date(view.at))}</figure>
<h2>Customers, most urgent first</h2>
<table>
<thead><tr><th>Stack</th><th>Company</th><th>Tenant / application</th><th>Secret Nexxt holds</th><th>Expires</th><th class="num">Days</th><th>Next rotation</th><th>Last up</th><th>Last verify</th><th>Status</th></tr></thead>
<tbody>
${view.rows.map(rowHtml).join("\n")}
</tbody>
</table>
</body>
</html>
`;
}

function rowHtml(row: FleetRow): string {
  const company = escape(row.companyId ?? "–") + (row.nexxtUrl ? `<div class="note">${escape(row.nexxtUrl)}</div>` : "");
  const status = `<span class="badge ${row.status}">${escape(STATUS_LABEL[row.status])}</span>${row.note ? `<div class="note">${escape(row.note)}</div>` : ""}`;
  return (
    `<tr><td class="stack">${escape(row.stack)}</td><td>${company}</td>` +
    `<td class="id">${escape(row.tenantId ?? "–")}<br>${escape(row.applicationId ?? "–")}</td><td class="date">${escape(row.secret ?? "–")}</td>` +
    `<td class="date">${escape(day(row.secretExpiresAt))}</td><td class="num">${escape(row.daysLeft === undefined ? "–" : String(row.daysLeft))}</td>` +
    `<td class="date">${escape(day(row.nextRotationAt))}</td><td class="date">${escape(when(row.lastUpAt))}</td><td class="date">${escape(when(row.lastVerifyAt))}</td><td class="status">${status}</td></tr>`
  );
}
