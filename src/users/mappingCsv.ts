import type { MappingRow } from "./userMatching";

/** The columns of mapping.csv, in order; externalApplicationId is what goes into "Extern toepassing ID". */
export const MAPPING_COLUMNS = ["nexxtUserId", "nexxtName", "email", "externalApplicationId", "matchedBy", "status"] as const;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field as RFC 4180 writes it (and csv-stringify with its defaults, which the tests hold
 * this to): quoted when it holds a comma, a double quote or a line break, quotes doubled inside;
 * so a spreadsheet reads names like `Jansen, "Cas"` back intact.
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * mapping.csv (header, one line per row, `\n` line ends) in pieces of about `chunkChars`, so
 * 100,000 rows are written without first building one 10 MB string and its garbage.
 */
export function* mappingCsvChunks(rows: readonly MappingRow[], chunkChars = 64 * 1024): Generator<string> {
  let chunk = MAPPING_COLUMNS.join(",") + "\n";
  for (const row of rows) {
    chunk +=
      csvField(row.nexxtUserId) + "," + csvField(row.nexxtName) + "," + csvField(row.email) + "," +
      csvField(row.externalApplicationId) + "," + csvField(row.matchedBy) + "," + csvField(row.status) + "\n";
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
