import * as fs from "node:fs";
import { HARMLESS, quoteRejected } from "../util/redact";
import * as path from "node:path";
import { ConfigError } from "../config/configProblem";
import type { ConnectorSettings } from "../config/settings";
import { UserError } from "../errors";
import { parseConnectorDocument } from "../nexxt/connectorDocument";
import { POLICY_CONFIG_DIR, policyConfigFor } from "../stacks/changedStacks";
import { isExampleStack } from "../stacks/exampleStack";
import { parseStackFileText, readStackFileText, settingsOfStackFile, stackNameOfFile } from "../stacks/stackFile";
import { FILE_LIMITS, readBoundedFile } from "../util/readBoundedFile";
import { hasCanaryMarker } from "./canaryMarker";
import type { DeployedFacts } from "./dueStacks";
import { RunRecord, parseRunRecord } from "./runRecord";

/** One customer stack file as the fleet code sees it: valid settings, or the problem. */
export interface FleetStack {
  stack: string;
  /** As the user is shown it: relative to where they stand (readFleetStacks' shownFrom). */
  file: string;
  settings?: ConnectorSettings;
  problem?: string;
  canary: boolean;
  policyConfig: string;
}

/**
 * Every customer stack file in `dir` (the example excluded), each validated on its own. `dir` is
 * relative to `projectDir` (or absolute); files are named relative to `shownFrom` (where the user
 * stands; default the project directory). Files go through the bounded reader: a symlink, FIFO
 * or huge file is that stack's problem, never a hang or a silent skip.
 */
export function readFleetStacks(projectDir: string, dir: string, shownFrom: string = projectDir): FleetStack[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(path.resolve(projectDir, dir))
      .filter((name) => /\.ya?ml$/i.test(name))
      .sort();
  } catch {
    throw new UserError(
      `The stack directory ${quoteRejected(dir, HARMLESS.path)} does not exist in ${projectDir}; run this from the project directory (the one with Pulumi.yaml) or pass --dir.`,
    );
  }
  const policyDir = path.join(projectDir, POLICY_CONFIG_DIR);
  const policyFiles = fs.existsSync(policyDir) ? fs.readdirSync(policyDir).map((name) => `${POLICY_CONFIG_DIR}/${name}`) : [];
  const stacks: FleetStack[] = [];
  for (const name of names) {
    const stack = stackNameOfFile(name);
    if (stack === undefined || isExampleStack(stack)) continue;
    const absolute = path.resolve(projectDir, dir, name);
    const file = path.relative(shownFrom, absolute) || absolute;
    let text: string;
    try {
      text = readStackFileText(absolute, file);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      stacks.push({ stack, file, canary: false, policyConfig: policyConfigFor(stack, policyFiles), problem: err.message });
      continue;
    }
    const entry: FleetStack = { stack, file, canary: hasCanaryMarker(text), policyConfig: policyConfigFor(stack, policyFiles) };
    try {
      entry.settings = settingsOfStackFile(parseStackFileText(text, stack, file));
    } catch (err) {
      if (err instanceof ConfigError) entry.problem = err.problems.map((problem) => problem.message).join(" ");
      else if (err instanceof UserError) entry.problem = err.message;
      else throw err;
    }
    stacks.push(entry);
  }
  return stacks;
}

const DOCUMENT_SUFFIX = ".nexxt.json";

/** What scripts/report-inputs.ts found in the state backend, written beside the documents. */
export const BACKEND_MANIFEST = "backend-stacks.json";
export interface BackendManifest {
  /** Every stack `pulumi stack ls` listed. */
  inBackend: string[];
  /** Stacks listed whose outputs could not be read: their deployment is unknown. */
  unreadable: string[];
}

/** What is known of the deployments: the documents, and which stacks the backend has. */
export interface DeployedState {
  facts: Map<string, DeployedFacts>;
  inBackend: ReadonlySet<string>;
  unreadable: ReadonlySet<string>;
}

/**
 * The documents and the manifest of a --deployed directory. Without the manifest the backend was
 * not listed, and "no document" cannot be told from "never deployed": refused, so a failed read
 * never turns every stack into a never-deployed one (the daily run would apply the whole fleet).
 */
export function readDeployedState(dir: string): DeployedState {
  const facts = readDeployedFacts(dir);
  const file = path.join(dir, BACKEND_MANIFEST);
  let manifest: BackendManifest;
  try {
    manifest = JSON.parse(readJson(file, "--deployed")) as BackendManifest;
    if (!Array.isArray(manifest.inBackend) || !Array.isArray(manifest.unreadable)) throw new Error("not a manifest");
  } catch {
    throw new UserError(
      `${file} is missing or unreadable: the state backend was not listed, so it is unknown which stacks were ever deployed; nothing is planned (run scripts/report-inputs.ts again and check its errors).`,
    );
  }
  return { facts, inBackend: new Set(manifest.inBackend), unreadable: new Set(manifest.unreadable) };
}

/**
 * The masked documents scripts/report-inputs.ts writes (`<stack>.nexxt.json`, apiKey "[secret]"):
 * what each deployed stack's outputs say. A stack without a readable document is absent.
 */
export function readDeployedFacts(dir: string): Map<string, DeployedFacts> {
  const facts = new Map<string, DeployedFacts>();
  for (const name of listDir(dir, "--deployed", "the directory scripts/report-inputs.ts wrote (report-in)")) {
    if (!name.endsWith(DOCUMENT_SUFFIX)) continue;
    try {
      const document = parseConnectorDocument(JSON.parse(readJson(path.join(dir, name), "--deployed")), name);
      facts.set(name.slice(0, -DOCUMENT_SUFFIX.length), {
        applicationId: document.applicationId,
        secretExpiresAt: document.secretExpiresAt,
        tenantId: document.tenantId,
        companyId: document.companyId,
        permissions: document.permissions,
      });
    } catch {
      // Unreadable counts as not deployed: the up it triggers rewrites the outputs.
    }
  }
  return facts;
}

/** The run records (`<stack>.json`); an unreadable one is ignored, as if never recorded. */
export function readRunRecords(dir: string): Map<string, RunRecord> {
  const records = new Map<string, RunRecord>();
  if (!fs.existsSync(dir)) return records;
  for (const name of listDir(dir, "--runs", "the run records directory (fleet-runs)")) {
    if (!name.endsWith(".json")) continue;
    try {
      const record = parseRunRecord(JSON.parse(readJson(path.join(dir, name), "--runs")), name);
      records.set(record.stack, record);
    } catch {
      continue;
    }
  }
  return records;
}

function listDir(dir: string, flag: string, what: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    throw new UserError(`${flag} '${dir}' is not a readable directory; give ${what}.`);
  }
}

/** A small JSON file of the pipeline's own (a masked document, a run record), through the bounded reader. */
function readJson(file: string, flag: string): string {
  return readBoundedFile(file, { what: `${flag} file`, maxBytes: FILE_LIMITS.connectorDocument, hint: "it is rewritten by the next pipeline run" });
}
