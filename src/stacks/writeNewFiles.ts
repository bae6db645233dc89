import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../errors";

export interface NewFile {
  /** Absolute path. */
  path: string;
  text: string;
  /** As the user sees it, for messages. */
  shownAs: string;
}

/**
 * Writes every file or none, never overwriting one: each text goes to a temporary name in its
 * directory first (a name validate and Pulumi ignore: it does not end in .yaml), then each is
 * hard-linked to its real name, which fails if that name exists (created since the check, say),
 * and on any failure the names already linked by this call are removed again. A crash in the
 * middle leaves some files complete and none half-written; the same command then sees them as
 * existing customers and writes the rest.
 */
export function writeNewFilesAllOrNothing(files: readonly NewFile[]): void {
  const temporary = files.map((file, index) => `${path.join(path.dirname(file.path), `.${path.basename(file.path)}`)}.new-${process.pid}-${index}`);
  const linked: string[] = [];
  try {
    files.forEach((file, index) => fs.writeFileSync(temporary[index], file.text, { flag: "wx" }));
    files.forEach((file, index) => {
      try {
        fs.linkSync(temporary[index], file.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") {
          throw new UserError(`${file.shownAs} appeared while the list was written; nothing of the list was kept: run the same command again (it will name that customer as existing).`);
        }
        throw err;
      }
      linked.push(file.path);
    });
  } catch (err) {
    for (const file of linked) fs.rmSync(file, { force: true });
    throw err;
  } finally {
    for (const file of temporary) fs.rmSync(file, { force: true });
  }
}
