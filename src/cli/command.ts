import type { CommandModule } from "yargs";
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
