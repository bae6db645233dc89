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
}

export interface DueKnowledge {
  /** undefined when no --deployed directory was given: deployments are then unknown. */
  deployed?: ReadonlyMap<string, DeployedFacts>;
  runs: ReadonlyMap<string, RunRecord>;
  changed: ReadonlySet<string>;
}

/** The due stacks of a fleet at `at`. Pure: the readers in readFleet.ts do the I/O. */
export function fleetDue(stacks: readonly FleetStack[], knowledge: DueKnowledge, at: Date): DueResult {
  const result: DueResult = { at: utcTimestamp(at), total: stacks.length, due: [], problems: [] };
  for (const entry of stacks) {
    if (!entry.settings) {
      result.problems.push({ stack: entry.stack, file: entry.file, message: entry.problem ?? "invalid stack file" });
      continue;
    }
    const { settings } = entry;
    const lastUp = knowledge.runs.get(entry.stack)?.lastUpAt;
    const reasons = dueReasons(
      {
        stack: entry.stack,
        rotation: settings.rotation,
        tenantId: settings.tenantId,
        companyId: settings.companyId,
        permissions: settings.permissions.map((permission) => permission.name),
        deployed: knowledge.deployed ? (knowledge.deployed.get(entry.stack) ?? null) : undefined,
        lastUpAt: lastUp ? new Date(lastUp) : undefined,
        fileChanged: knowledge.changed.has(entry.stack),
      },
      at,
    );
    if (reasons.length > 0) result.due.push({ stack: entry.stack, tenantId: settings.tenantId, policyConfig: entry.policyConfig, canary: entry.canary, reasons });
  }
  return result;
}

export function renderDue(result: DueResult): string {
  const lines = result.due.map((entry) => `${entry.stack}: ${entry.reasons.map((reason) => `${reason.code} (${reason.detail})`).join("; ")}`);
  for (const problem of result.problems) lines.push(`${problem.file}: not checked, the file is invalid: ${problem.message}`);
  lines.push(`${result.due.length} of ${result.total} stack(s) need an up on ${result.at.slice(0, 10)}.`);
  return lines.join("\n");
}
