import { utcTimestamp } from "../util/time";
import { UserError } from "../errors";
import type { ConnectorDocument } from "../nexxt/connectorDocument";
import { reportDocumentFromOutputs } from "../report/reportDocument";
import { runPulumiCli } from "./pulumiCli";

/** What the state backend says about the fleet, read without a passphrase and without secrets. */
export interface BackendFleet {
  /** Every stack `pulumi stack ls` listed (the last part of a qualified name). */
  inBackend: Set<string>;
  /**
   * Stacks with outputs: what is deployed, as the masked document report-inputs writes (apiKey
   * "[secret]"); its fields are those of src/fleet's DeployedFacts.
   */
  deployed: Map<string, ConnectorDocument>;
  /** The end of the last successful `up`, from the stack's history, when asked for. */
  lastUpAt: Map<string, string>;
  /** Listed stacks whose outputs could not be read: why, in one sentence. */
  unreadable: Map<string, string>;
}

export interface BackendFleetOptions {
  cli: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The customer stacks to read (the stack files); others in the backend are only listed. */
  stacks: readonly string[];
  /** Stacks whose last successful up is to be read from the history (those without a run record). */
  historyFor: ReadonlySet<string>;
  /** Parallel CLI calls: each is a process of its own, and the backend may be remote. */
  concurrency?: number;
  onProgress?(done: number, total: number): void;
}

/** `pulumi stack ls --json` (pkg/cmd/pulumi/stack/stack_list.go: [{name, ...}]). */
export function stackNamesOf(text: string): string[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    rows = undefined;
  }
  if (!Array.isArray(rows) || rows.some((row) => typeof (row as { name?: unknown })?.name !== "string")) {
    throw new UserError("`pulumi stack ls --json` did not print a list of stacks; is the Pulumi CLI the project's?");
  }
  return rows.map((row: { name: string }) => row.name.split("/").pop()!);
}

/** The end of the newest `update` that succeeded, from `pulumi stack history --json` (newest first). */
export function lastSuccessfulUp(text: string): string | undefined {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(rows)) return undefined;
  const entry = (rows as { kind?: string; result?: string; endTime?: string }[]).find(
    (row) => row?.kind === "update" && row.result === "succeeded" && typeof row.endTime === "string",
  );
  const time = entry ? Date.parse(entry.endTime!) : NaN;
  return Number.isNaN(time) ? undefined : utcTimestamp(new Date(time));
}

export async function readBackendFleet(options: BackendFleetOptions): Promise<BackendFleet> {
  const cli = (args: string[]) => runPulumiCli(options.cli, args, { cwd: options.cwd, env: options.env });
  const list = await cli(["stack", "ls", "--json"]);
  if (list.code !== 0) throw new UserError(`The state backend could not be listed (\`pulumi stack ls\`: ${list.error}); check PULUMI_BACKEND_URL and the login; nothing was read.`);
  const fleet: BackendFleet = { inBackend: new Set(stackNamesOf(list.stdout)), deployed: new Map(), lastUpAt: new Map(), unreadable: new Map() };
  const todo = options.stacks.filter((stack) => fleet.inBackend.has(stack));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < todo.length) {
      const stack = todo[next++];
      await readOne(stack, fleet, cli, options.historyFor.has(stack));
      options.onProgress?.(++done, todo.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, todo.length)) }, worker));
  return fleet;
}

async function readOne(stack: string, fleet: BackendFleet, cli: (args: string[]) => ReturnType<typeof runPulumiCli>, withHistory: boolean): Promise<void> {
  // Never --show-secrets: the client secret arrives as "[secret]" and is checked to be masked.
  const output = await cli(["stack", "output", "--json", "--stack", stack]);
  if (output.code !== 0) {
    fleet.unreadable.set(stack, `\`pulumi stack output --stack ${stack}\` failed: ${output.error}`);
    return;
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(output.stdout);
  } catch {
    fleet.unreadable.set(stack, `\`pulumi stack output --stack ${stack}\` did not print JSON`);
    return;
  }
  if (typeof outputs === "object" && outputs !== null && Object.keys(outputs).length > 0) {
    try {
      fleet.deployed.set(stack, reportDocumentFromOutputs(stack, outputs));
    } catch (err) {
      fleet.unreadable.set(stack, err instanceof UserError ? err.message : "its outputs are not the program's");
      return;
    }
  }
  if (withHistory) {
    const history = await cli(["stack", "history", "--json", "--page-size", "10", "--page", "1", "--stack", stack]);
    const at = history.code === 0 ? lastSuccessfulUp(history.stdout) : undefined;
    if (at) fleet.lastUpAt.set(stack, at);
  }
}
