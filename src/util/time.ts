/** One day in milliseconds. Every date here is a UTC instant, so a day is always this long. */
export const DAY_MS = 86_400_000;

/**
 * The one way every output (JSON, reports, records, plan, stack outputs) writes an instant:
 * RFC 3339 in UTC to the second, `2027-11-27T00:00:00Z`. It is Microsoft Graph's own form
 * (what the provider reads back for a secret's endDate), so a date Graph returned and a date this
 * tool computed read the same, and compare as text.
 */
export function utcTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
