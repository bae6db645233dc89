/**
 * Which client secrets exist on a given date: pure, so the rotation is tested over years of
 * simulated days and previewed with `plan --at`.
 *
 * Time is cut into rotation periods of `rotationDays` (counted in whole UTC days from the Unix
 * epoch, so every run on the same day computes the same thing). Period k issues generation k in
 * slot A when k is even and slot B when odd; a generation expires `lifetimeDays` after its period
 * began. So the newest secret (the one Nexxt holds) is always generation k, and the other slot
 * still holds generation k-1, valid for at least `overlapDays` after the rotation, because
 * lifetime >= rotation + overlap. A slot is only replaced when its next generation starts, and
 * then Nexxt already holds the other one.
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
  /** The start of the generation's period (UTC midnight). */
  periodStart: Date;
  /** The end date set on the credential (UTC midnight). */
  endDate: Date;
}

export interface SecretSchedule {
  /** The newest secret: what Nexxt must hold. */
  active: ScheduledSecret;
  /** The previous generation in the other slot, while it is still valid for more than a day. */
  previous?: ScheduledSecret;
  /** When the next generation is issued (the other slot rotates). */
  nextRotationAt: Date;
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

function scheduled(generation: number, settings: RotationSettings): ScheduledSecret {
  const startDay = generation * settings.rotationDays;
  return {
    slot: slotOfGeneration(generation),
    generation,
    periodStart: dayToDate(startDay),
    endDate: dayToDate(startDay + settings.lifetimeDays),
  };
}

export function secretScheduleAt(at: Date, settings: RotationSettings): SecretSchedule {
  const today = utcDayNumber(at);
  const generation = Math.floor(today / settings.rotationDays);
  const active = scheduled(generation, settings);
  const candidate = generation > 0 ? scheduled(generation - 1, settings) : undefined;
  // Entra refuses credentials that end in the past, and one that ends within a day is no help.
  const previous = candidate && utcDayNumber(candidate.endDate) > today + 1 ? candidate : undefined;
  return { active, previous, nextRotationAt: dayToDate((generation + 1) * settings.rotationDays) };
}

/** The rule behind the overlap guarantee, for config validation. */
export function rotationFits(settings: RotationSettings): boolean {
  return settings.lifetimeDays >= settings.rotationDays + settings.overlapDays;
}
