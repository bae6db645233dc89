/**
 * The one date parser for dates a user or a file gives us. `Date.parse` accepts "March 7",
 * rolls 2027-02-30 over to 2 March and reads "2027" as a year; here a date is exactly the ISO
 * 8601 form asked for, and its day must exist in its month (the parsed instant is turned back
 * into fields and compared, so 30 February and 24:00 are refused).
 */

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Date, `T`, time with optional fraction, and `Z` or an offset: what the program writes and Graph returns. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/** A YYYY-MM-DD calendar date as midnight UTC, or undefined when it is not one that exists. */
export function parseCalendarDate(text: string): Date | undefined {
  const match = CALENDAR_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1, 4).map(Number);
  return existingDay(year, month, day) ? new Date(Date.UTC(year, month - 1, day)) : undefined;
}

/** An ISO 8601 instant such as 2027-11-27T00:00:00Z or 2027-11-27T01:00:00.000+01:00, or undefined. */
export function parseIsoInstant(text: string): Date | undefined {
  const match = INSTANT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (!existingDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  if (match[9] !== undefined && (Number(match[9]) > 23 || Number(match[10]) > 59)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at);
}

function existingDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}
