import type * as CsvParse from "csv-parse";
import { HARMLESS, quoteRejected } from "../util/redact";
import type * as CsvParseSync from "csv-parse/sync";
import { UserError } from "../errors";
import { isSafePathSegment } from "../identifiers";
import { detectDelimiter } from "../util/csvDelimiter";
import { firstDuplicateKey } from "./jsonDuplicateKeys";

/** One person as Nexxt knows them: the row of a Nexxt user export. */
export interface NexxtUser {
  id: string;
  name: string;
  email: string;
}

/** Column names the user gave; undefined means "find the usual one". */
export interface ExportColumnFlags {
  id?: string;
  email?: string;
  name?: string;
}

/**
 * Header names tried, in order, when no column flag is given: Nexxt's English and Dutch exports
 * and what people rename them to in a spreadsheet. Compared case-insensitively.
 */
export const DEFAULT_COLUMN_CANDIDATES = {
  id: ["id", "userId", "user_id", "nexxtUserId", "gebruikerId"],
  email: ["email", "e-mail", "mail", "emailAddress", "e-mailadres"],
  name: ["name", "displayName", "fullName", "naam"],
} as const;

type Role = keyof typeof DEFAULT_COLUMN_CANDIDATES;
const FLAG_OF: Record<Role, string> = { id: "--id-column", email: "--email-column", name: "--name-column" };

/**
 * A Nexxt user export whose format and columns are known good: everything that can be checked
 * without reading every row has been. `read()` then reads the rows; for CSV it parses in slices
 * and yields to the event loop between them, so network work started meanwhile (the token, the
 * first Entra pages) keeps moving while a large export is read.
 */
export interface NexxtUserExport {
  read(): Promise<NexxtUser[]>;
}

/** Characters of CSV parsed between two yields to the event loop: a few milliseconds of work. */
const CSV_SLICE_CHARS = 8192;

/**
 * Opens a Nexxt user export: JSON (an array of objects, or { "users": [...] }) or CSV with a
 * header row, UTF-8 with or without BOM, `,` or `;` separated (Dutch spreadsheets write `;`).
 * Throws a UserError at once for what the header shows (a missing column, JSON that does not
 * parse); row errors (an empty or repeated ID, a ragged row) come from `read()`. `source` names
 * the file in errors.
 */
export function openNexxtUserExport(text: string, source: string, flags: ExportColumnFlags = {}): NexxtUserExport {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (looksLikeJson(content)) {
    const records = jsonRecords(content, source);
    const columns = columnsOf(Object.keys(records[0]?.fields ?? {}), records.length, source, flags);
    const used = new Set([columns.id, columns.email, columns.name].flatMap((name) => (name === undefined ? [] : [name.toLowerCase()])));
    const repeated = firstDuplicateKey(content, (key) => used.has(key));
    if (repeated !== undefined) {
      throw new UserError(
        `${source} line ${repeated.line}: the key '${shown(repeated.key)}' appears twice in one user (compared without case); JSON keeps only one of them, so the ID or address could silently be another user's: remove or rename the other, then run again.`,
      );
    }
    const collector = new NexxtUserCollector(columns, source);
    for (const { fields, where } of records) collector.add(fields, where);
    const users = collector.users;
    return { read: async () => users };
  }
  const delimiter = detectDelimiter(content);
  const headers = csvHeader(content, delimiter, source);
  const columns = columnsOf(headers, headers.length > 0 ? 1 : 0, source, flags);
  refuseRepeatedColumns(headers, columns, source);
  return { read: () => csvUsers(content, delimiter, new NexxtUserCollector(columns, source), source) };
}

/** Opens and reads in one step; every error, early or late, as a rejection. */
export async function readNexxtUserExport(text: string, source: string, flags: ExportColumnFlags = {}): Promise<NexxtUser[]> {
  return openNexxtUserExport(text, source, flags).read();
}

interface ExportColumns {
  id: string;
  email: string;
  name: string | undefined;
}

function columnsOf(headers: string[], records: number, source: string, flags: ExportColumnFlags): ExportColumns {
  if (records === 0) throw noUsers(source);
  const column = (role: Role) => resolveColumn(role, flags[role], headers, source);
  return { id: column("id"), email: column("email"), name: resolveOptionalName(flags.name, headers, source) };
}

const noUsers = (source: string) => new UserError(`${source} holds no users; export the Nexxt users again with a header row and at least one user.`);

/** Turns records into NexxtUsers, refusing empty and repeated IDs. */
class NexxtUserCollector {
  readonly users: NexxtUser[] = [];
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly columns: ExportColumns,
    private readonly source: string,
  ) {}

  add(fields: Record<string, unknown>, where: string): void {
    const { id: idColumn, email, name } = this.columns;
    const given = fields[idColumn];
    // JSON.parse rounds a number beyond 2^53 to the nearest double: 12345678901234567891 becomes
    // ...892, which may be another user. Such an ID is refused; as text it is kept exactly.
    if (typeof given === "number" && !Number.isSafeInteger(given)) {
      throw new UserError(
        `${this.source} ${where}: the ${idColumn} is a JSON number that is not a whole number below 2^53 (9007199254740992), so it was already rounded when read and may be another user's ID; write the IDs as text in quotes ("${idColumn}": "…") and run again.`,
      );
    }
    const id = cell(given);
    if (id === "") {
      throw new UserError(`${this.source} ${where}: the ${idColumn} column is empty; every Nexxt user needs its ID (fix the row or remove it).`);
    }
    if (!isSafePathSegment(id)) {
      throw new UserError(
        `${this.source} ${where}: Nexxt user ID '${id.replace(/[\u0000-\u001f\u007f]/g, "?")}' cannot be put in a URL ('.', '..', '/', '\\' or a control character would send the request to another resource); fix the row or remove it.`,
      );
    }
    const earlier = this.seen.get(id);
    if (earlier !== undefined) {
      throw new UserError(`${this.source} ${where}: Nexxt user ID '${id}' appears again (first at ${earlier}); each user must appear once.`);
    }
    this.seen.set(id, where);
    this.users.push({ id, email: cell(fields[email]), name: name === undefined ? "" : cell(fields[name]) });
  }
}

interface RawRecord {
  fields: Record<string, unknown>;
  /** "line 7" or "item 3", for errors. */
  where: string;
}

function looksLikeJson(content: string): boolean {
  const first = content.trimStart()[0];
  return first === "[" || first === "{";
}

function jsonRecords(content: string, source: string): RawRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (err) {
    throw new UserError(`${source} starts like JSON but does not parse (${(err as Error).message}); fix the JSON or export as CSV.`);
  }
  const list = Array.isArray(value) ? value : (value as { users?: unknown })?.users;
  if (!Array.isArray(list) || list.some((item) => typeof item !== "object" || item === null || Array.isArray(item))) {
    throw new UserError(`${source} is JSON but not a list of user objects; expected [{"id": "...", "email": "...", "name": "..."}] or {"users": [...]}.`);
  }
  return list.map((fields, index) => ({ fields: fields as Record<string, unknown>, where: `item ${index + 1}` }));
}

export { detectDelimiter };

const csvOptions = (delimiter: string) => ({ delimiter, skip_empty_lines: true, relax_column_count: false, trim: true });

const unreadableCsv = (source: string, err: unknown) =>
  new UserError(`${source} is not a readable CSV export (${(err as Error).message}); export it again from Nexxt as CSV with a header row.`);

/** Enough of the file for its header row: csv-parse converts all it is given, even with to_line. */
const HEADER_CHARS = 64 * 1024;

/** The header row's names, trimmed; [] for an empty file. */
function csvHeader(content: string, delimiter: string, source: string): string[] {
  const lineEnd = content.indexOf("\n", HEADER_CHARS);
  const head = lineEnd === -1 ? content : content.slice(0, lineEnd + 1);
  try {
    const [header] = csvParseSync().parse(head, { ...csvOptions(delimiter), to_line: 1 }) as string[][];
    return (header ?? []).map((name) => name.trim());
  } catch (err) {
    throw unreadableCsv(source, err);
  }
}

/**
 * Parses the rows slice by slice, each slice ending at a line break (a slice never splits a
 * character), yielding to the event loop in between.
 */
async function csvUsers(content: string, delimiter: string, collector: NexxtUserCollector, source: string): Promise<NexxtUser[]> {
  const parser = csvParse().parse({ ...csvOptions(delimiter), columns: (header: string[]) => header.map((name) => name.trim()) });
  const parsed: Record<string, string>[] = [];
  let failure: unknown;
  parser.on("data", (record: Record<string, string>) => parsed.push(record));
  parser.on("error", (err) => (failure ??= err));
  // Settles on "end" or on "error", whichever comes: a parse error at the very end (an
  // unterminated quote) emits no "end", and a listener added after it was emitted never fires.
  const ended = new Promise<void>((resolve) => {
    parser.on("end", resolve);
    parser.on("error", () => resolve());
  });
  // Header is line 1; records start on line 2 (multi-line quoted cells are rare in user exports).
  let records = 0;
  // Rows parsed before a CSV error are checked first, so the first problem in the file is the one reported.
  const collect = () => {
    for (const record of parsed) collector.add(record, `line ${++records + 1}`);
    parsed.length = 0;
    if (failure !== undefined) throw unreadableCsv(source, failure);
  };
  for (let start = 0; start < content.length;) {
    const lineEnd = content.indexOf("\n", start + CSV_SLICE_CHARS);
    const end = lineEnd === -1 ? content.length : lineEnd + 1;
    parser.write(content.slice(start, end));
    start = end;
    collect();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  parser.end();
  await ended;
  collect();
  if (collector.users.length === 0) throw noUsers(source);
  return collector.users;
}

function resolveColumn(role: Role, flag: string | undefined, headers: string[], source: string): string {
  const found = findHeader(flag !== undefined ? [flag] : DEFAULT_COLUMN_CANDIDATES[role], headers);
  if (found !== undefined) return found;
  const tried = flag !== undefined ? `'${shown(flag)}'` : DEFAULT_COLUMN_CANDIDATES[role].map((name) => `'${name}'`).join(", ");
  throw new UserError(`${source} has no ${role} column ${tried} (its columns are ${columnList(headers)}); name the right one with ${FLAG_OF[role]}.`);
}

/** Column names an error lists: the first few, each cut short (a header of 200,000 cells is one line). */
const LISTED_COLUMNS = 12;
const shown = (name: string) => (name.length > 40 ? `${name.slice(0, 40)}…` : name);
function columnList(headers: readonly string[]): string {
  // A cell is quoted only when it looks like a column name: the file may be a secret given as the export.
  const quoted = headers.slice(0, LISTED_COLUMNS).map((header) => quoteRejected(shown(header), HARMLESS.column));
  const listed = quoted.filter((text) => text.startsWith("'"));
  const hidden = quoted.length - listed.length;
  if (hidden > 0) listed.push(`${hidden} not shown, as ${hidden === 1 ? "it does" : "they do"} not look like column names (is this the export?)`);
  return headers.length > LISTED_COLUMNS ? `${listed.join(", ")} and ${headers.length - LISTED_COLUMNS} more` : listed.join(", ");
}

/**
 * A column the export is read by, named twice in the header (compared without case, as columns
 * are found): a CSV reader keeps one of them without a word, so the ID or the address could be
 * the wrong one.
 */
function refuseRepeatedColumns(headers: readonly string[], columns: ExportColumns, source: string): void {
  for (const column of [columns.id, columns.email, columns.name]) {
    if (column === undefined) continue;
    const positions = headers.flatMap((header, index) => (header.toLowerCase() === column.toLowerCase() ? [index + 1] : []));
    if (positions.length > 1) {
      throw new UserError(
        `${source} has the column '${shown(column)}' ${positions.length} times (columns ${positions.slice(0, 5).join(", ")}${positions.length > 5 ? ", …" : ""}); which one holds the users' values cannot be told, so remove or rename all but one and run again.`,
      );
    }
  }
}

/** The name column is optional (it is only shown): absent means empty names, unless asked for by flag. */
function resolveOptionalName(flag: string | undefined, headers: string[], source: string): string | undefined {
  if (flag !== undefined) return resolveColumn("name", flag, headers, source);
  return findHeader(DEFAULT_COLUMN_CANDIDATES.name, headers);
}

function findHeader(candidates: readonly string[], headers: string[]): string | undefined {
  for (const candidate of candidates) {
    const hit = headers.find((header) => header.toLowerCase() === candidate.toLowerCase());
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  return String(value).trim();
}

// Required when an export is read, not imported: the CSV parser is not loaded by `--help` or by
// the commands that read no export (test/cli/startup.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const csvParse = () => require("csv-parse") as typeof CsvParse;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const csvParseSync = () => require("csv-parse/sync") as typeof CsvParseSync;
