import { UserError } from "../../src/errors";

/** Runs `run`, expects it to throw a UserError, and returns its message. */
export function userErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error("expected a UserError");
}
