import { UserError } from "../errors";
import { parseCalendarDate } from "../util/strictDate";
import { HARMLESS, quoteRejected } from "../util/redact";

/** The `--at` flag of plan and due: a calendar date that exists (2027-02-30 is refused), as UTC midnight. */
export function parseAtFlag(text: string): Date {
  const date = parseCalendarDate(text);
  if (date === undefined) {
    throw new UserError(`--at ${quoteRejected(text, HARMLESS.date)} is not a date that exists; give it as YYYY-MM-DD, for example 2027-06-01.`);
  }
  return date;
}
