/**
 * GitHub refuses a matrix of more than 256 jobs
 * (https://docs.github.com/actions/using-jobs/using-a-matrix-for-your-jobs: "A matrix will
 * generate a maximum of 256 jobs per workflow run"), so the stacks of a phase are dealt over at
 * most `maxJobs` jobs, each applying its share one stack after another.
 */
export const MATRIX_LIMIT = 256;
export const DEFAULT_MAX_JOBS = 200;

export interface Shard {
  /** Zero-padded index, for job names and artifact names ("007"). */
  shard: string;
  /** Space-separated stack names, in the order the job applies them. */
  stacks: string;
  count: number;
}

/**
 * Deals sorted stacks round-robin over min(maxJobs, n) shards, so shard sizes differ by at most
 * one and each stack is in exactly one shard. Pure and deterministic: the same set gives the
 * same shards.
 */
export function shardStacks(stacks: readonly string[], maxJobs = DEFAULT_MAX_JOBS): Shard[] {
  if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > MATRIX_LIMIT) {
    throw new RangeError(`max jobs ${maxJobs} must be a whole number from 1 to ${MATRIX_LIMIT} (GitHub's matrix limit).`);
  }
  const sorted = [...new Set(stacks)].sort();
  const count = Math.min(maxJobs, sorted.length);
  const buckets: string[][] = Array.from({ length: count }, () => []);
  sorted.forEach((stack, i) => buckets[i % count].push(stack));
  return buckets.map((bucket, i) => ({ shard: String(i).padStart(3, "0"), stacks: bucket.join(" "), count: bucket.length }));
}

/** The matrix GitHub reads (`fromJSON`); an empty phase gets a placeholder the job's `if` skips. */
export function matrixOf(shards: readonly Shard[]): { include: Shard[] } {
  return { include: [...shards] };
}
