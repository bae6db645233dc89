import { SingleBar } from "cli-progress";
import type { CliIo } from "../io";

/** A progress display that exists only on a terminal, and never in --json mode. */
export interface Progress {
  start(total: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

/**
 * cli-progress draws on a stream; this one writes through ctx.io.stderr so the command touches no
 * process globals, and tests can see that a bar was (or was not) drawn. The pieces of one redraw
 * are joined into one write: CliIo.stderr writes whole lines, so a redraw is one line, and the
 * redraw rate is kept low (one a second) to keep a terminal's scrollback readable.
 */
export function ttyProgress(io: CliIo, json: boolean, format: string): Progress {
  if (!io.isTTY || json) return NO_PROGRESS;
  let pending = "";
  const flush = () => {
    const text = pending.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
    pending = "";
    if (text.trim() !== "") io.stderr(text.trimEnd());
  };
  const stream = {
    isTTY: true,
    columns: 100,
    write: (chunk: string) => {
      if (pending === "") queueMicrotask(flush);
      pending += chunk;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const bar = new SingleBar({ format, stream, hideCursor: null, clearOnComplete: false, linewrap: null, fps: 1, barsize: 30 });
  return {
    start: (total, payload) => bar.start(total, 0, payload),
    update: (value, payload) => bar.update(value, payload),
    stop: () => bar.stop(),
  };
}
