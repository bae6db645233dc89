import { utcTimestamp } from "../util/time";
import type { DeployedFacts, DueReason } from "./dueStacks";
import { dueReasons } from "./dueStacks";
import type { FleetStack } from "./readFleet";
import type { RunRecord } from "./runRecord";

export interface DueEntry {
  stack: string;
  tenantId: string;
  policyConfig: string;
  canary: boolean;
  reasons: DueReason[];
}

export interface DueResult {
  at: string;
  /** Customer stacks looked at. */
  total: number;
  due: DueEntry[];
  /** Stack files that are not valid: never applied, listed so someone fixes them. */
  problems: { stack: string; file: string; message: string }[];
  /**
   * Stacks whose deployment could not be established (outputs unreadable, or run records that
   * say it was applied while the backend does not list it): due only by the schedule, never as
   * "never deployed", and listed so someone looks.
   */
  unknown: { stack: string; message: string }[];
}

export interface DueKnowledge {
  /** undefined when no --deployed directory was given: deployments are then unknown. */
  deployed?: ReadonlyMap<string, DeployedFacts>;
  /** The stacks the state backend listed (with `deployed`): only these can have been deployed. */
  inBackend?: ReadonlySet<string>;
  /** Stacks the backend listed whose outputs could not be read. */
  unreadable?: ReadonlySet<string>;
  runs: ReadonlyMap<string, RunRecord>;
  changed: ReadonlySet<string>;
}

/** The due stacks of a fleet at `at`. Pure: the readers in readFleet.ts do the I/O. */
export function fleetDue(stacks: readonly FleetStack[], knowledge: DueKnowledge, at: Date): DueResult {
  const result: DueResult = { at: utcTimestamp(at), total: stacks.length, due: [], problems: [], unknown: [] };
  for (const entry of stacks) {
    if (!entry.settings) {
      result.problems.push({ stack: entry.stack, file: entry.file, message: entry.problem ?? "invalid stack file" });
      continue;
    }
    const { settings } = entry;
    const lastUp = knowledge.runs.get(entry.stack)?.lastUpAt;
    const deployed = deployedOf(entry.stack, knowledge, lastUp);
    if (typeof deployed === "string") result.unknown.push({ stack: entry.stack, message: deployed });
    const reasons = dueReasons(
      {
        stack: entry.stack,
        rotation: settings.rotation,
        tenantId: settings.tenantId,
        companyId: settings.companyId,
        permissions: settings.permissions.map((permission) => permission.name),
        deployed: typeof deployed === "string" ? undefined : deployed,
        lastUpAt: lastUp ? new Date(lastUp) : undefined,
        fileChanged: knowledge.changed.has(entry.stack),
      },
      at,
    );
    if (reasons.length > 0) result.due.push({ stack: entry.stack, tenantId: settings.tenantId, policyConfig: entry.policyConfig, canary: entry.canary, reasons });
  }
  return result;
}

/**
 * What is deployed for a stack: its facts, null for never deployed, undefined when nothing is known,
 * or why it cannot be known (fail closed: such a stack is not taken for never deployed).
 */
function deployedOf(stack: string, knowledge: DueKnowledge, lastUp: string | undefined): DeployedFacts | null | undefined | string {
  if (!knowledge.deployed) return undefined;
  if (knowledge.unreadable?.has(stack)) return `the deployed outputs of ${stack} could not be read; only its schedule counts today.`;
  const facts = knowledge.deployed.get(stack);
  if (facts) return facts;
  if (knowledge.inBackend && !knowledge.inBackend.has(stack) && lastUp !== undefined) {
    return `the run records say ${stack} was applied on ${lastUp.slice(0, 10)}, but the state backend does not list it (is PULUMI_BACKEND_URL the fleet's?); not applied as new.`;
  }
  return null;
}

export function renderDue(result: DueResult): string {
  const lines = result.due.map((entry) => `${entry.stack}: ${entry.reasons.map((reason) => `${reason.code} (${reason.detail})`).join("; ")}`);
  for (const problem of result.problems) lines.push(`${problem.file}: not checked, the file is invalid: ${problem.message}`);
  for (const unknown of result.unknown) lines.push(`${unknown.stack}: deployment unknown: ${unknown.message}`);
  lines.push(`${result.due.length} of ${result.total} stack(s) need an up on ${result.at.slice(0, 10)}.`);
  return lines.join("\n");
}
