import * as fs from "node:fs";
import { HARMLESS, quoteRejected } from "../util/redact";
import * as path from "node:path";
import { ConfigError } from "../config/configProblem";
import { CONFIG_NAMESPACE, parseCompanyId, parseDisplayName, parseTenantId } from "../config/schema";
import { checkStackName, parseStackFileText, readStackFileText, settingsOfStackFile, StackFile, stackNameOfFile } from "./stackFile";
import { UserError } from "../errors";
import { crossStackProblems } from "./crossStackRules";
import { isExampleStack } from "./exampleStack";
import { hasSharedTenantMarker } from "./sharedTenantMarker";
import type { StackIdentity } from "./stackIdentity";
import type { StackProblem } from "./stackProblem";

export interface StackDirectoryReport {
  /** Relative to the project directory. */
  dir: string;
  stacks: { stack: string; file: string; valid: boolean }[];
  /** Every problem of every file, then the cross-stack ones. */
  problems: StackProblem[];
  /** Worth knowing, not wrong: they do not change the exit code. */
  notices: StackProblem[];
}

/**
 * Checks every stack file in `dir` (relative to the project directory): each with the program's
 * own validation (settingsOfStackFile), then all together with the cross-stack rules. Collects
 * every problem instead of stopping at the first, so one run lists all there is to fix.
 */
export function checkStackDirectory(projectDir: string, dir: string): StackDirectoryReport {
  const report: StackDirectoryReport = { dir, stacks: [], problems: [], notices: [] };
  const identities: StackIdentity[] = [];
  for (const entry of listYamlFiles(projectDir, dir)) {
    const file = path.join(dir, entry);
    const stack = stackNameOfFile(entry);
    if (stack === undefined) {
      report.problems.push({ file, message: `${file} is not a stack file: Pulumi reads only Pulumi.<stack>.yaml here; rename it or move it out of ${dir}.` });
      continue;
    }
    const read = readOne(projectDir, file, stack);
    report.problems.push(...read.problems);
    report.stacks.push({ stack, file, valid: read.problems.length === 0 });
    if (read.identity) identities.push(read.identity);
  }
  report.problems.push(...crossStackProblems(identities));
  return report;
}

/** The identities (tenant, company, display name, marker) of the stacks in `dir`, for new-customer. */
export function readStackIdentities(projectDir: string, dir: string): StackIdentity[] {
  return listYamlFiles(projectDir, dir).flatMap((entry) => {
    const stack = stackNameOfFile(entry);
    return stack === undefined ? [] : (readOne(projectDir, path.join(dir, entry), stack).identity ?? []);
  });
}

function listYamlFiles(projectDir: string, dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.resolve(projectDir, dir), { withFileTypes: true });
  } catch {
    throw new UserError(`The stack directory ${quoteRejected(dir, HARMLESS.path)} does not exist (seen from ${projectDir}); pass --dir with the directory of the Pulumi.<stack>.yaml files, or the project root (the directory with Pulumi.yaml).`);
  }
  // Not only regular files: a symlink, FIFO or directory named like a stack file is reported by
  // readOne (Pulumi would read it, or fail on it), never skipped in silence.
  return entries
    .filter((entry) => /\.ya?ml$/i.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

function readOne(projectDir: string, file: string, stack: string): { problems: StackProblem[]; identity?: StackIdentity } {
  const problems: StackProblem[] = [];
  try {
    checkStackName(stack);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push({ file, message: err.message });
  }
  let text: string;
  try {
    text = readStackFileText(path.resolve(projectDir, file), file);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { problems: [...problems, { file, message: err.message }] };
  }
  let stackFile: StackFile;
  try {
    stackFile = parseStackFileText(text, stack, file);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { problems: [...problems, { file, message: err.message }] };
  }
  try {
    settingsOfStackFile(stackFile);
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems.map((problem) => ({ file, key: problem.key, message: problem.message })));
    else if (err instanceof UserError) problems.push({ file, message: err.message });
    else throw err;
  }
  return { problems, identity: identityOf(stackFile, hasSharedTenantMarker(text)) };
}

/** Each value on its own, so a duplicate tenant is found even when another key of the file is wrong. */
function identityOf(stackFile: StackFile, sharedTenant: boolean): StackIdentity {
  const value = (key: string) => stackFile.config[`${CONFIG_NAMESPACE}:${key}`];
  return {
    stack: stackFile.stack,
    file: stackFile.file,
    tenantId: valueOrUndefined(() => parseTenantId(value("tenantId"))),
    companyId: valueOrUndefined(() => parseCompanyId(value("companyId"))),
    displayName: valueOrUndefined(() => parseDisplayName(value("displayName"))),
    sharedTenant,
  };
}

function valueOrUndefined(parse: () => string): string | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

/** Every stack with a file in `dir`, the example's too, sorted. */
export function stackNamesIn(projectDir: string, dir: string): string[] {
  return listYamlFiles(projectDir, dir)
    .map((entry) => stackNameOfFile(entry))
    .filter((stack): stack is string => stack !== undefined);
}

/** The customer stacks (every stack file but the example's), sorted. */
export function customerStackNames(projectDir: string, dir: string): string[] {
  return listYamlFiles(projectDir, dir)
    .map((entry) => stackNameOfFile(entry))
    .filter((stack): stack is string => stack !== undefined && !isExampleStack(stack));
}
