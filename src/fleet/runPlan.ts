import { isProgramFile, stacksToRun } from "../stacks/changedStacks";
import { canarySet } from "./canaries";
import { DEFAULT_MAX_JOBS, Shard, shardStacks } from "./shards";

/**
 * What a workflow run does:
 * - pull_request: preview the stacks the change touches; a program change previews the canaries
 *   (plus any stack whose own file changed), not the whole fleet;
 * - push: apply the changed stacks and the due ones; after a program change the canaries go first
 *   and the rest follow only when every canary passed;
 * - schedule: apply the due stacks (rotation, lapse, never deployed, changed); when the program
 *   changed since the last push run that fully succeeded (its canaries failed, or it never ran to
 *   the end), the canaries go first here too, so a daily run never rolls out a program that the
 *   canaries have not passed;
 * - drift: `preview --refresh` of every stack, changing nothing.
 */
export type RunEvent = "pull_request" | "push" | "schedule" | "drift";

export const RUN_EVENTS: readonly RunEvent[] = ["pull_request", "push", "schedule", "drift"];

export interface PlanInput {
  event: RunEvent;
  /** Every customer stack, with its canary marker. */
  customers: readonly { stack: string; canary: boolean }[];
  /** `git diff --name-only base...head` (pull_request, push; schedule: since the last fully successful push run). */
  changedPaths?: readonly string[];
  /** The stacks `due --json` listed (push, schedule). */
  due?: readonly string[];
  maxJobs?: number;
}

export interface RunPlan {
  event: RunEvent;
  programChanged: boolean;
  /** Phase 1: applied (or previewed) first. */
  canary: Shard[];
  /** Phase 2: only after every canary passed. */
  rest: Shard[];
  /** Every selected stack, each in exactly one shard of one phase. */
  stacks: string[];
}

export function planRun(input: PlanInput): RunPlan {
  const names = input.customers.map((entry) => entry.stack);
  const known = new Set(names);
  const paths = input.changedPaths ?? [];
  const programChanged = input.event !== "drift" && paths.some(isProgramFile);
  const ownFiles = stacksToRun(
    paths.filter((file) => !isProgramFile(file)),
    names,
  );
  const canaries = canarySet(input.customers);
  const due = (input.due ?? []).filter((stack) => known.has(stack));

  let first: string[] = [];
  let then: string[] = [];
  switch (input.event) {
    case "pull_request":
      // A preview of the canaries shows what the change does; previewing 1,000 tenants would
      // only say it 1,000 times (and keep the approver waiting).
      then = union(programChanged ? canaries : [], ownFiles);
      break;
    case "push": {
      const selected = union(programChanged ? names : ownFiles, due);
      if (programChanged) {
        const canary = new Set(canaries);
        first = selected.filter((stack) => canary.has(stack));
        then = selected.filter((stack) => !canary.has(stack));
      } else {
        then = selected;
      }
      break;
    }
    case "schedule":
      if (programChanged) {
        // Every canary, due or not: they prove the program before any due stack gets it.
        const canary = new Set(canaries);
        first = union(canaries, []);
        then = union(due, []).filter((stack) => !canary.has(stack));
      } else {
        then = union(due, []);
      }
      break;
    case "drift":
      then = union(names, []);
      break;
  }
  const maxJobs = input.maxJobs ?? DEFAULT_MAX_JOBS;
  return { event: input.event, programChanged, canary: shardStacks(first, maxJobs), rest: shardStacks(then, maxJobs), stacks: union(first, then) };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
