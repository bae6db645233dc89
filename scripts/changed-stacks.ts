// Which customer stacks a push or pull request touches, as a GitHub Actions matrix.
//
//   node -r ts-node/register/transpile-only scripts/changed-stacks.ts --base <sha> [--head <sha>]
//   node -r ts-node/register/transpile-only scripts/changed-stacks.ts --all
//
// Prints {"include":[{"stack","tenantId","policyConfig"}]}; under GitHub Actions also appends
// `matrix=<json>` and `any=true|false` to $GITHUB_OUTPUT. A base of all zeros (a new branch) or
// --all selects every customer stack. The decision itself is src/stacks/changedStacks.ts.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parseTenantId } from "../src/config/schema";
import { readStackFile, STACKS_DIR } from "../src/stacks/stackFile";
import { POLICY_CONFIG_DIR, policyConfigFor, stacksToRun } from "../src/stacks/changedStacks";
import { customerStackNames } from "../src/stacks/stackDirectory";

export interface MatrixEntry {
  stack: string;
  /** ARM_TENANT_ID of the job: the azuread provider signs in to the customer's tenant. */
  tenantId: string;
  policyConfig: string;
}

export function changedStacksMatrix(args: string[], cwd: string): { include: MatrixEntry[] } {
  const { values } = parseArgs({ args, options: { base: { type: "string" }, head: { type: "string", default: "HEAD" }, all: { type: "boolean", default: false } } });
  const customers = customerStackNames(cwd, STACKS_DIR);
  let stacks: string[];
  if (values.all || values.base === undefined || /^0*$/.test(values.base)) {
    if (!values.all && values.base === undefined) throw new Error("changed-stacks: give --base <commit> (or --all)");
    stacks = customers;
  } else {
    stacks = stacksToRun(changedFiles(cwd, values.base, values.head!), customers);
  }
  const configs = fs.existsSync(path.join(cwd, POLICY_CONFIG_DIR)) ? fs.readdirSync(path.join(cwd, POLICY_CONFIG_DIR)).map((name) => `${POLICY_CONFIG_DIR}/${name}`) : [];
  return {
    include: stacks.map((stack) => ({
      stack,
      tenantId: parseTenantId(readStackFile(cwd, stack).config["nexxt:tenantId"]),
      policyConfig: policyConfigFor(stack, configs),
    })),
  };
}

/** Files changed between the merge base of base and head, and head (what a pull request shows). */
function changedFiles(cwd: string, base: string, head: string): string[] {
  const output = execFileSync("git", ["diff", "--name-only", `${base}...${head}`], { cwd, encoding: "utf8" });
  return output.split("\n").filter((line) => line !== "");
}

export function writeGithubOutput(file: string, matrix: { include: MatrixEntry[] }): void {
  fs.appendFileSync(file, `matrix=${JSON.stringify(matrix)}\nany=${matrix.include.length > 0}\n`);
}

if (require.main === module) {
  try {
    const matrix = changedStacksMatrix(process.argv.slice(2), process.cwd());
    process.stdout.write(`${JSON.stringify(matrix)}\n`);
    if (process.env.GITHUB_OUTPUT) writeGithubOutput(process.env.GITHUB_OUTPUT, matrix);
  } catch (err) {
    process.stderr.write(`changed-stacks: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
