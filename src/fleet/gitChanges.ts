import { execFileSync } from "node:child_process";
import { UserError } from "../errors";
import { stacksToRun } from "../stacks/changedStacks";
import { STACKS_DIR } from "../stacks/stackFile";
import { POLICY_CONFIG_DIR } from "../stacks/changedStacks";

/** Files changed between the merge base of base and head, and head (what a pull request shows). */
export function changedFilesSince(cwd: string, base: string, head = "HEAD"): string[] {
  let output: string;
  try {
    output = execFileSync("git", ["diff", "--name-only", `${base}...${head}`], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  } catch {
    throw new UserError(`git cannot compare '${base}' with ${head} in ${cwd}; give a commit that exists here (fetch with fetch-depth: 0 in the pipeline).`);
  }
  return output.split("\n").filter((line) => line !== "");
}

/**
 * The stacks whose own files (stack file, policy config) are among `paths`. Program files do not
 * count here: a program change rolls out through the canaries, not as a reason of every stack.
 */
export function stacksWithChangedFiles(paths: readonly string[], customers: readonly string[]): string[] {
  return stacksToRun(
    paths.filter((file) => file.startsWith(`${STACKS_DIR}/`) || file.startsWith(`${POLICY_CONFIG_DIR}/`)),
    customers,
  );
}
