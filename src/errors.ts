import { ExitCode } from "./exitCodes";

/**
 * An error the user can fix: bad config, a bad flag, a refused grant. Its message is one sentence
 * that names the value, what was expected and how to fix it; the CLI prints it without a stack.
 * Messages must never contain a secret: callers pass names and public values only.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.InvalidInput,
  ) {
    super(message);
    // Pulumi serializes dynamic providers with the code they call and turns `super(message)`
    // into `Error.call(this, message)`, which sets nothing: without this line an error thrown
    // in a provider reaches `pulumi up` with no message.
    this.message = message;
    this.name = "UserError";
  }
}
