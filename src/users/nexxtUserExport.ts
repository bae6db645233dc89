import { parse } from "csv-parse/sync";
import { UserError } from "../errors";

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
 * Parses a Nexxt user export: JSON (an array of objects, or { "users": [...] }) or CSV with a
 * header row, UTF-8 with or without BOM, `,` or `;` separated (Dutch spreadsheets write `;`).
 * `source` names the file in errors.
 */
export function parseNexxtUserExport(text: string, source: string, flags: ExportColumnFlags = {}): NexxtUser[] {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records = looksLikeJson(content) ? jsonRecords(content, source) : csvRecords(content, source);
  if (records.length === 0) {
    throw new UserError(`${source} holds no users; export the Nexxt users again with a header row and at least one user.`);
  }
  const headers = Object.keys(records[0].fields);
  const column = (role: Role) => resolveColumn(role, flags[role], headers, source);
  const idColumn = column("id");
  const emailColumn = column("email");
  const nameColumn = resolveOptionalName(flags.name, headers, source);

  const seen = new Map<string, string>();
  return records.map(({ fields, where }) => {
    const id = cell(fields[idColumn]);
    if (id === "") {
      throw new UserError(`${source} ${where}: the ${idColumn} column is empty; every Nexxt user needs its ID (fix the row or remove it).`);
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      throw new UserError(`${source} ${where}: Nexxt user ID '${id}' appears again (first at ${earlier}); each user must appear once.`);
    }
    seen.set(id, where);
    return { id, email: cell(fields[emailColumn]), name: nameColumn === undefined ? "" : cell(fields[nameColumn]) };
  });
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

/** The separator of the header line: whichever of `;` and `,` occurs more often outside quotes. */
export function detectDelimiter(content: string): "," | ";" {
  const headerLine = content.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, "");
  const count = (ch: string) => headerLine.split(ch).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

function csvRecords(content: string, source: string): RawRecord[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(content, {
      columns: (header: string[]) => header.map((name) => name.trim()),
      delimiter: detectDelimiter(content),
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as Record<string, string>[];
  } catch (err) {
    throw new UserError(`${source} is not a readable CSV export (${(err as Error).message}); export it again from Nexxt as CSV with a header row.`);
  }
  // Header is line 1; records start on line 2 (multi-line quoted cells are rare in user exports).
  return rows.map((fields, index) => ({ fields, where: `line ${index + 2}` }));
}

function resolveColumn(role: Role, flag: string | undefined, headers: string[], source: string): string {
  const found = findHeader(flag !== undefined ? [flag] : DEFAULT_COLUMN_CANDIDATES[role], headers);
  if (found !== undefined) return found;
  const tried = flag !== undefined ? `'${flag}'` : DEFAULT_COLUMN_CANDIDATES[role].map((name) => `'${name}'`).join(", ");
  throw new UserError(
    `${source} has no ${role} column ${tried} (its columns are ${headers.map((h) => `'${h}'`).join(", ")}); name the right one with ${FLAG_OF[role]}.`,
  );
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
