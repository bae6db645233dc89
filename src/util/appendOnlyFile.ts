import * as fs from "node:fs";
import { UserError } from "../errors";
import { kindOf } from "./readBoundedFile";

/** A file opened once for appending lines, such as the map-users resume journal. */
export interface AppendOnlyFile {
  append(text: string): void;
  close(): void;
}

/**
 * Opens `file` for appending (created 0600 when missing) without following anything planted at
 * its path since it was checked: O_NOFOLLOW refuses a symlink, O_NONBLOCK keeps a FIFO from
 * blocking the open, and the open file itself must be a regular file with no other name (a hard
 * link made to another file would have the lines appended to that file). The checks are made on
 * the descriptor, so what was checked is what is written. `shownAs` and `flag` name it in errors.
 */
export function openAppendOnly(file: string, shownAs: string, flag: string): AppendOnlyFile {
  const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP")
      throw new UserError(`${flag} ${shownAs} became a symbolic link after it was checked; nothing was written through it. Remove the link, or name another file with ${flag}.`);
    if (code === "ENXIO") throw new UserError(`${flag} ${shownAs} became a FIFO (named pipe) after it was checked; give the path of a regular file with ${flag}.`);
    throw new UserError(`${flag} ${shownAs} cannot be opened for writing (${code ?? "error"}); give a path in a directory you may write to.`);
  }
  const stat = fs.fstatSync(fd);
  const problem = !stat.isFile() ? `is ${kindOf(stat)}, not a regular file` : stat.nlink > 1 ? `has ${stat.nlink} names (a hard link to another file)` : undefined;
  if (problem !== undefined) {
    fs.closeSync(fd);
    throw new UserError(`${flag} ${shownAs} ${problem}; nothing was written to it. Give the path of a file of its own with ${flag}.`);
  }
  return {
    append: (text) => {
      const bytes = Buffer.from(text, "utf8");
      for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written);
    },
    close: () => fs.closeSync(fd),
  };
}
