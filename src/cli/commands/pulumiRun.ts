import type { CliIo } from "../io";

/**
 * What `up` and `offboard` need around one Pulumi operation through the Automation API: the CLI's
 * progress as whole lines on the terminal (its output arrives in arbitrary chunks), and one abort
 * signal that Ctrl-C or the time limit raises. The Automation API answers an abort by sending the
 * CLI SIGINT (automation/cmd.js), which stops the operation cleanly and releases the stack's lock.
 */
export interface PulumiRun {
  onOutput(chunk: string): void;
  signal: AbortSignal;
  /** Why the run was stopped, once it was. */
  stopped(): "interrupted" | "timeout" | undefined;
  /** Flushes the last partial line and releases the signal handlers and the timer. */
  done(): void;
}

/** An up of this program takes a minute or two; a hung CLI must not hold the terminal forever. */
export const OPERATION_TIMEOUT_MS = 30 * 60_000;

export function pulumiRun(io: CliIo, json: boolean, timeoutMs: number = OPERATION_TIMEOUT_MS): PulumiRun {
  const controller = new AbortController();
  let reason: "interrupted" | "timeout" | undefined;
  const stop = (why: "interrupted" | "timeout") => {
    reason ??= why;
    controller.abort();
  };
  const release = io.onInterrupt?.(() => stop("interrupted"));
  const timer = setTimeout(() => stop("timeout"), timeoutMs);
  timer.unref();
  let pending = "";
  return {
    onOutput(chunk) {
      if (json) return;
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) io.stderr(line);
    },
    signal: controller.signal,
    stopped: () => reason,
    done() {
      if (!json && pending !== "") io.stderr(pending);
      pending = "";
      clearTimeout(timer);
      release?.();
    },
  };
}

/** The sentence for a run that was stopped, or undefined when it failed by itself. */
export function stoppedMessage(run: PulumiRun, what: string): string | undefined {
  const reason = run.stopped();
  if (reason === "interrupted") return `${what} was stopped (Ctrl-C); Pulumi finished the step it was in and released the stack: run the same command again to go on.`;
  if (reason === "timeout") return `${what} did not finish in ${Math.round(OPERATION_TIMEOUT_MS / 60_000)} minutes and was stopped; run the same command again to go on.`;
  return undefined;
}
