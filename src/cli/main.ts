import yargs from "yargs";
import { commands } from "./commands";
import { ExitCode } from "../exitCodes";
import { CliIo, maskStrayValues, processIo, redactingIo } from "./io";
import { UserError } from "../errors";
import { packageVersion } from "./packageVersion";
import { UsageError, explainUsageError } from "./usageErrors";
import { registerEnvironmentSecrets } from "./environmentSecrets";

/** How the README tells users to run the tool; help, usage and examples say the same. */
export const SCRIPT_NAME = "bin/nexxt-onboard";
/** Help is laid out for this width at most, and never wider than the terminal. */
const HELP_WIDTH = 100;

export interface RunOptions {
  /** Parse and validate the command line, then stop before the handler (tests of help examples). */
  parseOnly?: boolean;
}

/**
 * Parses argv, runs one command and resolves to its exit code. Never calls process.exit, so tests
 * run it in-process with a memory CliIo.
 */
export async function run(argv: string[], given: CliIo, options: RunOptions = {}): Promise<ExitCode> {
  // Before anything is parsed or printed: a secret pasted on the command line is masked in any
  // message that quotes it, when the environment holds it too.
  registerEnvironmentSecrets(given.env, argv);
  const io = redactingIo(given);
  let exitCode: ExitCode = ExitCode.Ok;
  const ctx = { io, setExitCode: (code: ExitCode) => (exitCode = code) };
  // No command at all: show what there is, rather than an error about a list nobody saw.
  if (!argv.some((arg) => !arg.startsWith("-")) && !argv.some((arg) => INFO_FLAGS.includes(arg))) {
    const help = await run(["--help"], io);
    if (argv.length === 0) return help;
    io.stderr(`error: name a command from the list above, e.g. \`${SCRIPT_NAME} verify --help\`.`);
    return ExitCode.InvalidInput;
  }
  let parser = yargs(argv)
    .scriptName(SCRIPT_NAME)
    .usage("$0 <command> [options]\n\nOnboard a customer's Microsoft 365 tenant to ClearVox Nexxt.")
    .strict()
    .parserConfiguration({
      // A flag given twice takes the last value (as in most CLIs), never an array nobody expects.
      "duplicate-arguments-array": false,
      // Numbers are parsed by each flag's own coerce (flagTypes.ts), which refuses `ten`, `0.5`
      // and `1e3`; yargs' parser would turn them into NaN, 0.5 and 1000 first.
      "parse-numbers": false,
      "parse-positional-numbers": false,
    })
    .demandCommand(1, "Name a command; see the list above.")
    .recommendCommands()
    .help()
    .alias("help", "h")
    .version("version", "Show the version number", packageVersion())
    .alias("version", "v")
    .wrap(Math.min(HELP_WIDTH, io.columns ?? HELP_WIDTH))
    .exitProcess(false)
    .epilogue("Exit codes: 0 ok, 1 a check failed, 2 invalid input, 3 a remote service failed, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).")
    .fail((msg, err) => {
      // A YError is yargs' own usage error; a coerce's sentence (flagTypes.ts) arrives as one.
      if (err && err.name !== "YError") throw err;
      const message = err?.message ?? msg;
      const command = argv.find((arg) => !arg.startsWith("-"));
      // getOptions() is yargs' own (untyped in @types/yargs): the options of the command being parsed.
      const known = Object.keys((parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
      const template = commands.map((factory) => String(factory(ctx).command)).find((registered) => registered.split(" ")[0] === command);
      throw new UsageError(
        maskStrayValues(explainUsageError(message, { command, argv, knownFlags: known.filter((key) => !/[A-Z]/.test(key)), scriptName: SCRIPT_NAME, template }) ?? message, argv),
      );
    });
  for (const factory of commands) {
    const module = factory(ctx);
    // parseOnly: everything yargs checks (coerce, strict, check) runs; the handler does not.
    parser = parser.command(options.parseOnly ? { ...module, handler: parsedOnly } : module);
  }
  try {
    let helpText = "";
    await parser.parseAsync(argv, {}, (_err, _parsed, output) => {
      helpText = output;
    });
    if (helpText) io.stdout(helpText);
    return exitCode;
  } catch (err) {
    if (err instanceof ParsedOnly) return ExitCode.Ok;
    if (err instanceof UserError) {
      io.stderr(`error: ${err.message}`);
      return err.exitCode;
    }
    // Unknown failures: one line, no stack, no request objects (they can hold secrets).
    io.stderr(`error: ${err instanceof Error ? err.message : String(err)}`);
    return ExitCode.CheckFailed;
  }
}

/** Thrown instead of running a handler in parseOnly mode: the command line was valid. */
class ParsedOnly extends Error {}

function parsedOnly(): never {
  throw new ParsedOnly();
}

/** Flags that answer without a command. */
const INFO_FLAGS = ["--help", "-h", "--version", "-v"];

export async function main(argv: string[]): Promise<void> {
  process.exitCode = await run(argv, processIo());
}
