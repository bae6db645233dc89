/**
 * The stack's checkpoint: one entry per resource, in registration order (the engine deletes in
 * reverse). Options the engine acts on later are stored with it, as the real engine stores them:
 * "the data saved to state defines what we do with the old version, the data in the goal decides
 * what we do with the new version" (retainOnDelete on replace, pulumi/pulumi#13428).
 */
export interface StateEntry {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id: string;
  /** What the program sent (after ignoreChanges). */
  inputs: Record<string, unknown>;
  /** What the provider read back. */
  outputs: Record<string, unknown>;
  retainOnDelete: boolean;
  parent: string;
}

export class StateStore {
  private readonly entries = new Map<string, StateEntry>();

  get(urn: string): StateEntry | undefined {
    return this.entries.get(urn);
  }

  put(entry: StateEntry): void {
    this.entries.set(entry.urn, entry);
  }

  remove(urn: string): void {
    this.entries.delete(urn);
  }

  all(): StateEntry[] {
    return [...this.entries.values()];
  }

  byType(suffix: string): StateEntry[] {
    return this.all().filter((e) => e.type.endsWith(suffix));
  }
}
