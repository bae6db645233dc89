/**
 * The one way a stack that is missing from the state backend gets created, for the pipeline
 * (scripts/run-shard.ts) and `nexxt-onboard up` alike: select it, and when the backend has no
 * stack of that name, `pulumi stack init <name> --secrets-provider <provider>` (the workspace
 * carries the provider). A new customer's first pull request and first `up` then work without a
 * manual `stack init`.
 */
export type StackPresence = "existing" | "created" | "missing";

/** What ensureStack needs of a workspace; the Automation API's LocalWorkspace has both. */
export interface StackWorkspace {
  selectStack(stackName: string): Promise<void>;
  createStack(stackName: string): Promise<void>;
}

/**
 * The Automation API turns the CLI's "no stack named '<s>' found" (pulumi/pulumi
 * pkg/backend/backenderr/backenderr.go) into a StackNotFoundError (automation/errors.js); the name
 * is compared, not the class, so this module does not load the SDK.
 */
export function isStackNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === "StackNotFoundError";
}

/**
 * Selects `stackName`, creating it when `create` is set and the backend does not have it. Any
 * other failure (backend unreachable, wrong passphrase, locked) is thrown as it came: a stack is
 * never created because its lookup failed.
 */
export async function ensureStack(workspace: StackWorkspace, stackName: string, options: { create: boolean; timeoutMs?: number }): Promise<StackPresence> {
  const limit = options.timeoutMs ?? STACK_CALL_TIMEOUT_MS;
  try {
    await bounded(workspace.selectStack(stackName), limit, `pulumi stack select --stack ${stackName}`);
    return "existing";
  } catch (err) {
    if (!isStackNotFound(err)) throw err;
  }
  if (!options.create) return "missing";
  await bounded(workspace.createStack(stackName), limit, `pulumi stack init ${stackName}`);
  return "created";
}

/** Selecting or creating a stack is one read or write of the backend: two minutes is plenty. */
export const STACK_CALL_TIMEOUT_MS = 2 * 60_000;

/**
 * The Automation API's workspace calls take no signal; a hung CLI is given up on here (its
 * process is execa's, which kills it when this process exits).
 */
function bounded<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`error: ${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
    timer.unref();
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
