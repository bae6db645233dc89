import type { Argv, CommandModule } from "yargs";
import type { CliIo } from "./io";
import { ExitCode } from "../exitCodes";

/** What the entry point hands every command: its I/O, and where to put the exit code. */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: ExitCode): void;
}

/**
 * A command is a factory of a yargs command module, so that its handler can close over the
 * context instead of reaching for process globals.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandFactory = (ctx: CommandContext) => CommandModule<any, any>;

/**
 * Types a command module from its builder, so the handler's argv carries the options' types
 * (yargs infers them from `.option(...)`), then widens it for the command list.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
export function typedCommand<T>(module: CommandModule<{}, T>): CommandModule<any, any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return module as CommandModule<any, any>;
}

/** A help example: what it does, and the command as lines joined with ` \` (each at most 76 columns). */
export interface HelpExample {
  describe: string;
  lines: readonly string[];
}

/**
 * Adds examples laid out as a reader copies them: the description as a shell comment, then the
 * command, continued with ` \` where it is long. yargs lays an example out beside its description
 * and hard-wraps both at the help width, mid-command; one example per line with no description
 * column is never wrapped as long as each line fits in 80 columns (test/cli/helpAndDocs.test.ts).
 * `$0` is the script name, `bin/nexxt-onboard`.
 */
export function withExamples<T>(y: Argv<T>, examples: readonly HelpExample[]): Argv<T> {
  return examples.reduce((argv, example) => argv.example(`# ${example.describe}`, "").example(example.lines.join(" \\\n    "), ""), y);
}
