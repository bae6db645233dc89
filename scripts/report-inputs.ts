// Writes, for every deployed customer stack, the masked document `secrets-report` reads:
//
//   node -r ts-node/register/transpile-only scripts/report-inputs.ts --out-dir report-in
//   npx nexxt-onboard secrets-report --dir report-in --within 30 --json
//
// The connector files with the secret live only where `pulumi up` ran; the scheduled pipeline
// reads each stack's outputs instead, with `pulumi stack output --json` and never --show-secrets,
// so the client secret arrives as "[secret]" and is written as that (src/stacks/reportDocument.ts).
// First `pulumi stack ls --json`: which stacks the backend has. The list and what could not be read
// go to <out-dir>/backend-stacks.json, which `due --deployed` requires: without it (the backend
// could not be listed) the daily run stops instead of taking every stack for never deployed.
// A stack the backend does not have, or that has no outputs yet, is never deployed. Exit 1 when
// the backend could not be listed or any stack could not be read; the others are still written.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { STACKS_DIR } from "../src/stacks/stackFile";
import { UserError } from "../src/errors";
import { serializeConnectorDocument } from "../src/nexxt/connectorDocument";
import { reportDocumentFromOutputs } from "../src/report/reportDocument";
import { customerStackNames } from "../src/stacks/stackDirectory";
import { BACKEND_MANIFEST, BackendManifest } from "../src/fleet/readFleet";

export interface ReportInputsResult {
  written: string[];
  failed: { stack: string; reason: string }[];
  /** Customer stacks the backend does not have, or has without outputs (never applied). */
  notDeployed: string[];
}

export function writeReportInputs(args: string[], cwd: string, env: NodeJS.ProcessEnv): ReportInputsResult {
  const { values } = parseArgs({ args, options: { "out-dir": { type: "string" } } });
  if (!values["out-dir"]) throw new Error("report-inputs: give --out-dir <directory>");
  const outDir = path.resolve(cwd, values["out-dir"]);
  fs.mkdirSync(outDir, { recursive: true });
  // A manifest of an earlier run must never stand for this one.
  fs.rmSync(path.join(outDir, BACKEND_MANIFEST), { force: true });
  const pulumiEnv = { ...env, PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" };
  const pulumi = (args: string[]) =>
    execFileSync("pulumi", args, { cwd, env: pulumiEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000, maxBuffer: 20 * 1024 * 1024 });
  let inBackend: Set<string>;
  try {
    inBackend = new Set(parseStackList(pulumi(["stack", "ls", "--json"])));
  } catch (err) {
    throw new UserError(
      err instanceof UserError ? err.message : "`pulumi stack ls --json` failed: the state backend could not be listed (PULUMI_BACKEND_URL, the login); nothing was written.",
    );
  }
  const result: ReportInputsResult = { written: [], failed: [], notDeployed: [] };
  for (const stack of customerStackNames(cwd, STACKS_DIR)) {
    if (!inBackend.has(stack)) {
      result.notDeployed.push(stack);
      continue;
    }
    try {
      const outputs = parseJson(pulumi(["stack", "output", "--json", "--stack", stack]));
      if (isEmptyObject(outputs)) {
        result.notDeployed.push(stack);
        continue;
      }
      const document = reportDocumentFromOutputs(stack, outputs);
      const file = path.join(outDir, `${stack}.nexxt.json`);
      fs.writeFileSync(file, serializeConnectorDocument(document), { mode: 0o600 });
      result.written.push(file);
    } catch (err) {
      // Only our own sentences: pulumi's stderr could echo anything, so it is not repeated.
      const reason = err instanceof UserError ? err.message : `\`pulumi stack output --json --stack ${stack}\` failed (is the stack deployed?)`;
      result.failed.push({ stack, reason });
    }
  }
  const manifest: BackendManifest = { inBackend: [...inBackend].sort(), unreadable: result.failed.map((failure) => failure.stack) };
  fs.writeFileSync(path.join(outDir, BACKEND_MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  return result;
}

/** `pulumi stack ls --json` (pkg/cmd/pulumi/stack/stack_list.go: [{name, ...}]); a qualified name's last part. */
export function parseStackList(text: string): string[] {
  const rows = parseJson(text);
  if (!Array.isArray(rows) || rows.some((row) => typeof row?.name !== "string")) {
    throw new UserError("`pulumi stack ls --json` did not print a list of stacks; nothing was written.");
  }
  return rows.map((row: { name: string }) => row.name.split("/").pop()!);
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  try {
    const result = writeReportInputs(process.argv.slice(2), process.cwd(), process.env);
    process.stdout.write(`report-inputs: wrote ${result.written.length} document(s); never deployed: ${result.notDeployed.length}.\n`);
    for (const failure of result.failed) process.stdout.write(`::error::${failure.stack}: ${failure.reason}\n`);
    if (result.failed.length > 0) process.exitCode = 1;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
