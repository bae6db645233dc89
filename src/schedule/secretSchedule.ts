/**
 * Which client secrets exist on a given date, and which one Nexxt must hold: a pure function of
 * the date, the rotation settings (with the stack's `nexxt:rotationStart`) and the stack name, so
 * it is tested over many inputs and previewed with `plan --at` and `due`.
 *
 * The rule (lifetime L, rotation R, overlap O, all in whole UTC days; config demands L >= R + O):
 * - The anchor A is the day of `nexxt:rotationStart`, the day the stack's first secret is issued.
 *   The jitter j is FNV-1a of the stack name modulo max(1, floor(R / 2)), so 0 <= j < R.
 * - Generation k is issued on b_0 = A, b_k = A + k·R − j (k >= 1), in slot a (k even) or b (k
 *   odd), and ends on b_k + L. So the first secret is valid for its full lifetime, and forty stacks
 *   created on one day with the same settings issue their second (and every later) secret on
 *   up to floor(R / 2) different days.
 * - Nexxt is given generation k on its issue day b_k (pushed, or written to the connector file);
 *   the other slot keeps generation k − 1 while it is valid for more than a day, marked `retain`
 *   for the O days after b_k in which Nexxt (or a person copying the file) may still use it.
 * - Without `nexxt:rotationStart` (stacks created by an earlier version of this tool) A = 0 (the
 *   Unix epoch) and j = 0: exactly the fleet-wide grid of that version, so the upgrade run
 *   replaces no secret. `validate` lists such stacks so the partner can add the key.
 * - Before A there is nothing to issue: secretScheduleAt refuses with one sentence (the program
 *   and `plan --at` report it before any resource).
 *
 * Why it is safe:
 * - Overlap: generation k − 1 is valid until b_{k−1} + L. Since b_k − b_{k−1} <= R (R − j for
 *   k = 1, R after) and L >= R + O, b_{k−1} + L >= b_k − R + L >= b_k + O: after Nexxt is given
 *   generation k, the one it held stays valid for at least O more days.
 * - Slot reuse: generation k − 1's slot is next written on b_{k+1} = b_k + R, and its `retain`
 *   ends on b_k + O. With R > O (every default) a daily run therefore never replaces a secret
 *   Nexxt may hold. With R <= O the run on b_{k+1} may replace one still marked `retain` (with
 *   R = O on the epoch grid it has lapsed by then; an anchored first secret outlives it by j
 *   days): it is retained (below) and expires by itself.
 * - The secrets Nexxt may still hold are marked `retain` (Pulumi's retainOnDelete, recorded in the
 *   state), so a run that replaces one anyway (a config change such as adding
 *   `nexxt:rotationStart`, a gap of months between runs) leaves it in Entra until it expires
 *   instead of deleting it.
 */
import { UserError } from "../errors";
import { utcTimestamp, DAY_MS } from "../util/time";

export interface RotationSettings {
  lifetimeDays: number;
  rotationDays: number;
  overlapDays: number;
  /** `nexxt:rotationStart` (UTC midnight): the day the first secret is issued. Absent: the epoch grid. */
  rotationStart?: Date;
}

export type SlotName = "a" | "b";

export interface ScheduledSecret {
  slot: SlotName;
  generation: number;
  /** The day (UTC midnight) the generation is issued and handed to Nexxt. */
  periodStart: Date;
  /** The end date set on the credential (UTC midnight). */
  endDate: Date;
  /** Nexxt may hold it: a run that replaces it anyway must not delete it (retainOnDelete). */
  retain: boolean;
}

export interface SecretSchedule {
  /** The secret Nexxt must hold today: what the connector configuration carries. */
  active: ScheduledSecret;
  /** The other slot's secret: the previous generation while it is still valid. */
  previous?: ScheduledSecret;
  /** When the next generation is issued (and handed to Nexxt). */
  nextRotationAt: Date;
  /** This stack's shift of every issue day after the first, in days (0 on the epoch grid). */
  jitterDays: number;
}

export function utcDayNumber(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS);
}

function dayToDate(day: number): Date {
  return new Date(day * DAY_MS);
}

export function slotOfGeneration(generation: number): SlotName {
  return generation % 2 === 0 ? "a" : "b";
}

/** FNV-1a (32 bit) of the stack name: stable across runs, machines and versions of Node. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The stack's jitter j: 0 on the epoch grid, else below max(1, floor(R / 2)), so the first period lasts at least R / 2 days. */
export function rotationJitterDays(stackName: string, settings: RotationSettings): number {
  if (!settings.rotationStart) return 0;
  return fnv1a(stackName) % Math.max(1, Math.floor(settings.rotationDays / 2));
}

/** The anchor A as a UTC day number: the rotationStart, or 0 (the epoch) without one. */
export function anchorDay(settings: RotationSettings): number {
  return settings.rotationStart ? utcDayNumber(settings.rotationStart) : 0;
}

/** Whether `at` is before the stack's first issue day (nothing to schedule yet). */
export function beforeRotationStart(at: Date, settings: RotationSettings): boolean {
  return utcDayNumber(at) < anchorDay(settings);
}

function isoDay(day: number): string {
  return dayToDate(day).toISOString().slice(0, 10);
}

/** One sentence for a date before the first issue day, or undefined when there is none. */
export function rotationStartProblem(at: Date, settings: RotationSettings): string | undefined {
  if (!beforeRotationStart(at, settings)) return undefined;
  const start = isoDay(anchorDay(settings));
  return `nexxt:rotationStart ${start} is after ${isoDay(utcDayNumber(at))}: the stack's first secret is issued on that day, so nothing can be scheduled before it; run on or after ${start}, or set nexxt:rotationStart to an earlier date such as ${isoDay(utcDayNumber(at))}.`;
}

/** The issue day b_k of generation k. */
function issueDay(generation: number, anchor: number, jitter: number, rotationDays: number): number {
  return generation === 0 ? anchor : anchor + generation * rotationDays - jitter;
}

export function secretScheduleAt(at: Date, settings: RotationSettings, stackName: string): SecretSchedule {
  const problem = rotationStartProblem(at, settings);
  if (problem) throw new UserError(problem);
  const today = utcDayNumber(at);
  const anchor = anchorDay(settings);
  const jitter = rotationJitterDays(stackName, settings);
  const R = settings.rotationDays;
  // The largest k with b_k <= today; today >= anchor, so it is never negative.
  const generation = Math.floor((today - anchor + jitter) / R);
  const secret = (g: number, retain: boolean): ScheduledSecret => {
    const start = issueDay(g, anchor, jitter, R);
    return { slot: slotOfGeneration(g), generation: g, periodStart: dayToDate(start), endDate: dayToDate(start + settings.lifetimeDays), retain };
  };
  const issuedToday = issueDay(generation, anchor, jitter, R);
  const candidate = generation > 0 ? secret(generation - 1, today < issuedToday + settings.overlapDays) : undefined;
  // Entra refuses credentials that end in the past, and one that ends within a day is no help.
  const previous = candidate && utcDayNumber(candidate.endDate) > today + 1 ? candidate : undefined;
  return {
    active: secret(generation, true),
    previous,
    nextRotationAt: dayToDate(issueDay(generation + 1, anchor, jitter, R)),
    jitterDays: jitter,
  };
}

/**
 * Whether a `pulumi up` on this day has anything to do for the secrets: one is issued or dropped,
 * or its retention ends, or it is the stack's first issue day. On every other day (with the config
 * unchanged) a run changes nothing, so a pipeline may run only on these days (and after config
 * changes). Before the first issue day: false (there is nothing to run).
 */
export function scheduleChangesOn(at: Date, settings: RotationSettings, stackName: string): boolean {
  if (beforeRotationStart(at, settings)) return false;
  const yesterday = new Date(at.getTime() - DAY_MS);
  if (beforeRotationStart(yesterday, settings)) return true;
  return JSON.stringify(comparable(secretScheduleAt(at, settings, stackName))) !== JSON.stringify(comparable(secretScheduleAt(yesterday, settings, stackName)));
}

function comparable(schedule: SecretSchedule): unknown {
  return [schedule.active, schedule.previous ?? null];
}

/** The rule behind the overlap guarantee, for config validation. */
export function rotationFits(settings: RotationSettings): boolean {
  return settings.lifetimeDays >= settings.rotationDays + settings.overlapDays;
}

/** Graph's own form of a date: RFC 3339, seconds precision, `Z` (what the provider reads back). */
export function graphDateTime(at: Date): string {
  return utcTimestamp(at);
}
