import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { UserError } from "../errors";

/** Owner read/write only: the connector file holds the client secret. */
export const PRIVATE_FILE_MODE = 0o600;

export interface AtomicWriteOptions {
  /** Names the setting that chose the directory, so the error says what to change. */
  directorySetting?: string;
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
 */
export async function writeFileAtomic(filePath: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const directory = path.dirname(filePath);
  await ensureDirectory(directory, options);
  const temporary = path.join(directory, `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await fs.open(temporary, "wx", PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, filePath);
    await fs.chmod(filePath, PRIVATE_FILE_MODE);
  } catch (err) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw asDirectoryError(err, directory, options);
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
  return new UserError(`The connector configuration directory '${directory}' ${problem}; create it as a writable directory or set ${setting} to one that is.`);
}
