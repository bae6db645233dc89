import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, promises as fs, renameSync, rmSync, writeSync } from "node:fs";
import * as path from "node:path";
import { UserError } from "../errors";

/** Owner read/write only: the connector file holds the client secret. */
export const PRIVATE_FILE_MODE = 0o600;

export interface AtomicWriteOptions {
  /** Names the setting that chose the directory, so the error says what to change. */
  directorySetting?: string;
  /** The file's mode: 0600 unless said otherwise (a mapping CSV holds no secret: 0644). */
  mode?: number;
  /** How errors name the directory [default: "The connector configuration directory"]. */
  directoryName?: string;
}

/**
 * Writes `content` to `filePath` so that a reader sees the old file or the new one, never half
 * of either: a temporary file in the same directory (rename is only atomic within one file
 * system), created 0600 so the secret is never readable by others even for a moment, flushed to
 * disk, then renamed over the target. The chmod afterwards covers an existing target on file
 * systems that keep the old mode and any umask surprise.
 *
 * A missing directory is created (0700): the default `out/` is git-ignored and absent in a fresh
 * clone.
 *
 * Nothing planted at the path is followed or written into, even when it appears after every
 * check: the temporary file is created new ("wx" is O_CREAT|O_EXCL, which fails on an existing
 * name, a symlink included), and rename replaces whatever name is at the target (a symlink, a
 * FIFO, a hard link to another file) with this regular file, never writing through it. The mode
 * is set on the open handle, never by path after the rename (chmod by path follows a symlink
 * swapped in meanwhile).
 *
 * `content` may be pieces (a 10 MB mapping CSV is never one string).
 */
export async function writeFileAtomic(filePath: string, content: string | Iterable<string>, options: AtomicWriteOptions = {}): Promise<void> {
  const directory = path.dirname(filePath);
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  await ensureDirectory(directory, options);
  const temporary = path.join(directory, `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await fs.open(temporary, "wx", mode);
    try {
      if (typeof content === "string") await handle.writeFile(content, "utf8");
      else for (const piece of content) await handle.write(piece, null, "utf8");
      // The umask may have narrowed the mode: set it exactly, on this file and no other.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, filePath);
  } catch (err) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw asDirectoryError(err, directory, options);
  }
}

/**
 * writeFileAtomic for synchronous callers (scripts that write one file each): the same new file
 * and rename, the same mode on the handle. The directory must exist.
 */
export function writeFileAtomicSync(filePath: string, content: string, options: Pick<AtomicWriteOptions, "mode"> = {}): void {
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fd = openSync(temporary, "wx", mode);
    try {
      const bytes = Buffer.from(content, "utf8");
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, filePath);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}

/** Removes a file; one that is already gone counts as removed (a destroy may run twice). */
export async function removeFileIfPresent(filePath: string): Promise<boolean> {
  try {
    await fs.unlink(filePath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

async function ensureDirectory(directory: string, options: AtomicWriteOptions): Promise<void> {
  try {
    await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw asDirectoryError(err, directory, options);
  }
  const stat = await fs.stat(directory);
  if (!stat.isDirectory()) throw directoryError(directory, "is not a directory", options);
}

const DIRECTORY_ERRNO: Record<string, string> = {
  EACCES: "is not writable",
  EPERM: "is not writable",
  EROFS: "is on a read-only file system",
  ENOTDIR: "cannot be created (a part of its path is a file)",
  EEXIST: "cannot be created (a file of that name exists)",
  ENOENT: "does not exist",
};

function asDirectoryError(err: unknown, directory: string, options: AtomicWriteOptions): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const problem = code ? DIRECTORY_ERRNO[code] : undefined;
  return problem ? directoryError(directory, problem, options) : (err as Error);
}

function directoryError(directory: string, problem: string, options: AtomicWriteOptions): UserError {
  const setting = options.directorySetting ?? "nexxt:connectorConfigDir";
  return new UserError(
    `${options.directoryName ?? "The connector configuration directory"} '${directory}' ${problem}; create it as a writable directory or set ${setting} to one that is.`,
  );
}
