import { redact } from "../util/redact";
import { boundedLines, visibleControls } from "./text";

/** What a command may touch of the outside world, passed in so tests need no global stubs. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stderr is a terminal: progress bars and colours only then. */
  isTTY: boolean;
  /**
   * The terminal itself (stderr), only when it is one: progress bars redraw in place on it with
   * cursor control. Without it they fall back to whole lines through stderr().
   */
  progressStream?: NodeJS.WritableStream;
  /** The clock, so expiry and rotation can be tested at a fixed date. */
  now(): Date;
  /** Width of the terminal stdout is, when it is one: help is laid out to fit it. */
  columns?: number;
  /**
   * Calls the listener on Ctrl-C (SIGINT) or SIGTERM instead of letting Node exit at once, until
   * the returned function is called. Commands with long work use it to stop cleanly and say so.
   */
  onInterrupt?(listener: (signal: NodeJS.Signals) => void): () => void;
  /**
   * Asks the person at the terminal one question and returns the answer line; present only when
   * both stdin and stderr are a terminal (never in a pipeline, where a missing flag is an error).
   */
  ask?(question: string): Promise<string>;
}

/** How long a question waits for its answer before the command gives up (every wait is bounded). */
export const ASK_TIMEOUT_MS = 10 * 60_000;

export function processIo(): CliIo {
  return {
    stdout: lineWriter(process.stdout),
    stderr: lineWriter(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
    now: () => new Date(),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    ask:
      process.stdin.isTTY && process.stderr.isTTY
        ? async (question) => {
            const readline = await import("node:readline/promises");
            const terminal = readline.createInterface({ input: process.stdin, output: process.stderr });
            try {
              return await terminal.question(question, { signal: AbortSignal.timeout(ASK_TIMEOUT_MS) });
            } finally {
              terminal.close();
            }
          }
        : undefined,
    onInterrupt: (listener) => {
      const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
      for (const signal of signals) process.on(signal, listener);
      return () => {
        for (const signal of signals) process.off(signal, listener);
      };
    },
  };
}

/**
 * Writes whole lines to a process stream that the reader may close early (`… --json | head -1`):
 * Node reports the closed pipe as an EPIPE "error" event, which unhandled ends the process with a
 * stack trace and exit 1 (which here means "a check failed"). The first write error marks the
 * stream gone: later writes are dropped and the command finishes with its own exit code.
 */
export function lineWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let gone = false;
  stream.on("error", () => {
    gone = true;
  });
  return (text) => {
    if (gone) return;
    try {
      stream.write(text.endsWith("\n") ? text : text + "\n");
    } catch {
      // A stream already destroyed throws instead of emitting: the same case.
      gone = true;
    }
  };
}

/** An in-memory CliIo for tests: collects everything written so tests can search it for secrets. */
export function memoryIo(overrides: Partial<CliIo> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    cwd: process.cwd(),
    isTTY: false,
    now: () => new Date(),
    ...overrides,
  };
}

/**
 * The output boundary: whatever a command writes to stdout or stderr passes the process-wide
 * redactor first (src/util/redact.ts), so no command can forget it; then every control character
 * (text from servers and files may hold ESC sequences, carriage returns, C1 controls) is made
 * visible, never passed to the terminal (text.ts, visibleControls); stderr lines are cut to a
 * bounded length. Applied once by the entry point to whatever CliIo it is given; idempotent.
 */
export function redactingIo<T extends CliIo>(io: T): T {
  if ((io as { [REDACTING]?: true })[REDACTING]) return io;
  return {
    ...io,
    [REDACTING]: true,
    stdout: (text: string) => io.stdout(visibleControls(redact(text))),
    stderr: (text: string) => io.stderr(boundedLines(visibleControls(redact(text)))),
  };
}

const REDACTING = Symbol("redacting");

/**
 * yargs names what it did not expect ("Unknown argument: <value>"). A stray positional value may
 * be a secret pasted in the wrong place: flag names are kept, any other word of the message that
 * was given on the command line as a bare value is replaced by a count, never quoted.
 */
export function maskStrayValues(message: string, argv: readonly string[]): string {
  const match = /^(Unknown arguments?): (.*)$/s.exec(message);
  if (!match) return message;
  const bare = new Set(argv.filter((arg) => !arg.startsWith("-")));
  const words = match[2].split(", ");
  const stray = words.filter((word) => bare.has(word));
  if (stray.length === 0) return message;
  const named = words.filter((word) => !bare.has(word));
  const count = `${stray.length} unexpected value${stray.length > 1 ? "s" : ""} (not shown: it may be a secret; secrets go in environment variables, never on the command line)`;
  return `${match[1]}: ${[...named, count].join(", ")}`;
}
