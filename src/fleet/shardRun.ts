import { utcTimestamp } from "../util/time";
/**
 * One shard job: its stacks one after another, so a stack is never in two `up`s of one run, and
 * a failing stack never stops the next. Side effects come in as `ShardDeps` (the script passes
 * the real pulumi CLI and the in-process `verify`), so the order, the masking and the failure
 * handling are tested without either.
 */
export type ShardMode = "up" | "preview" | "drift";

export interface StackJob {
  stack: string;
  tenantId: string;
  policyConfig: string;
  cloud: string;
}

export interface StackResult {
  stack: string;
  mode: ShardMode;
  outcome: "ok" | "failed" | "drift";
  /** Which step decided the outcome: "up", "verify", "preview", "input". */
  step: string;
  /** One sentence, never a secret. */
  message: string;
  /** ISO 8601, set when `up` succeeded. */
  upAt?: string;
  /** ISO 8601, set when `verify` passed every check. */
  verifyAt?: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  /** True when the bounded wait ran out and the process was killed. */
  timedOut?: boolean;
}

export interface ShardDeps {
  /**
   * Selects the stack in the state backend; when it is not there and `create` is set, creates it
   * with the passphrase secrets provider (src/automation/ensureStack.ts, shared with `up`).
   */
  ensureStack(stack: string, create: boolean): Promise<"existing" | "created" | "missing">;
  /** Runs `pulumi <args>` with ARM_TENANT_ID set to the stack's tenant; output captured. */
  pulumi(args: string[], tenantId: string): Promise<CommandResult>;
  /** Runs `nexxt-onboard verify <args>` with the secret in the NEXXT_CLIENT_SECRET variable only. */
  verify(args: string[], clientSecret: string): Promise<number>;
  /** A line of the job log. */
  log(line: string): void;
  now(): Date;
}

/** The variable verify reads the secret from (its --client-secret-env default). */
export const SECRET_ENV = "NEXXT_CLIENT_SECRET";
/** New secrets and grants take minutes to work everywhere in Entra. */
export const VERIFY_WAIT_SECONDS = 600;

export async function runShard(mode: ShardMode, jobs: readonly StackJob[], deps: ShardDeps): Promise<StackResult[]> {
  const results: StackResult[] = [];
  for (const job of jobs) {
    deps.log(`::group::${mode} ${job.stack}`);
    let result: StackResult;
    try {
      // A new customer's first pull request and first up meet a stack the backend does not have
      // yet: it is created here. The weekly drift check never creates one.
      const presence = await deps.ensureStack(job.stack, mode !== "drift");
      if (presence === "created") deps.log(`${job.stack}: created the stack in the state backend (first ${mode}).`);
      if (presence === "missing") {
        result = {
          stack: job.stack,
          mode,
          outcome: "drift",
          step: "stack",
          message: `${job.stack} is not in the state backend yet: never deployed; the next daily run applies it.`,
        };
      } else result = mode === "up" ? await upAndVerify(job, deps) : mode === "preview" ? await preview(job, deps) : await drift(job, deps);
    } catch (err) {
      // Our own bug or a spawn failure: this stack failed, the next one still runs.
      result = { stack: job.stack, mode, outcome: "failed", step: mode, message: `${mode} could not run (${err instanceof Error ? err.message : String(err)}).` };
    }
    deps.log("::endgroup::");
    if (result.outcome !== "ok") deps.log(`::error title=${job.stack}::${result.message}`);
    else deps.log(`${job.stack}: ${result.message}`);
    results.push(result);
  }
  return results;
}

function policyArgs(job: StackJob): string[] {
  return ["--policy-pack", "policy", "--policy-pack-config", job.policyConfig];
}

function echo(deps: ShardDeps, output: CommandResult): void {
  if (output.stdout.trim() !== "") deps.log(output.stdout.trimEnd());
}

function failedCommand(what: string, output: CommandResult): string {
  return output.timedOut ? `${what} did not finish in time and was stopped.` : `${what} failed (exit ${output.code}); see the group above.`;
}

async function upAndVerify(job: StackJob, deps: ShardDeps): Promise<StackResult> {
  const base = { stack: job.stack, mode: "up" as const };
  const up = await deps.pulumi(["up", "--yes", "--non-interactive", "--suppress-outputs", "--stack", job.stack, ...policyArgs(job)], job.tenantId);
  echo(deps, up);
  if (up.code !== 0) return { ...base, outcome: "failed", step: "up", message: failedCommand(`pulumi up --stack ${job.stack}`, up) };
  const upAt = utcTimestamp(deps.now());

  // The connector file stays on the runner that ran up; verify gets the secret from the stack
  // output instead, masked in the log before anything else can print it. Never echoed.
  const outputs = await deps.pulumi(["stack", "output", "--json", "--show-secrets", "--stack", job.stack], job.tenantId);
  const connection = outputs.code === 0 ? connectionOf(outputs.stdout) : `\`pulumi stack output --stack ${job.stack}\` failed (exit ${outputs.code})`;
  if (typeof connection === "string") {
    return { ...base, outcome: "failed", step: "verify", upAt, message: `up succeeded, but verify cannot run: ${connection}.` };
  }
  deps.log(`::add-mask::${escapeCommandData(connection.clientSecret)}`);
  const args = [
    "verify",
    "--tenant-id",
    connection.tenantId,
    "--client-id",
    connection.applicationId,
    "--client-secret-env",
    SECRET_ENV,
    "--cloud",
    job.cloud,
    "--wait",
    String(VERIFY_WAIT_SECONDS),
  ];
  if (connection.permissions.length > 0) args.push("--permissions", connection.permissions.join(","));
  const code = await deps.verify(args, connection.clientSecret);
  if (code !== 0)
    return { ...base, outcome: "failed", step: "verify", upAt, message: `up succeeded, verify failed (exit ${code}): Nexxt cannot use the secret yet; see the checks above.` };
  return { ...base, outcome: "ok", step: "verify", upAt, verifyAt: utcTimestamp(deps.now()), message: "up and verify passed." };
}

interface Connection {
  tenantId: string;
  applicationId: string;
  clientSecret: string;
  permissions: string[];
}

/** The outputs verify needs, or why they are not there (a sentence that never quotes a value). */
function connectionOf(stdout: string): Connection | string {
  let outputs: Record<string, unknown>;
  try {
    outputs = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return "the stack outputs are not JSON";
  }
  const text = (key: string) => (typeof outputs?.[key] === "string" && outputs[key] !== "" ? (outputs[key] as string) : undefined);
  const missing = ["tenantId", "applicationId", "clientSecret"].filter((key) => text(key) === undefined);
  if (missing.length > 0) return `the stack has no ${missing.join(", ")} output`;
  if (text("clientSecret") === "[secret]") return "the client secret output arrived masked (run with --show-secrets)";
  const permissions = Array.isArray(outputs.grantedPermissions) ? outputs.grantedPermissions.filter((p): p is string => typeof p === "string") : [];
  return { tenantId: text("tenantId")!, applicationId: text("applicationId")!, clientSecret: text("clientSecret")!, permissions };
}

async function preview(job: StackJob, deps: ShardDeps): Promise<StackResult> {
  const output = await deps.pulumi(["preview", "--non-interactive", "--diff", "--suppress-outputs", "--stack", job.stack, ...policyArgs(job)], job.tenantId);
  echo(deps, output);
  if (output.code !== 0) return { stack: job.stack, mode: "preview", outcome: "failed", step: "preview", message: failedCommand(`pulumi preview --stack ${job.stack}`, output) };
  return { stack: job.stack, mode: "preview", outcome: "ok", step: "preview", message: "preview passed the policy pack." };
}

/**
 * `preview --refresh` reads every resource back from Entra and compares it with the program,
 * without writing state ("No changes to the stack will actually take place",
 * https://www.pulumi.com/docs/iac/cli/commands/pulumi_preview/): a permission or consent removed
 * in the portal, or a secret deleted by hand, shows up as a change to make. `--json` carries the
 * `changeSummary` (the Automation API's PreviewResult reads the same field); `--suppress-outputs`
 * keeps the stack outputs out of that JSON (pulumi/pulumi#2765).
 */
async function drift(job: StackJob, deps: ShardDeps): Promise<StackResult> {
  const base = { stack: job.stack, mode: "drift" as const, step: "preview" };
  const output = await deps.pulumi(["preview", "--refresh", "--json", "--suppress-outputs", "--non-interactive", "--stack", job.stack, ...policyArgs(job)], job.tenantId);
  if (output.code !== 0) {
    echo(deps, output);
    return { ...base, outcome: "failed", message: failedCommand(`pulumi preview --refresh --stack ${job.stack}`, output) };
  }
  let summary: Record<string, number> | undefined;
  try {
    summary = (JSON.parse(output.stdout) as { changeSummary?: Record<string, number> }).changeSummary;
  } catch {
    summary = undefined;
  }
  if (!summary) return { ...base, outcome: "failed", message: "pulumi preview --json printed no changeSummary; cannot tell whether the stack drifted." };
  const changes = Object.entries(summary).filter(([kind, count]) => kind !== "same" && count > 0);
  if (changes.length === 0) return { ...base, outcome: "ok", message: "no drift." };
  return {
    ...base,
    outcome: "drift",
    message: `drift: the next up would ${changes.map(([kind, count]) => `${kind} ${count}`).join(", ")} resource(s); run \`pulumi preview --refresh --stack ${job.stack}\` to see what changed in the portal.`,
  };
}

/**
 * Workflow command data is unescaped by the runner before use (%25 -> %, %0D, %0A), so a value
 * with a '%' is masked only when escaped the way actions/toolkit's core.setSecret does
 * (packages/core/src/command.ts, escapeData).
 */
export function escapeCommandData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** The failures of a shard or a run: every result that is not ok. */
export function failuresOf(results: readonly StackResult[]): StackResult[] {
  return results.filter((result) => result.outcome !== "ok");
}
