import type { RotationSettings, SecretSchedule } from "../schedule/secretSchedule";
import { scheduleForStack } from "./stackSchedule";
import { DAY_MS } from "../util/time";

/**
 * Why a stack needs a `pulumi up` today. Rotation only happens when `up` runs, so the scheduled
 * pipeline applies exactly the stacks with at least one reason.
 */
export type DueReasonCode =
  /** The schedule issues the next generation today (or since the last successful up). */
  | "rotation-due"
  /** The deployed secret is an older generation than the schedule's: a rotation was missed. */
  | "rotation-overdue"
  /** The deployed secret's end date is not the schedule's (rotation or lifetime settings changed). */
  | "schedule-changed"
  /** The previous generation's end date is reached: the program drops it from the stack. */
  | "previous-lapses"
  /** No deployed outputs for the stack: it was never applied (or its outputs cannot be read). */
  | "never-deployed"
  /** The stack file or its policy config changed, or the deployed outputs disagree with the file. */
  | "file-changed";

export interface DueReason {
  code: DueReasonCode;
  /** One sentence for the job log and `due` without --json. */
  detail: string;
}

/** What the masked stack outputs (report inputs) say is deployed. Never holds the secret. */
export interface DeployedFacts {
  /** The client ID Nexxt signs in with (not secret). */
  applicationId?: string;
  secretExpiresAt: string;
  tenantId: string;
  companyId: string;
  permissions: readonly string[];
}

export interface DueStackInput {
  stack: string;
  rotation: RotationSettings;
  /** From the stack file, to compare with what is deployed. */
  tenantId: string;
  companyId: string;
  permissions: readonly string[];
  /**
   * undefined: nothing is known about the deployment (no --deployed directory given);
   * null: the deployment was looked for and there is none.
   */
  deployed: DeployedFacts | null | undefined;
  /** The last successful `up` the pipeline recorded, when known. */
  lastUpAt?: Date;
  /** The stack file or its policy config is in the git-derived changed set. */
  fileChanged: boolean;
}

function dayOf(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function secretId(schedule: SecretSchedule["active"] | undefined): string {
  return schedule ? `${schedule.slot}:${schedule.generation}` : "-";
}

/**
 * The reasons one stack needs an `up` at `at`. Pure: it reads the schedule through
 * scheduleForStack only, so it stays right when the schedule becomes per stack.
 *
 * Events of the schedule (a rotation, a lapsing previous secret) count from the day after the last
 * recorded up through today; with no record, today only (the daily run's own day). What is
 * deployed, when known, catches what a missed run left behind: an older generation in Nexxt's
 * hands, or no deployment at all.
 */
export function dueReasons(input: DueStackInput, at: Date): DueReason[] {
  const reasons: DueReason[] = [];
  const today = dayOf(at);
  const now = scheduleForStack(input.stack, at, input.rotation);

  if (input.deployed === null) {
    reasons.push({ code: "never-deployed", detail: `${input.stack} has no deployed outputs: it was never applied, or its last up failed before any output.` });
  }
  if (input.fileChanged) {
    reasons.push({ code: "file-changed", detail: `stacks/Pulumi.${input.stack}.yaml or its policy config changed.` });
  } else if (input.deployed) {
    const differs = deployedDifferences(input, input.deployed);
    if (differs.length > 0) reasons.push({ code: "file-changed", detail: `the stack file's ${differs.join(", ")} differ from what is deployed.` });
  }

  // The schedule as of the last up (or yesterday, without a record) against today's: a different
  // active secret is a rotation; the same active without the previous one is a lapse. Two
  // schedules, not a walk over the days between, so a stack last applied a year ago costs the same.
  const lastUpDay = input.lastUpAt ? dayOf(input.lastUpAt) : undefined;
  const referenceDay = lastUpDay !== undefined && lastUpDay < today ? lastUpDay : today - 1;
  const before = scheduleForStack(input.stack, new Date(referenceDay * DAY_MS), input.rotation);
  const rotated = secretId(before.active) !== secretId(now.active);
  const lapsed = !rotated && before.previous !== undefined && now.previous === undefined ? before.previous : undefined;
  const rotatedOn = rotated ? dayOf(now.active.periodStart) : undefined;

  const scheduledEnd = now.active.endDate.getTime();
  const deployedEnd = input.deployed ? Date.parse(input.deployed.secretExpiresAt) : undefined;
  const activeStartDay = dayOf(now.active.periodStart);
  if (deployedEnd !== undefined && deployedEnd < scheduledEnd && activeStartDay < today) {
    reasons.push({
      code: "rotation-overdue",
      detail: `Nexxt holds the secret expiring ${isoDay(dayOf(new Date(deployedEnd)))}; its successor was due on ${isoDay(activeStartDay)} (${today - activeStartDay} day(s) ago).`,
    });
  } else if (rotatedOn !== undefined && (deployedEnd === undefined || deployedEnd !== scheduledEnd)) {
    reasons.push({
      code: "rotation-due",
      detail: `the schedule issues generation ${now.active.generation} in slot ${now.active.slot} on ${isoDay(rotatedOn)} (valid until ${isoDay(dayOf(now.active.endDate))}).`,
    });
  } else if (deployedEnd !== undefined && deployedEnd !== scheduledEnd) {
    reasons.push({
      code: "schedule-changed",
      detail: `the deployed secret expires ${isoDay(dayOf(new Date(deployedEnd)))}, the schedule says ${isoDay(dayOf(now.active.endDate))}.`,
    });
  }
  if (lapsed) {
    reasons.push({
      code: "previous-lapses",
      detail: `the previous secret (slot ${lapsed.slot}, ending ${isoDay(dayOf(lapsed.endDate))}) lapses; the program removes it from the stack.`,
    });
  }
  return reasons;
}

function deployedDifferences(input: DueStackInput, deployed: DeployedFacts): string[] {
  const differs: string[] = [];
  if (deployed.tenantId.toLowerCase() !== input.tenantId.toLowerCase()) differs.push("tenantId");
  if (deployed.companyId !== input.companyId) differs.push("companyId");
  const sorted = (list: readonly string[]) =>
    [...list]
      .map((p) => p.toLowerCase())
      .sort()
      .join(",");
  if (sorted(deployed.permissions) !== sorted(input.permissions)) differs.push("permissions");
  return differs;
}
