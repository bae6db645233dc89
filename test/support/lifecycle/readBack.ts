/**
 * What the azuread provider stores after reading a resource back from Microsoft Graph, as
 * opposed to what the program sent. Graph answers `endDateTime` with seconds precision and a
 * `Z` (`2027-09-04T00:00:00Z`), and the provider stores it as returned
 * (application_password_resource.go: `tf.Set(d, "end_date", credential.EndDateTime.GetOrZero())`),
 * so a program that sends `2027-09-04T00:00:00.000Z` differs from its own state on every run.
 */
export function rfc3339Seconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Parses what Graph accepts (any RFC 3339 date-time); throws as the provider's validation does. */
export function parseRfc3339(value: unknown, field: string): Date {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new Error(`expected "${field}" to be a valid RFC3339 date, got: ${String(value)}`);
  }
  return new Date(value);
}
