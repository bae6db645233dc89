import * as fs from "node:fs";
import * as path from "node:path";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { UserError } from "../errors";
import { BackendOptions, BackendSettings, resolveBackend } from "./backendSettings";

/**
 * The project (Pulumi.yaml, stacks/ through stackConfigDir) as an Automation API workspace, on
 * the Pulumi CLI found on the caller's PATH, with the backend and passphrase of backendSettings.ts.
 */
export interface ProjectWorkspace {
  workspace: LocalWorkspace;
  backend: BackendSettings;
  cliVersion: string;
}

/** The secrets provider a created stack gets (`stack init --secrets-provider passphrase`). */
export const SECRETS_PROVIDER = "passphrase";

/**
 * The `pulumi` executable on `env.PATH`, or undefined. Searched here rather than by the SDK, which
 * would look at this process's PATH: the caller's environment decides (a pipeline step, a test).
 */
export function findPulumiOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
  for (const dir of (env.PATH ?? env.Path ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        continue;
      }
    }
  }
  return undefined;
}

export async function openProjectWorkspace(options: BackendOptions): Promise<ProjectWorkspace> {
  const cli = findPulumiOnPath(options.env);
  if (cli === undefined) {
    throw new UserError('The Pulumi CLI (`pulumi`) is not on PATH; install it (docs/up.md, "Before you start") and run this again.');
  }
  const backend = resolveBackend(options);
  // Loaded here: the Automation API pulls in gRPC and the SDK (about a second); only these commands pay it.
  const automation = await import("@pulumi/pulumi/automation");
  // PulumiCommand.get({ root }) runs <root>/bin/pulumi (automation/cmd.js) and checks its version
  // against the SDK's minimum; a CLI elsewhere (not in a bin/ folder) is found by the SDK on PATH.
  const root = path.basename(path.dirname(cli)) === "bin" ? path.dirname(path.dirname(cli)) : undefined;
  let pulumiCommand;
  try {
    pulumiCommand = await automation.PulumiCommand.get(root ? { root } : undefined);
  } catch (err) {
    throw new UserError(`The Pulumi CLI at ${cli} cannot be used: ${firstLine(err)}.`);
  }
  const workspace = await automation.LocalWorkspace.create({
    workDir: options.projectDir,
    pulumiCommand,
    secretsProvider: SECRETS_PROVIDER,
    envVars: { ...definedOnly(options.env), ...backend.env },
  });
  return { workspace, backend, cliVersion: pulumiCommand.version?.toString() ?? "unknown" };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * What the CLI said went wrong: its last "error: ..." line (the Automation API's CommandError
 * message carries the whole stdout and stderr, which is not repeated), else the first line.
 */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message.split("\n").map((line) => line.trim());
  const errors = lines.filter((line) => /^error: /.test(line));
  const chosen = errors.length > 0 ? errors[errors.length - 1].slice("error: ".length) : (lines.find((line) => line !== "") ?? message);
  return chosen.slice(0, 300).replace(/\.$/, "");
}
