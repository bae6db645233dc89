import * as fs from "node:fs";
import { HARMLESS, quoteRejected } from "./redact";
import { UserError } from "../errors";

/**
 * The one reader for files a user points the tool at (connector files, user exports, stack
 * files, report directories' entries). A path may name a FIFO (reading it blocks until someone
 * writes), a device (/dev/zero never ends), a directory, a symlink to somewhere else, or a huge
 * (sparse) file: each is refused with one sentence before a byte is allocated for it.
 *
 * How: lstat first (a symlink is judged as itself), then open with O_NONBLOCK (so opening a FIFO
 * with no writer returns at once instead of hanging) and O_NOFOLLOW (so a symlink swapped in
 * after the lstat is not followed), then fstat the open descriptor, which is the file actually
 * read: a regular file of at most `maxBytes`. The read stops at maxBytes + 1 even if the file grew
 * meanwhile, and the bytes must be UTF-8.
 */
export interface BoundedReadOptions {
  /** Names the file in errors, e.g. "--config" or "stacks/Pulumi.acme.yaml". */
  what: string;
  /** Refuse anything larger. */
  maxBytes: number;
  /** Follow a symlink to a regular file (the target is checked). Default false: refused. */
  allowSymlink?: boolean;
  /** The end of each sentence: what to give instead. */
  hint: string;
  /** The path as the user wrote it, for messages. Default: the path read. */
  shownAs?: string;
}

/** Sizes per kind of file: far above any real one, far below what would hurt. */
export const FILE_LIMITS = {
  /** A connector configuration is < 1 KB. */
  connectorDocument: 64 * 1024,
  /** A stack file is a few KB. */
  stackFile: 256 * 1024,
  /** 100,000 Nexxt users are ~10 MB of CSV. */
  userExport: 64 * 1024 * 1024,
  /** One line per linked user. */
  journal: 64 * 1024 * 1024,
} as const;

/** Why a path was refused: a stable code for callers that list problems instead of throwing. */
export type RefusalCode = "missing" | "symlink" | "not-regular" | "too-large" | "not-utf8" | "unreadable";

export class FileRefused extends UserError {
  constructor(
    message: string,
    readonly refusal: RefusalCode,
  ) {
    super(message);
    this.name = "FileRefused";
  }
}

const KIND_NAMES: [(stat: fs.Stats) => boolean, string][] = [
  [(s) => s.isFIFO(), "a FIFO (named pipe)"],
  [(s) => s.isCharacterDevice(), "a character device"],
  [(s) => s.isBlockDevice(), "a block device"],
  [(s) => s.isDirectory(), "a directory"],
  [(s) => s.isSocket(), "a socket"],
];

export function kindOf(stat: fs.Stats): string {
  return KIND_NAMES.find(([test]) => test(stat))?.[1] ?? (stat.isSymbolicLink() ? "a symbolic link" : "not a regular file");
}

/**
 * The path for a message: a path the user gave may be a secret pasted in the wrong place, so it
 * is shown only when it looks like a path (quoteRejected).
 */
function shownPath(file: string, options: BoundedReadOptions): string {
  return quoteRejected(options.shownAs ?? file, HARMLESS.path, true);
}

/** Reads a whole file as UTF-8 text (a leading BOM is kept for the caller to judge), or throws FileRefused. */
export function readBoundedFile(file: string, options: BoundedReadOptions): string {
  const bytes = readBoundedBytes(file, options);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FileRefused(`${options.what} ${shownPath(file, options)} is not UTF-8 text (it holds bytes that are not UTF-8); save it as UTF-8 and ${options.hint}.`, "not-utf8");
  }
}

export function readBoundedBytes(file: string, options: BoundedReadOptions): Buffer {
  const refuse = (why: string, code: RefusalCode) => new FileRefused(`${options.what} ${shownPath(file, options)} ${why}; ${options.hint}.`, code);
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw refuse(code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`, code === "ENOENT" ? "missing" : "unreadable");
  }
  if (link.isSymbolicLink() && !options.allowSymlink) throw refuse("is a symbolic link, and a real file is expected here (give the file it points to)", "symlink");
  if (!link.isSymbolicLink() && !link.isFile()) throw refuse(`is ${kindOf(link)}, not a regular file`, "not-regular");
  let fd: number;
  try {
    const noFollow = options.allowSymlink ? 0 : fs.constants.O_NOFOLLOW;
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | noFollow);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw refuse(code === "ELOOP" ? "is a symbolic link, and a real file is expected here" : `cannot be read (${code ?? "error"})`, code === "ELOOP" ? "symlink" : "unreadable");
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw refuse(`is ${kindOf(stat)}, not a regular file`, "not-regular");
    if (stat.size > options.maxBytes) throw refuse(`is ${stat.size} bytes, more than the ${options.maxBytes} such a file can sensibly be`, "too-large");
    // Read to the limit + 1 whatever the size said: the file may grow while it is read.
    const chunks: Buffer[] = [];
    let length = 0;
    for (let chunk = Buffer.alloc(Math.min(options.maxBytes + 1, stat.size + 1)); length <= options.maxBytes;) {
      const read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, options.maxBytes + 1 - length), null);
      if (read === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, read)));
      length += read;
      if (chunk.length < 65536) chunk = Buffer.alloc(65536);
    }
    if (length > options.maxBytes) throw refuse(`is more than the ${options.maxBytes} bytes such a file can sensibly be`, "too-large");
    const buffer = Buffer.concat(chunks, length);
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}
