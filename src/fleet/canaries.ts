import { fnv1a } from "../util/fnv1a";
/** How many stacks act as canaries when no stack file carries the canary marker. */
export const FALLBACK_CANARY_COUNT = 3;

/**
 * The canary set: the stacks whose file carries the canary marker; without any, the first
 * FALLBACK_CANARY_COUNT stacks in a stable hashed order, so a program change still meets a few
 * real customers first (and always the same few, not the alphabetically first).
 */
export function canarySet(stacks: readonly { stack: string; canary: boolean }[]): string[] {
  const marked = stacks.filter((entry) => entry.canary).map((entry) => entry.stack);
  if (marked.length > 0) return marked.sort();
  return stacks
    .map((entry) => entry.stack)
    .sort((a, b) => fnv1a(a) - fnv1a(b) || a.localeCompare(b))
    .slice(0, FALLBACK_CANARY_COUNT)
    .sort();
}
