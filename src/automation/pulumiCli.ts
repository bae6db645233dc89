import { execFile } from "node:child_process";

/**
 * One bounded call of the Pulumi CLI, for the reads the Automation API would make with
 * --show-secrets (its exportStack and stackOutputs do): `stack ls`, `stack output` and `stack
 * history` without it, so no secret is ever decrypted. The wait and the output are capped; the
 * CLI's stderr is reduced to its "error:" sentence.
 */
export interface CliResult {
  code: number;
  stdout: string;
  /** The CLI's last "error: ..." sentence, when it failed. */
  error?: string;
}

export const CLI_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_BYTES = 20 * 1024 * 1024;

export function runPulumiCli(cli: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      cli,
      [...args, "--non-interactive"],
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? CLI_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout });
        const failure = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        const errors = String(stderr)
          .split("\n")
          .map((line) => line.trim())
          .filter((line) => line.startsWith("error: "));
        const error = failure.killed
          ? `did not finish in ${Math.round((options.timeoutMs ?? CLI_TIMEOUT_MS) / 1000)} s and was stopped`
          : (errors.at(-1)?.slice("error: ".length).slice(0, 300) ?? `exited with ${String(failure.code)}`);
        resolve({ code: typeof failure.code === "number" ? failure.code : 1, stdout: String(stdout), error });
      },
    );
  });
}
