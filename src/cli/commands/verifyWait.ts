import type { Check } from "../../graph/verifyChecks";
import { allPassed } from "../../graph/verifyChecks";
import { VerifyTarget, runVerifyRound } from "../../graph/verifyRound";
import type { HttpClientOptions } from "../../http/sendWithRetry";
import type { CliIo } from "../io";
import { ttyProgress } from "./ttyProgress";

/** The longest pause between two rounds of --wait. */
export const MAX_STEP_MS = 60_000;

export interface VerifyOutcome {
  checks: Check[];
  rounds: number;
  seconds: number;
}

/**
 * Rounds of every verify check until all pass or `waitSeconds` ran out, the pause doubling from
 * `stepMs` (new secrets and grants take minutes to work everywhere). Shared by `verify` and `up`.
 */
export async function verifyWithWait(io: CliIo, json: boolean, target: VerifyTarget, http: HttpClientOptions, waitSeconds: number, stepMs: number): Promise<VerifyOutcome> {
  const started = io.now().getTime();
  const deadline = started + waitSeconds * 1000;
  const progress = ttyProgress(io, json, "verify --wait {bar} {value}/{total} s | round {round}: {failing} failing");
  if (waitSeconds > 0) progress.start(Math.round(waitSeconds), { round: 1, failing: "?" });
  let rounds = 0;
  let checks: Check[];
  for (let step = stepMs; ; step = Math.min(step * 2, MAX_STEP_MS)) {
    rounds++;
    checks = await runVerifyRound(target, http);
    const remaining = deadline - io.now().getTime();
    const failing = checks.filter((check) => check.verdict === "fail").length;
    progress.update(Math.min(Math.round((io.now().getTime() - started) / 1000), Math.round(waitSeconds)), { round: rounds, failing });
    if (allPassed(checks) || remaining <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(step, remaining)));
  }
  progress.stop();
  return { checks, rounds, seconds: Math.round((io.now().getTime() - started) / 1000) };
}
