import type * as CsvParseSync from "csv-parse/sync";
import { UserError } from "../errors";
import { detectDelimiter } from "../util/csvDelimiter";

/** One customer of `new-customer --from`, as the list gives it (values trimmed, empty optional cells left out). */
export interface CustomerRow {
  /** The file's line of this row (its last line, should a quoted cell span several). */
  line: number;
  /** The stack name. */
  customer: string;
  tenantId: string;
  /** The Company ID, or the licence page address it ends. */
  companyId: string;
  nexxtUrl?: string;
  displayName?: string;
}

type Column = "customer" | "tenantId" | "companyId" | "nexxtUrl" | "displayName";
const REQUIRED: readonly Column[] = ["customer", "tenantId", "companyId"];

/** Header spellings, compared lower-case without spaces, '-', '_' or '.': "Tenant ID", "tenant_id" and "tenantId" are one column. */
const ALIASES: Readonly<Record<string, Column>> = {
  customer: "customer",
  customername: "customer",
  name: "customer",
  stack: "customer",
  stackname: "customer",
  tenantid: "tenantId",
  tenant: "tenantId",
  directoryid: "tenantId",
  directorytenantid: "tenantId",
  companyid: "companyId",
  company: "companyId",
  licencepage: "companyId",
  licensepage: "companyId",
  nexxturl: "nexxtUrl",
  url: "nexxtUrl",
  displayname: "displayName",
};

/** The header every message shows: what a user should write. */
export const CUSTOMER_LIST_HEADER = "customer,tenantId,companyId,nexxtUrl,displayName";

const normalise = (name: string) => name.toLowerCase().replace(/[\s_.-]+/g, "");

/**
 * Reads the customer list: a header row naming the columns (any order; customer, tenantId and
 * companyId required, nexxtUrl and displayName optional), then one customer per row, `,` or `;`
 * separated, UTF-8 with or without BOM. Refuses a header naming one column twice (which value
 * would count?), an unknown column (a typo would drop a value silently), and a row whose cell count
 * differs from the header's. The values themselves are checked by the caller with new-customer's rules.
 */
export function parseCustomerList(text: string, source: string): CustomerRow[] {
  const fail = (why: string) => new UserError(`${source} ${why}; the list needs a header row such as ${CUSTOMER_LIST_HEADER} (the last two optional) and one customer per row.`);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = csvParseSync().parse(text, { delimiter: detectDelimiter(text), bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }) as unknown as typeof records;
  } catch (err) {
    throw fail(`is not readable CSV (${(err as Error).message})`);
  }
  const [header, ...rows] = records.filter((entry) => entry.record.some((cell) => cell !== ""));
  if (header === undefined) throw fail("is empty");
  const columns: Column[] = [];
  const seen = new Map<Column, string>();
  for (const name of header.record) {
    const column = ALIASES[normalise(name)];
    if (column === undefined) throw fail(`has a column '${name}' new-customer does not know (known: ${CUSTOMER_LIST_HEADER})`);
    const earlier = seen.get(column);
    if (earlier !== undefined) throw fail(`names the column ${column} twice ('${earlier}' and '${name}'); keep one of them`);
    seen.set(column, name);
    columns.push(column);
  }
  const missing = REQUIRED.filter((column) => !seen.has(column));
  if (missing.length > 0) throw fail(`has no column ${missing.join(", ")}`);
  if (rows.length === 0) throw fail("holds no customer (only the header row)");

  return rows.map(({ record, info }) => {
    if (record.length !== columns.length) {
      throw new UserError(`${source} line ${info.lines} has ${record.length} cells where the header has ${columns.length}; put a value (or nothing) between each separator, and quote a value holding a separator.`);
    }
    const row: Partial<Record<Column, string>> = {};
    columns.forEach((column, index) => {
      if (record[index] !== "") row[column] = record[index];
    });
    return {
      line: info.lines,
      customer: row.customer ?? "",
      tenantId: row.tenantId ?? "",
      companyId: row.companyId ?? "",
      ...(row.nexxtUrl !== undefined ? { nexxtUrl: row.nexxtUrl } : {}),
      ...(row.displayName !== undefined ? { displayName: row.displayName } : {}),
    };
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a list is read (ARCHITECTURE.md: heavy packages where used)
const csvParseSync = () => require("csv-parse/sync") as typeof CsvParseSync;
