import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../errors";
import { kindOf } from "./readBoundedFile";

/** A file the command reads: its flag and resolved path, to compare an output against. */
export interface InputFile {
  flag: string;
  file: string;
}

/**
 * Checks, before any request is sent, that a command can write `file` and that writing it cannot
 * destroy something the user gave it: the directory exists and is a writable directory; the path
 * is not a symlink (writing through one lands somewhere the user did not name), not a FIFO or
 * device, and not the same file as any input, by name or by identity (a hard link or a symlink
 * to the input has another name but the same device and inode).
 */
export function checkOutputPath(flag: string, file: string, inputs: readonly InputFile[]): void {
  const directory = path.dirname(file);
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(directory);
  } catch {
    throw new UserError(`${flag} ${file}: the directory ${directory} does not exist; create it first or give a path in an existing directory (nothing was read or sent yet).`);
  }
  if (!dirStat.isDirectory()) throw new UserError(`${flag} ${file}: ${directory} is not a directory; give a path in an existing directory.`);
  try {
    fs.accessSync(directory, fs.constants.W_OK);
  } catch {
    throw new UserError(`${flag} ${file}: the directory ${directory} is not writable for this user; give a path in a directory you may write to.`);
  }
  let own: fs.Stats | undefined;
  try {
    own = fs.lstatSync(file);
  } catch {
    own = undefined;
  }
  if (own !== undefined) {
    if (own.isSymbolicLink()) throw new UserError(`${flag} ${file} is a symbolic link; give the real path to write (a link may point at one of the inputs, or anywhere).`);
    if (!own.isFile()) throw new UserError(`${flag} ${file} is ${kindOf(own)}, not a regular file; give the path of a file to write.`);
  }
  for (const input of inputs) {
    if (path.resolve(input.file) === path.resolve(file)) {
      throw new UserError(`${flag} ${file} is the same file as ${input.flag}; writing it would overwrite the input: give another path.`);
    }
    if (own === undefined) continue;
    let theirs: fs.Stats;
    try {
      theirs = fs.statSync(input.file);
    } catch {
      continue;
    }
    if (theirs.dev === own.dev && theirs.ino === own.ino) {
      throw new UserError(`${flag} ${file} is the same file as ${input.flag} (a link to it); writing it would overwrite the input: give another path.`);
    }
  }
}
