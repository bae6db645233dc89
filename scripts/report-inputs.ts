// Writes, for every deployed customer stack, the masked document `secrets-report` reads:
//
//   node -r ts-node/register/transpile-only scripts/report-inputs.ts --out-dir report-in
//   bin/nexxt-onboard secrets-report --dir report-in --within 30 --json
//
// The connector files with the secret live only where `pulumi up` ran; the scheduled pipeline
// reads each stack's outputs instead, with `pulumi stack output --json` and never --show-secrets,
// so the client secret arrives as "[secret]" and is written as that (src/stacks/reportDocument.ts).
// Exit 1 when any stack could not be read; the others are still written.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { STACKS_DIR } from "../src/stacks/stackFile";
import { UserError } from "../src/errors";
import { serializeConnectorDocument } from "../src/nexxt/connectorDocument";
import { reportDocumentFromOutputs } from "../src/report/reportDocument";
import { customerStackNames } from "../src/stacks/stackDirectory";

export interface ReportInputsResult {
  written: string[];
  failed: { stack: string; reason: string }[];
}

export function writeReportInputs(args: string[], cwd: string, env: NodeJS.ProcessEnv): ReportInputsResult {
  const { values } = parseArgs({ args, options: { "out-dir": { type: "string" } } });
  if (!values["out-dir"]) throw new Error("report-inputs: give --out-dir <directory>");
  const outDir = path.resolve(cwd, values["out-dir"]);
  fs.mkdirSync(outDir, { recursive: true });
  const result: ReportInputsResult = { written: [], failed: [] };
  for (const stack of customerStackNames(cwd, STACKS_DIR)) {
    try {
      const text = execFileSync("pulumi", ["stack", "output", "--json", "--stack", stack], { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const document = reportDocumentFromOutputs(stack, parseJson(text));
      const file = path.join(outDir, `${stack}.nexxt.json`);
      fs.writeFileSync(file, serializeConnectorDocument(document), { mode: 0o600 });
      result.written.push(file);
    } catch (err) {
      // Only our own sentences: pulumi's stderr could echo anything, so it is not repeated.
      const reason = err instanceof UserError ? err.message : `\`pulumi stack output --json --stack ${stack}\` failed (is the stack deployed?)`;
      result.failed.push({ stack, reason });
    }
  }
  return result;
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
    process.stdout.write(`report-inputs: wrote ${result.written.length} document(s).\n`);
    for (const failure of result.failed) process.stdout.write(`::error::${failure.stack}: ${failure.reason}\n`);
    if (result.failed.length > 0) process.exitCode = 1;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
