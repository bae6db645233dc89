import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../errors";
import { STACKS_DIR } from "./stackFile";

/** What makes a directory the project root: Pulumi looks for it the same way, upward from the working directory. */
export const PROJECT_FILE = "Pulumi.yaml";

/**
 * The nearest directory at or above `from` that holds Pulumi.yaml, or undefined. The CLI finds
 * stacks/ from here wherever the user stands; the program resolves nexxt:connectorConfigDir
 * against it, because the engine may start the program below the root (getPwdMain in
 * pulumi/pkg/workspace: the directory `main:` names), and laptop and CI checkouts differ.
 */
export function findProjectRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, PROJECT_FILE))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The --dir every stack command takes, in one sentence for its help. */
export const DIR_FLAG_HELP =
  "The stack files' directory, or a project root (a directory with Pulumi.yaml), whose stacks/ is used; relative to the current directory [default: stacks/ of the project around the current directory]";

/**
 * Where the stack files are, as an absolute path. With --dir: a directory holding Pulumi.yaml is a
 * project root and its stacks/ is meant, any other directory is the stack directory itself (both
 * relative to where the user stands). Without: stacks/ of the project found upward from cwd, so
 * the commands work from src/, test/ or docs/ as from the root.
 */
export function stacksDirectory(cwd: string, dirFlag: string | undefined): string {
  if (dirFlag !== undefined) {
    const dir = path.resolve(cwd, dirFlag);
    return fs.existsSync(path.join(dir, PROJECT_FILE)) ? path.join(dir, STACKS_DIR) : dir;
  }
  const root = findProjectRoot(cwd);
  if (root === undefined) {
    throw new UserError(
      `No ${PROJECT_FILE} in ${cwd} or any directory above it; run this inside the nexxt-office365 project, or pass --dir with the stack directory (or the project root).`,
    );
  }
  return path.join(root, STACKS_DIR);
}

/** How a path is shown to the user: relative to where they stand (what they would type), "." for cwd itself. */
export function fromCwd(cwd: string, file: string): string {
  return path.relative(cwd, file) || ".";
}

/**
 * Where new-customer may write a stack file: the stack directory as `stacksDirectory` finds it,
 * which must lie inside a project (a directory with Pulumi.yaml at or above it), also after every
 * symbolic link on the way is followed. `--dir /` or `--dir /etc` would otherwise have a stack
 * file written there (`/Pulumi.x.yaml`), where Pulumi never reads it.
 */
export function stacksDirectoryToWrite(cwd: string, dirFlag: string | undefined): string {
  const dir = stacksDirectory(cwd, dirFlag);
  const shown = dirFlag !== undefined ? `--dir ${dirFlag}` : `The stack directory ${fromCwd(cwd, dir)}`;
  const root = findProjectRoot(dir);
  if (root === undefined) {
    throw new UserError(
      `${shown} is not inside a project (no ${PROJECT_FILE} in it or in any directory above it); stack files are only written into a project's stack directory: pass --dir with the project root or its stacks/ directory, or run inside the project without --dir.`,
    );
  }
  let real: string;
  let realRoot: string;
  try {
    real = fs.realpathSync(dir);
    realRoot = fs.realpathSync(root);
  } catch {
    return dir; // a missing directory is reported by the reader, with its own sentence
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new UserError(`${shown} leads outside the project ${fromCwd(cwd, root)} (through a symbolic link, to ${real}); give the project's own stack directory.`);
  }
  return dir;
}
