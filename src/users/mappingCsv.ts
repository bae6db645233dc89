import type { MappingRow } from "./userMatching";

/** The columns of mapping.csv, in order; externalApplicationId is what goes into "Extern toepassing ID". */
/**
 * nexxtHeld: what Nexxt's field held when --apply found another object ID there (status conflict:
 * kept; with --overwrite-links: replaced, the value to write back to undo).
 */
export const MAPPING_COLUMNS = ["nexxtUserId", "nexxtName", "email", "externalApplicationId", "matchedBy", "status", "nexxtHeld"] as const;

const NEEDS_QUOTES = /[",\r\n]/;
/** A value that needs neither quotes nor the formula apostrophe (most of them): one test instead of two. */
const NEEDS_CARE = /[",\r\n]|^[=+\-@\t]/;

/**
 * One CSV field as RFC 4180 writes it (and csv-stringify with its defaults, which the tests hold
 * this to): quoted when it holds a comma, a double quote or a line break, quotes doubled inside;
 * so a spreadsheet reads names like `Jansen, "Cas"` back intact.
 */
export function csvField(value: string): string {
  if (!NEEDS_CARE.test(value)) return value;
  const safe = neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * People open mapping.csv in Excel or LibreOffice, which run a cell that starts with = + - @ (or
 * a tab or carriage return before one) as a formula: a Nexxt name such as `=HYPERLINK(...)`
 * would run on the reader's machine. Such a cell gets a leading apostrophe, OWASP's advice
 * (https://owasp.org/www-community/attacks/CSV_Injection), so it is shown as the text it is.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * mapping.csv (header, one line per row, `\n` line ends) in pieces of about `chunkChars`, so
 * 100,000 rows are written without first building one 10 MB string and its garbage.
 */
export function* mappingCsvChunks(rows: readonly MappingRow[], chunkChars = 64 * 1024): Generator<string> {
  let chunk = MAPPING_COLUMNS.join(",") + "\n";
  for (const row of rows) {
    chunk +=
      csvField(row.nexxtUserId) +
      "," +
      csvField(row.nexxtName) +
      "," +
      csvField(row.email) +
      "," +
      csvField(row.externalApplicationId) +
      "," +
      csvField(row.matchedBy) +
      "," +
      csvField(row.status) +
      "," +
      csvField(row.nexxtHeld) +
      "\n";
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

export function renderMappingCsv(rows: readonly MappingRow[]): string {
  return [...mappingCsvChunks(rows)].join("");
}
