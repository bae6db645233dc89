import yargs from "yargs";
import { commands } from "./commands";
import { ExitCode } from "../exitCodes";
import { CliIo, maskStrayValues, processIo, redactingIo } from "./io";
import { UserError } from "../errors";

/**
 * Parses argv, runs one command and resolves to its exit code. Never calls process.exit, so tests
 * run it in-process with a memory CliIo.
 */
export async function run(argv: string[], given: CliIo): Promise<ExitCode> {
  const io = redactingIo(given);
  let exitCode: ExitCode = ExitCode.Ok;
  const ctx = { io, setExitCode: (code: ExitCode) => (exitCode = code) };
  let parser = yargs(argv)
    .scriptName("nexxt-onboard")
    .usage("$0 <command> [options]\n\nOnboard a customer's Microsoft 365 tenant to ClearVox Nexxt.")
    .strict()
    // A flag given twice takes the last value (as in most CLIs), never an array nobody expects.
    .parserConfiguration({ "duplicate-arguments-array": false })
    .demandCommand(1, "Name a command; see the list above.")
    .recommendCommands()
    .help()
    .alias("help", "h")
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .epilogue("Exit codes: 0 ok, 1 a check failed, 2 invalid input, 3 a remote service failed.")
    .fail((msg, err) => {
      throw err ?? new UserError(maskStrayValues(msg, argv));
    });
  for (const factory of commands) parser = parser.command(factory(ctx));
  try {
    let helpText = "";
    await parser.parseAsync(argv, {}, (_err, _parsed, output) => {
      helpText = output;
    });
    if (helpText) io.stdout(helpText);
    return exitCode;
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr(`error: ${err.message}`);
      return err.exitCode;
    }
    // Unknown failures: one line, no stack, no request objects (they can hold secrets).
    io.stderr(`error: ${err instanceof Error ? err.message : String(err)}`);
    return ExitCode.CheckFailed;
  }
}

export async function main(argv: string[]): Promise<void> {
  process.exitCode = await run(argv, processIo());
}
