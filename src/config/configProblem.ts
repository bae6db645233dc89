import { UserError } from "../errors";

/** One thing wrong with one key of a stack's configuration. */
export interface ConfigProblem {
  /** The full key, e.g. `nexxt:tenantId`. */
  key: string;
  /** One sentence: the key, the value, what is allowed, and an example. */
  message: string;
}

/** All problems of one stack's configuration at once, so a user fixes them in one pass. */
export class ConfigError extends UserError {
  constructor(
    readonly problems: ConfigProblem[],
    source?: string,
  ) {
    super(
      problems.length === 1
        ? `${source ? `${source}: ` : ""}${problems[0].message}`
        : `${source ? `${source} has` : "The stack configuration has"} ${problems.length} problems:\n` + problems.map((problem) => `  - ${problem.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}
