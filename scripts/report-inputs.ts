// Writes, for every deployed customer stack, the masked document `secrets-report` reads:
//
//   node -r ts-node/register/transpile-only scripts/report-inputs.ts --out-dir report-in
//   bin/nexxt-onboard secrets-report --dir report-in --within 30 --json
//
// The connector files with the secret live only where `pulumi up` ran; the scheduled pipeline
// reads each stack's outputs instead, with `pulumi stack output --json` and never --show-secrets,
// so the client secret arrives as "[secret]" and is written as that (src/report/reportDocument.ts; the reads are src/automation/backendFleet.ts, as `fleet`'s).
// First `pulumi stack ls --json`: which stacks the backend has. The list and what could not be read
// go to <out-dir>/backend-stacks.json, which `due --deployed` requires: without it (the backend
// could not be listed) the daily run stops instead of taking every stack for never deployed.
// A stack the backend does not have, or that has no outputs yet, is never deployed. Exit 1 when
// the backend could not be listed or any stack could not be read; the others are still written.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { STACKS_DIR } from "../src/stacks/stackFile";
import { UserError } from "../src/errors";
import { writeFileAtomicSync } from "../src/util/atomicFile";
import { serializeConnectorDocument } from "../src/nexxt/connectorDocument";
import { readBackendFleet } from "../src/automation/backendFleet";
import { findPulumiOnPath } from "../src/automation/projectWorkspace";
import { customerStackNames } from "../src/stacks/stackDirectory";
import { BACKEND_MANIFEST, BackendManifest } from "../src/fleet/readFleet";

export interface ReportInputsResult {
  written: string[];
  failed: { stack: string; reason: string }[];
  /** Customer stacks the backend does not have, or has without outputs (never applied). */
  notDeployed: string[];
}

export async function writeReportInputs(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ReportInputsResult> {
  const { values } = parseArgs({ args, options: { "out-dir": { type: "string" } } });
  if (!values["out-dir"]) throw new Error("report-inputs: give --out-dir <directory>");
  const outDir = path.resolve(cwd, values["out-dir"]);
  fs.mkdirSync(outDir, { recursive: true });
  // A manifest of an earlier run must never stand for this one.
  fs.rmSync(path.join(outDir, BACKEND_MANIFEST), { force: true });
  const cli = findPulumiOnPath(env);
  if (cli === undefined) throw new UserError("The Pulumi CLI (`pulumi`) is not on PATH; install it before this step (pulumi/actions).");
  const stacks = customerStackNames(cwd, STACKS_DIR);
  // The same reads as `nexxt-onboard fleet`: stack ls, then stack output without --show-secrets.
  const fleet = await readBackendFleet({ cli, cwd, env: { ...env, PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" }, stacks, historyFor: new Set() });
  const result: ReportInputsResult = { written: [], failed: [...fleet.unreadable].map(([stack, reason]) => ({ stack, reason })), notDeployed: [] };
  for (const stack of stacks) {
    const document = fleet.deployed.get(stack);
    if (document) {
      const file = path.join(outDir, `${stack}.nexxt.json`);
      // Holds the masked document; written new and renamed, never through a link planted at the name.
      writeFileAtomicSync(file, serializeConnectorDocument(document));
      result.written.push(file);
    } else if (!fleet.unreadable.has(stack)) result.notDeployed.push(stack);
  }
  const manifest: BackendManifest = { inBackend: [...fleet.inBackend].sort(), unreadable: [...fleet.unreadable.keys()].sort() };
  fs.writeFileSync(path.join(outDir, BACKEND_MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  return result;
}

if (require.main === module) {
  writeReportInputs(process.argv.slice(2), process.cwd(), process.env)
    .then((result) => {
      process.stdout.write(`report-inputs: wrote ${result.written.length} document(s); never deployed: ${result.notDeployed.length}.\n`);
      for (const failure of result.failed) process.stdout.write(`::error::${failure.stack}: ${failure.reason}\n`);
      if (result.failed.length > 0) process.exitCode = 1;
    })
    .catch((err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
