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
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
    stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
    now: () => new Date(),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    onInterrupt: (listener) => {
      const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
      for (const signal of signals) process.on(signal, listener);
      return () => {
        for (const signal of signals) process.off(signal, listener);
      };
    },
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
