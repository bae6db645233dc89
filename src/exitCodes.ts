/** Exit codes every command shares, so a pipeline can branch on them. Documented in the README. */
export enum ExitCode {
  /** Everything asked for was done and every check passed. */
  Ok = 0,
  /** The command ran, and what it checks failed (a verify check, an expiring secret, a bad stack file). */
  CheckFailed = 1,
  /** The input was wrong (flags, config, files); nothing was changed. */
  InvalidInput = 2,
  /** A remote service (Microsoft, Nexxt) refused or failed after retries. */
  RemoteFailed = 3,
  /**
   * Stopped by Ctrl-C (SIGINT) or SIGTERM before the work was done; what was done is kept (the
   * map-users journal), and the same command resumes. 128 + SIGINT's number, as shells report it.
   */
  Interrupted = 130,
  /** The same, stopped by SIGTERM (a service manager, `kill`): 128 + SIGTERM's number. */
  Terminated = 143,
}
