// One shard job of the onboarding workflow: its stacks one after another.
//
//   node -r ts-node/register/transpile-only scripts/run-shard.ts --mode up --stacks "acme globex" --results results/007.json
//   (--mode preview: pull requests; --mode drift: the weekly `preview --refresh`)
//
// A stack the state backend does not have yet (a new customer's first pull request or up) is
// created first with the passphrase secrets provider (src/automation/ensureStack.ts, as `up`).
// Each stack runs with ARM_TENANT_ID set to its own nexxt:tenantId and ARM_CLIENT_ID to the
// partner's pipeline app of its cloud from partner.yaml (the deploy app for `up`, the read-only
// app for preview and drift; docs/partner-identity.md). `up` is followed by
// `verify`, with the client secret read from the stack output and masked (::add-mask::) before
// anything else runs. A failing stack is logged as ::error:: and the next one still runs; the
// results go to --results for the fleet report and a table to $GITHUB_STEP_SUMMARY, and the exit
// code is 1 when any stack failed.
// The steps themselves are src/fleet/shardRun.ts.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ensureStack } from "../src/automation/ensureStack";
import { ProjectWorkspace, firstLine, openProjectWorkspace } from "../src/automation/projectWorkspace";
import { UserError } from "../src/errors";
import { readFleetStacks } from "../src/fleet/readFleet";
import { CommandResult, SECRET_ENV, ShardDeps, ShardMode, StackJob, StackResult, failuresOf, runShard } from "../src/fleet/shardRun";
import { STACKS_DIR } from "../src/stacks/stackFile";
import { readPartnerConfig } from "../src/partner/partnerConfig";
import { pipelineClientId, roleOfMode } from "../src/partner/pipelineClientId";
import { writeFileAtomicSync } from "../src/util/atomicFile";

const MODES: readonly ShardMode[] = ["up", "preview", "drift"];
/** Bounded waits: an up of this program takes a minute or two; a hung CLI must not hold the shard. */
const TIMEOUT_MS: Record<string, number> = { up: 30 * 60_000, preview: 20 * 60_000, stack: 2 * 60_000 };
const MAX_OUTPUT_BYTES = 20 * 1024 * 1024;

export interface ShardFile {
  shard: string;
  mode: ShardMode;
  results: StackResult[];
}

export function parseShardArgs(args: string[]): { mode: ShardMode; stacks: string[]; results: string; shard: string } {
  const { values } = parseArgs({ args, options: { mode: { type: "string" }, stacks: { type: "string" }, results: { type: "string" } } });
  const mode = values.mode as ShardMode;
  if (!MODES.includes(mode)) throw new Error(`--mode '${values.mode ?? ""}' must be one of ${MODES.join(", ")}.`);
  const stacks = (values.stacks ?? "").split(/\s+/).filter((name) => name !== "");
  if (stacks.length === 0) throw new Error('--stacks must name at least one stack, e.g. --stacks "acme globex" (the matrix\'s stacks field).');
  if (!values.results) throw new Error("--results <file> is required (where the fleet report finds this shard's outcome).");
  return { mode, stacks, results: values.results, shard: path.basename(values.results, ".json") };
}

/** The jobs for the named stacks; a name without a valid stack file becomes a failed result. */
export function jobsFor(cwd: string, mode: ShardMode, names: readonly string[]): { jobs: StackJob[]; invalid: StackResult[] } {
  const fleet = new Map(readFleetStacks(cwd, STACKS_DIR).map((entry) => [entry.stack, entry]));
  const jobs: StackJob[] = [];
  const invalid: StackResult[] = [];
  for (const name of names) {
    const entry = fleet.get(name);
    if (!entry?.settings) {
      invalid.push({
        stack: name,
        mode,
        outcome: "failed",
        step: "input",
        message: entry ? `stacks/Pulumi.${name}.yaml is invalid: ${entry.problem}` : `there is no customer stack file stacks/Pulumi.${name}.yaml.`,
      });
      continue;
    }
    jobs.push({ stack: name, tenantId: entry.settings.tenantId, policyConfig: entry.policyConfig, cloud: entry.settings.cloud.name });
  }
  return { jobs, invalid };
}

/**
 * The client ID of each stack's sign-in, by its tenant: partner.yaml's app for the stack's cloud
 * and the shard's role. A broken partner.yaml stops the shard at once (every stack would fail).
 */
export function clientIdLookup(cwd: string, mode: ShardMode, env: NodeJS.ProcessEnv): (tenantId: string) => string {
  const partner = readPartnerConfig(cwd);
  const cloudOfTenant = new Map(readFleetStacks(cwd, STACKS_DIR).flatMap((entry) => (entry.settings ? [[entry.settings.tenantId, entry.settings.cloud.name] as const] : [])));
  return (tenantId) => pipelineClientId(partner, cloudOfTenant.get(tenantId) ?? "public", roleOfMode(mode), env.ARM_CLIENT_ID);
}

export function processDeps(cwd: string, env: NodeJS.ProcessEnv, clientIdFor?: (tenantId: string) => string): ShardDeps {
  let opened: Promise<ProjectWorkspace> | undefined;
  return {
    // The same code as `nexxt-onboard up` (src/automation/ensureStack.ts), on the backend and
    // passphrase of the job's environment; never a local default in the pipeline.
    ensureStack: async (stack, create) => {
      opened ??= openProjectWorkspace({ projectDir: cwd, env, embeddedDefaults: false });
      try {
        return await ensureStack((await opened).workspace, stack, { create });
      } catch (err) {
        throw new Error(err instanceof UserError ? err.message : `the state backend could not be asked for stack ${stack}: ${firstLine(err)}`);
      }
    },
    pulumi: (args, tenantId) =>
      runPulumi(
        args,
        cwd,
        {
          ...env,
          PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
          ARM_TENANT_ID: tenantId,
          ...(clientIdFor ? { ARM_CLIENT_ID: clientIdFor(tenantId) } : {}),
        },
        TIMEOUT_MS[args[0]] ?? TIMEOUT_MS.stack,
      ),
    verify: async (args, clientSecret) => {
      // Loaded here: the CLI is only needed once an up succeeded.
      const { run } = await import("../src/cli/main");
      const { processIo } = await import("../src/cli/io");
      return run(args, { ...processIo(), cwd, env: { ...env, [SECRET_ENV]: clientSecret } });
    },
    log: (line) => process.stdout.write(`${line}\n`),
    now: () => new Date(),
  };
}

function runPulumi(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn("pulumi", args, { cwd, env, stdio: ["ignore", "pipe", "inherit"], timeout: timeoutMs, killSignal: "SIGTERM" });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT_BYTES) chunks.push(chunk);
    });
    child.on("error", () => resolve({ code: 127, stdout: "" }));
    child.on("close", (code, signal) => resolve({ code: code ?? 1, stdout: Buffer.concat(chunks).toString("utf8"), timedOut: signal === "SIGTERM" }));
  });
}

export async function runShardCommand(args: string[], cwd: string, deps: ShardDeps): Promise<ShardFile> {
  const options = parseShardArgs(args);
  const { jobs, invalid } = jobsFor(cwd, options.mode, options.stacks);
  for (const result of invalid) deps.log(`::error title=${result.stack}::${result.message}`);
  const results = [...invalid, ...(await runShard(options.mode, jobs, deps))];
  const file: ShardFile = { shard: options.shard, mode: options.mode, results };
  const target = path.resolve(cwd, options.results);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomicSync(target, JSON.stringify(file, null, 2) + "\n", { mode: 0o644 });
  return file;
}

/** The shard's lines of the job summary: one row per stack, so a reviewer sees the outcome without the log. */
export function shardSummary(file: ShardFile): string {
  const cell = (text: string) =>
    text
      .replace(/[\r\n]+/g, " ")
      .replace(/\|/g, "\\|")
      .replace(/</g, "&lt;");
  return (
    [
      `#### ${file.mode} shard ${file.shard}`,
      "",
      "| Stack | Outcome | |",
      "|---|---|---|",
      ...file.results.map((r) => `| ${cell(r.stack)} | ${r.outcome} | ${cell(r.message)} |`),
      "",
    ].join("\n") + "\n"
  );
}

if (require.main === module) {
  const cwd = process.cwd();
  Promise.resolve()
    .then(() => runShardCommand(process.argv.slice(2), cwd, processDeps(cwd, process.env, clientIdLookup(cwd, parseShardArgs(process.argv.slice(2)).mode, process.env))))
    .then((file) => {
      if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, shardSummary(file));
      const failures = failuresOf(file.results);
      process.stdout.write(
        `run-shard ${file.shard}: ${file.results.length - failures.length} of ${file.results.length} stack(s) ok${failures.length > 0 ? `; not ok: ${failures.map((f) => f.stack).join(", ")}` : ""}.\n`,
      );
      if (failures.length > 0) process.exitCode = 1;
    })
    .catch((err) => {
      process.stderr.write(`run-shard: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
