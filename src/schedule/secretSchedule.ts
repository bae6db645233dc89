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
 * - `nexxt:rotationStart` is required (the config refuses a stack without it): a fleet-wide
 *   default would give a new stack a first secret that lives only part of its lifetime, and every
 *   such stack would rotate on one day (issue 17, finding 4).
 * - Before A the grid runs backwards: b_k = A + k·R for k < 0, without jitter. So a date before A
 *   has a schedule like any other: `plan` and `pulumi up` never refuse a rotationStart in the
 *   future, and moving it into the future on a live stack is a config change like any other (the
 *   next run issues the generation of the new grid, the secret Nexxt holds is retained until it
 *   expires), never a run that refuses until that secret has expired.
 *
 * Why it is safe:
 * - Overlap: generation k − 1 is valid until b_{k−1} + L. Since b_k − b_{k−1} <= R (R − j for
 *   k = 1, R after) and L >= R + O, b_{k−1} + L >= b_k − R + L >= b_k + O: after Nexxt is given
 *   generation k, the one it held stays valid for at least O more days.
 * - Slot reuse: generation k − 1's slot is next written on b_{k+1} = b_k + R, and its `retain`
 *   ends on b_k + O. With R > O (every default) a daily run therefore never replaces a secret
 *   Nexxt may hold. With R <= O the run on b_{k+1} may replace one still marked `retain` (with
 *   R = O the first secret outlives it by j days): it is retained (below) and expires by itself.
 * - The secrets Nexxt may still hold are marked `retain` (Pulumi's retainOnDelete, recorded in the
 *   state), so a run that replaces one anyway (a config change such as adding
 *   `nexxt:rotationStart`, a gap of months between runs) leaves it in Entra until it expires
 *   instead of deleting it.
 */
import { fnv1a } from "../util/fnv1a";
import { utcTimestamp, DAY_MS } from "../util/time";

export interface RotationSettings {
  lifetimeDays: number;
  rotationDays: number;
  overlapDays: number;
  /** `nexxt:rotationStart` (UTC midnight): the day the first secret is issued, the grid's anchor. */
  rotationStart: Date;
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
  /** This stack's shift of every issue day after the first, in days. */
  jitterDays: number;
}

export function utcDayNumber(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS);
}

function dayToDate(day: number): Date {
  return new Date(day * DAY_MS);
}

export function slotOfGeneration(generation: number): SlotName {
  // Generations before the anchor are negative: -1 is slot b, as 1 is.
  return Math.abs(generation) % 2 === 0 ? "a" : "b";
}

/** The stack's jitter j: below max(1, floor(R / 2)), so the first period lasts at least R / 2 days. */
export function rotationJitterDays(stackName: string, settings: RotationSettings): number {
  return fnv1a(stackName) % Math.max(1, Math.floor(settings.rotationDays / 2));
}

/** The anchor A as a UTC day number. */
export function anchorDay(settings: RotationSettings): number {
  return utcDayNumber(settings.rotationStart);
}

/** The issue day b_k of generation k. */
function issueDay(generation: number, anchor: number, jitter: number, rotationDays: number): number {
  return generation <= 0 ? anchor + generation * rotationDays : anchor + generation * rotationDays - jitter;
}

/** The generation issued last on or before `today`: the largest k with b_k <= today. */
function generationOn(today: number, anchor: number, jitter: number, rotationDays: number): number {
  if (today < anchor) return Math.floor((today - anchor) / rotationDays);
  return Math.floor((today - anchor + jitter) / rotationDays);
}

export function secretScheduleAt(at: Date, settings: RotationSettings, stackName: string): SecretSchedule {
  const today = utcDayNumber(at);
  const anchor = anchorDay(settings);
  const jitter = rotationJitterDays(stackName, settings);
  const R = settings.rotationDays;
  const generation = generationOn(today, anchor, jitter, R);
  const secret = (g: number, retain: boolean): ScheduledSecret => {
    const start = issueDay(g, anchor, jitter, R);
    return { slot: slotOfGeneration(g), generation: g, periodStart: dayToDate(start), endDate: dayToDate(start + settings.lifetimeDays), retain };
  };
  const issuedToday = issueDay(generation, anchor, jitter, R);
  // None for generation 0, the first secret of a new stack (nothing was handed to Nexxt before).
  // A stack that ran on the grid before the anchor (a rotationStart moved ahead) hands generation
  // -1 over to 0 on the anchor day: -1 was Nexxt's, so its state records retainOnDelete and
  // Pulumi leaves it in Entra until it expires, at least O days later (L >= R + O).
  const candidate = generation !== 0 ? secret(generation - 1, today < issuedToday + settings.overlapDays) : undefined;
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
 * changes).
 */
export function scheduleChangesOn(at: Date, settings: RotationSettings, stackName: string): boolean {
  const yesterday = new Date(at.getTime() - DAY_MS);
  return JSON.stringify(comparable(secretScheduleAt(at, settings, stackName))) !== JSON.stringify(comparable(secretScheduleAt(yesterday, settings, stackName)));
}

function comparable(schedule: SecretSchedule): unknown {
  return [schedule.active, schedule.previous ?? null];
}

/** The rule behind the overlap guarantee, for config validation. */
export function rotationFits(settings: Omit<RotationSettings, "rotationStart">): boolean {
  return settings.lifetimeDays >= settings.rotationDays + settings.overlapDays;
}

/** Graph's own form of a date: RFC 3339, seconds precision, `Z` (what the provider reads back). */
export function graphDateTime(at: Date): string {
  return utcTimestamp(at);
}
