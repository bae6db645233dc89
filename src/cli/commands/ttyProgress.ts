import type { SingleBar as SingleBarClass } from "cli-progress";
import type { CliIo } from "../io";

/** A progress display that exists only on a terminal, and never in --json mode. */
export interface Progress {
  start(total: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** Leaves room for "linking Nexxt users", percentage, counts, rate and time left in 80 columns. */
const BAR_SIZE = 20;

const NO_PROGRESS: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

/**
 * On a terminal stream (io.progressStream) cli-progress redraws one line in place, as a progress
 * bar should. Without one (tests, or a CliIo that only has line output) the bar goes through
 * ctx.io.stderr: the pieces of one redraw are joined into one line, and the redraw rate is kept
 * low (one a second) to keep a terminal's scrollback readable; tests then see that a bar was (or
 * was not) drawn.
 */
export function ttyProgress(io: CliIo, json: boolean, format: string): Progress {
  if (!io.isTTY || json) return NO_PROGRESS;
  // Required only when a bar is drawn: off a terminal (pipelines, --json) it is never loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar } = require("cli-progress") as { SingleBar: typeof SingleBarClass };
  const bar =
    io.progressStream !== undefined
      ? new SingleBar({ format, stream: io.progressStream, clearOnComplete: false, barsize: BAR_SIZE })
      : new SingleBar({ format, stream: lineStream(io), hideCursor: null, clearOnComplete: false, linewrap: null, fps: 1, barsize: BAR_SIZE });
  let startedAt = 0;
  // {rate}: items a second since start, for formats that show it (cli-progress has {eta} but no rate).
  const rate = (value: number) => {
    const seconds = (io.now().getTime() - startedAt) / 1000;
    return seconds > 0 ? (value / seconds).toFixed(1) : "0.0";
  };
  return {
    start: (total, payload) => {
      startedAt = io.now().getTime();
      bar.start(total, 0, { rate: "0.0", ...payload });
    },
    update: (value, payload) => bar.update(value, { rate: rate(value), ...payload }),
    stop: () => bar.stop(),
  };
}

/**
 * One line on stderr saying what is happening, on a terminal only (never with --json): the first
 * seconds of a command that waits on the network must not look like a hang.
 */
export function ttyStatus(io: CliIo, json: boolean, text: string): void {
  if (io.isTTY && !json) io.stderr(text);
}

/** A stream that turns each redraw (cursor moves stripped) into one whole line on io.stderr. */
function lineStream(io: CliIo): NodeJS.WritableStream {
  let pending = "";
  const flush = () => {
    // CSI sequences (cursor moves, line clears) and ESC 7 / ESC 8 (save and restore the cursor).
    const text = pending.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, "").replace(/\r/g, "");
    pending = "";
    if (text.trim() !== "") io.stderr(text.trimEnd());
  };
  return {
    isTTY: true,
    columns: 100,
    write: (chunk: string) => {
      if (pending === "") queueMicrotask(flush);
      pending += chunk;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
}
