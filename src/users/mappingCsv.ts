import { stringify } from "csv-stringify/sync";
import type { MappingRow } from "./userMatching";

/** The columns of mapping.csv, in order; externalApplicationId is what goes into "Extern toepassing ID". */
export const MAPPING_COLUMNS = ["nexxtUserId", "nexxtName", "email", "externalApplicationId", "matchedBy", "status"] as const;

/** csv-stringify quotes names with commas, quotes and line breaks, so a spreadsheet reads them back intact. */
export function renderMappingCsv(rows: readonly MappingRow[]): string {
  const records: string[][] = [[...MAPPING_COLUMNS]];
  for (const row of rows) records.push(MAPPING_COLUMNS.map((column) => row[column]));
  return stringify(records, { record_delimiter: "\n" });
}
