import { escape } from "html-escaper";
import type { TimelineEvent } from "./fleetView";
import { DAY_MS } from "../util/time";

const WEEKS = 53;
const WIDTH = 960;
const HEIGHT = 240;
const LEFT = 44;
const AXIS_Y = 120;
const BAR_MAX = 80;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** How many events of each kind fall in each week from `at`, for the next 53 weeks. */
export function weeklyCounts(events: readonly TimelineEvent[], at: Date): { rotations: number[]; expiries: number[] } {
  const rotations = new Array<number>(WEEKS).fill(0);
  const expiries = new Array<number>(WEEKS).fill(0);
  for (const event of events) {
    const week = Math.floor((Date.parse(event.at) - at.getTime()) / (7 * DAY_MS));
    if (week < 0 || week >= WEEKS) continue;
    (event.kind === "rotation" ? rotations : expiries)[week]++;
  }
  return { rotations, expiries };
}

/**
 * The next twelve months across the fleet, one column per week: rotations above the line,
 * secret expiries below it. Hand-written SVG (a dozen elements kinds, no chart library needed);
 * every text is escaped.
 */
export function timelineSvg(events: readonly TimelineEvent[], at: Date): string {
  const { rotations, expiries } = weeklyCounts(events, at);
  const peak = Math.max(1, ...rotations, ...expiries);
  const step = (WIDTH - LEFT - 16) / WEEKS;
  const barWidth = Math.max(2, step - 3);
  const scale = (count: number) => (count === 0 ? 0 : Math.max(2, (count / peak) * BAR_MAX));
  const parts: string[] = [];
  rotations.forEach((count, week) => {
    if (count === 0) return;
    const h = scale(count);
    parts.push(
      `<rect class="rotation" x="${(LEFT + week * step).toFixed(1)}" y="${(AXIS_Y - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"><title>${escape(`week of ${weekStart(at, week)}: ${count} rotation(s)`)}</title></rect>`,
    );
  });
  expiries.forEach((count, week) => {
    if (count === 0) return;
    const h = scale(count);
    parts.push(
      `<rect class="expiry" x="${(LEFT + week * step).toFixed(1)}" y="${AXIS_Y + 1}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"><title>${escape(`week of ${weekStart(at, week)}: ${count} secret expiry(ies)`)}</title></rect>`,
    );
  });
  // Month ticks where a month begins.
  const ticks: string[] = [];
  for (let day = 0; day < WEEKS * 7; day++) {
    const date = new Date(at.getTime() + day * DAY_MS);
    if (date.getUTCDate() !== 1) continue;
    const x = LEFT + (day / 7) * step;
    const label = date.getUTCMonth() === 0 ? `${MONTHS[0]} ${date.getUTCFullYear()}` : MONTHS[date.getUTCMonth()];
    ticks.push(
      `<line class="tick" x1="${x.toFixed(1)}" y1="${AXIS_Y - BAR_MAX - 6}" x2="${x.toFixed(1)}" y2="${AXIS_Y + BAR_MAX + 6}"/><text class="month" x="${(x + 3).toFixed(1)}" y="${HEIGHT - 8}">${escape(label)}</text>`,
    );
  }
  const total = (list: number[]) => list.reduce((sum, n) => sum + n, 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">${escape(`Next 12 months from ${at.toISOString().slice(0, 10)}: ${total(rotations)} rotations, ${total(expiries)} secret expiries`)}</title>`,
    `<style>.rotation{fill:#2563eb}.expiry{fill:#ea580c}.axis{stroke:#334155;stroke-width:1}.tick{stroke:#cbd5e1;stroke-dasharray:2 3}.month,.label{font:12px system-ui,sans-serif;fill:#334155}.today{stroke:#16a34a;stroke-width:2}</style>`,
    ...ticks,
    `<line class="axis" x1="${LEFT}" y1="${AXIS_Y}" x2="${WIDTH - 16}" y2="${AXIS_Y}"/>`,
    `<line class="today" x1="${LEFT}" y1="${AXIS_Y - BAR_MAX - 10}" x2="${LEFT}" y2="${AXIS_Y + BAR_MAX + 10}"/>`,
    `<text class="label" x="4" y="${AXIS_Y - BAR_MAX + 4}">${peak}</text>`,
    `<text class="label" x="4" y="${AXIS_Y - 6}">rot.</text>`,
    `<text class="label" x="4" y="${AXIS_Y + 16}">exp.</text>`,
    `<text class="label" x="4" y="${AXIS_Y + BAR_MAX + 4}">${peak}</text>`,
    ...parts,
    `</svg>`,
  ].join("\n");
}

function weekStart(at: Date, week: number): string {
  return new Date(at.getTime() + week * 7 * DAY_MS).toISOString().slice(0, 10);
}
