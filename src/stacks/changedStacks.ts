import { STACKS_DIR, stackNameOfFile } from "./stackFile";

/**
 * Files every stack depends on: a change to any of them can change what `pulumi up` does for
 * every customer, so the pipeline previews (on a pull request) and applies (on main) all stacks.
 */
const PROGRAM_FILES: readonly RegExp[] = [/^src\//, /^policy\/(?!config\/)/, /^Pulumi\.yaml$/, /^package(-lock)?\.json$/, /^tsconfig\.json$/];

/** A change to any of these files can change what `pulumi up` does for every customer. */
export function isProgramFile(file: string): boolean {
  return PROGRAM_FILES.some((pattern) => pattern.test(file));
}

export const POLICY_CONFIG_DIR = "policy/config";
export const DEFAULT_POLICY_CONFIG = `${POLICY_CONFIG_DIR}/default.json`;

/**
 * The customer stacks a change touches: their stack file or their policy config changed, or the
 * program did. Deleted stack files are not in `customerStacks` and so never run (destroying a
 * customer is a deliberate, manual `pulumi destroy`). Pure: the script feeds it `git diff`.
 */
export function stacksToRun(changedPaths: readonly string[], customerStacks: readonly string[]): string[] {
  if (changedPaths.some((file) => PROGRAM_FILES.some((pattern) => pattern.test(file)))) return [...customerStacks].sort();
  const touched = new Set<string>();
  for (const file of changedPaths) {
    const stack = stackOfPath(file);
    if (stack !== undefined && customerStacks.includes(stack)) touched.add(stack);
  }
  return [...touched].sort();
}

function stackOfPath(file: string): string | undefined {
  if (file.startsWith(`${STACKS_DIR}/`) && !file.slice(STACKS_DIR.length + 1).includes("/")) return stackNameOfFile(file);
  const config = new RegExp(`^${POLICY_CONFIG_DIR}/([^/]+)\\.json$`).exec(file);
  return config ? config[1] : undefined;
}

/** A stack's own policy config (e.g. allowHighPrivilege) when it has one, else the default. */
export function policyConfigFor(stack: string, policyConfigFiles: readonly string[]): string {
  const own = `${POLICY_CONFIG_DIR}/${stack}.json`;
  return policyConfigFiles.includes(own) ? own : DEFAULT_POLICY_CONFIG;
}
