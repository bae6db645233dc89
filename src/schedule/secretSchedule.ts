/**
 * Which client secrets exist on a given date, and which one Nexxt must hold: a pure function of
 * the date, the rotation settings and the stack name, so it is tested over many inputs and
 * previewed with `plan --at`.
 *
 * Issue: time is cut into periods of `rotationDays` whole UTC days from the Unix epoch. Period k
 * issues generation k in slot A (k even) or B (k odd), valid until `lifetimeDays` after the
 * period began; the other slot keeps generation k-1 while it is valid for more than a day.
 *
 * Hand-over: the new generation becomes the one Nexxt is given (pushed, or written to the
 * connector file) `phaseDays` after it was issued, a per-stack number derived from the stack name
 * (rotationPhaseDays), so forty customers with the same settings do not switch on one day. Until
 * then Nexxt keeps the previous generation. Issue days stay on the epoch grid on purpose: a stack
 * created by an earlier version of this tool (no phase) has exactly these secrets, so the upgrade
 * run replaces none of them, and with them not the one Nexxt holds.
 *
 * Why it is safe (lifetime L, rotation R, overlap O, phase p, with L >= R + O and
 * p <= min(R - O - 1, L - R - O)):
 * - the generation handed over on day kR + p stays valid until (k+1)R + p + O at least, so after
 *   its successor's hand-over Nexxt (or the person copying the file) has O days;
 * - a slot is reused on day (k+1)R, when its old generation k-1 was superseded at kR + p, at least
 *   O + 1 days earlier;
 * - the secrets Nexxt may still hold are marked `retain` (Pulumi's retainOnDelete, recorded in the
 *   state), so a run that replaces one anyway (a config change, a gap of months between runs)
 *   leaves it in Entra until it expires instead of deleting it.
 */
import { DAY_MS } from "../util/time";

export interface RotationSettings {
  lifetimeDays: number;
  rotationDays: number;
  overlapDays: number;
}

export type SlotName = "a" | "b";

export interface ScheduledSecret {
  slot: SlotName;
  generation: number;
  /** The start of the generation's period (UTC midnight): the day it is issued. */
  periodStart: Date;
  /** The end date set on the credential (UTC midnight). */
  endDate: Date;
  /** Nexxt may hold it: a run that replaces it anyway must not delete it (retainOnDelete). */
  retain: boolean;
}

export interface SecretSchedule {
  /** The secret Nexxt must hold today: what the connector configuration carries. */
  active: ScheduledSecret;
  /** The other slot's secret: the previous generation, or the next one not yet handed over. */
  previous?: ScheduledSecret;
  /** When Nexxt is next given a new secret. */
  nextRotationAt: Date;
  /** This stack's hand-over delay after each issue day. */
  phaseDays: number;
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

/** The largest hand-over delay that keeps both guarantees above; 0 when the settings leave no room. */
export function maxPhaseDays(settings: RotationSettings): number {
  return Math.max(0, Math.min(settings.rotationDays - settings.overlapDays - 1, settings.lifetimeDays - settings.rotationDays - settings.overlapDays));
}

/**
 * The stack's hand-over delay in days: FNV-1a of the stack name, spread over every allowed delay.
 * Pure, so `plan --at` and the `due` command compute the same day as `pulumi up`.
 */
export function rotationPhaseDays(stackName: string, settings: RotationSettings): number {
  let hash = 0x811c9dc5;
  for (const char of stackName) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % (maxPhaseDays(settings) + 1);
}

function scheduled(generation: number, settings: RotationSettings, retain: boolean): ScheduledSecret {
  const startDay = generation * settings.rotationDays;
  return {
    slot: slotOfGeneration(generation),
    generation,
    periodStart: dayToDate(startDay),
    endDate: dayToDate(startDay + settings.lifetimeDays),
    retain,
  };
}

export function secretScheduleAt(at: Date, settings: RotationSettings, stackName: string): SecretSchedule {
  const today = utcDayNumber(at);
  const phaseDays = rotationPhaseDays(stackName, settings);
  const generation = Math.floor(today / settings.rotationDays);
  const issueDay = generation * settings.rotationDays;
  const handedOver = today >= issueDay + phaseDays;
  const candidate = generation > 0 ? scheduled(generation - 1, settings, false) : undefined;
  // Entra refuses credentials that end in the past, and one that ends within a day is no help.
  const older = candidate && utcDayNumber(candidate.endDate) > today + 1 ? candidate : undefined;
  const newest = scheduled(generation, settings, false);
  if (!handedOver && older) {
    // Nexxt keeps the previous generation until this stack's hand-over day.
    return { active: { ...older, retain: true }, previous: newest, nextRotationAt: dayToDate(issueDay + phaseDays), phaseDays };
  }
  // The previous generation may still be in Nexxt's hands for the overlap after the hand-over.
  const previous = older && { ...older, retain: today < issueDay + phaseDays + settings.overlapDays };
  return {
    active: { ...newest, retain: true },
    previous,
    nextRotationAt: dayToDate((generation + 1) * settings.rotationDays + phaseDays),
    phaseDays,
  };
}

/**
 * Whether a `pulumi up` on this day has anything to do for the secrets: one is issued, handed
 * over or dropped, or its retention ends. On every other day (with the config unchanged) a run
 * changes nothing, so a pipeline may run only on these days (and after config changes).
 */
export function scheduleChangesOn(at: Date, settings: RotationSettings, stackName: string): boolean {
  const yesterday = new Date(at.getTime() - DAY_MS);
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
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
