import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The Pulumi CLI stand-in (bin/pulumi beside this file): where it is, the environment that points
 * it at a file backend, a call log and a script, and what the log says it was called with.
 */
export const STAND_IN_BIN = path.join(__dirname, "bin");

export interface StandInScript {
  /** Make a command fail with this message, for one stack or all ("up", "preview", "destroy", "stack ls", "stack output", "stack export"). */
  fail?: { command: string; stack?: string; message?: string }[];
  /** Commands whose stdout is not the JSON the CLI prints ("stack export"). */
  garble?: string[];
  /** Pause an operation ("up", "preview", "destroy") this long before it changes anything (Ctrl-C tests). */
  delay?: { command: string; stack?: string; ms: number }[];
  /** What `up` records per stack: outputs (secretOutputs are encrypted in the state) and resource types. */
  stacks?: Record<string, { outputs?: Record<string, unknown>; secretOutputs?: string[]; resources?: (string | StandInResource)[] }>;
}

/** A resource as the state records it (pulumi/pulumi sdk/go/common/apitype: ResourceV3). */
export interface StandInResource {
  type: string;
  name: string;
  outputs?: Record<string, unknown>;
  retainOnDelete?: boolean;
}

export interface StandIn {
  /** The environment a command gets: PATH with the stand-in first, the backend, the log, the script. */
  env: NodeJS.ProcessEnv;
  backendDir: string;
  logFile: string;
  script(value: StandInScript): void;
  calls(): StandInCall[];
  /** Runs the stand-in itself in `cwd` (to set up state: `stack init`, `up`); needs a passphrase in env. */
  pulumi(cwd: string, ...args: string[]): void;
}

export interface StandInCall {
  argv: string[];
  cwd: string;
  passphraseEnv: boolean;
  passphraseFile?: string;
  backend?: string;
  fallbackToState?: string;
  armTenantId?: string;
  armClientId?: string;
}

/** A stand-in whose state lives in `dir` (a test's scratch directory). */
export function standIn(dir: string, extra: NodeJS.ProcessEnv = {}): StandIn {
  const backendDir = path.join(dir, "backend");
  const logFile = path.join(dir, "pulumi-calls.jsonl");
  const scriptFile = path.join(dir, "pulumi-script.json");
  fs.mkdirSync(backendDir, { recursive: true });
  fs.writeFileSync(scriptFile, "{}");
  return {
    env: {
      PATH: `${STAND_IN_BIN}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: dir,
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_STANDIN_LOG: logFile,
      PULUMI_STANDIN_SCRIPT: scriptFile,
      ...extra,
    },
    backendDir,
    logFile,
    script: (value) => fs.writeFileSync(scriptFile, JSON.stringify(value)),
    pulumi(cwd, ...args) {
      execFileSync(path.join(STAND_IN_BIN, "pulumi"), args, { cwd, env: { ...process.env, ...this.env, PULUMI_STANDIN_LOG: "" }, stdio: "ignore" });
    },
    calls: () =>
      fs.existsSync(logFile)
        ? fs
            .readFileSync(logFile, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map((line) => JSON.parse(line) as StandInCall)
        : [],
  };
}
