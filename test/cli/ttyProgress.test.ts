import { Writable } from "node:stream";
import { ttyProgress } from "../../src/cli/commands/ttyProgress";
import { memoryIo } from "../../src/cli/io";

/** A terminal stand-in: a stream that says it is a TTY and keeps every byte written to it. */
function fakeTerminal() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 80 });
  return { stream, text: () => chunks.join("") };
}

describe("ttyProgress", () => {
  it("redraws one line in place on the terminal stream, ending it with a single line break", () => {
    const terminal = fakeTerminal();
    const io = memoryIo({ isTTY: true, progressStream: terminal.stream });
    const bar = ttyProgress(io, false, "linking {bar} {value}/{total}");
    bar.start(3);
    bar.update(1);
    bar.update(3);
    bar.stop();
    const text = terminal.text();
    expect(text).toContain("0/3");
    expect(text).toContain("3/3");
    expect(text.indexOf("0/3")).toBeLessThan(text.indexOf("3/3"));
    // Back to the start of the line before each redraw, never a new line until the end.
    expect(text).toMatch(/(\r|\x1b\[\d*G)/);
    expect(text.split("\n")).toHaveLength(2);
    expect(text.endsWith("\n")).toBe(true);
    expect(io.err).toEqual([]);
  });

  it("falls back to whole lines on stderr without a terminal stream", async () => {
    const io = memoryIo({ isTTY: true });
    const bar = ttyProgress(io, false, "linking {bar} {value}/{total}");
    bar.start(2);
    bar.stop();
    await Promise.resolve();
    expect(io.err.length).toBeGreaterThan(0);
    expect(io.err.every((line) => !/[\r\n\x1b]/.test(line))).toBe(true);
    expect(io.err.join("\n")).toMatch(/linking .* 0\/2/);
  });

  it("draws nothing with --json or when stderr is not a terminal, even given a stream", () => {
    for (const [isTTY, json] of [
      [true, true],
      [false, false],
    ]) {
      const terminal = fakeTerminal();
      const io = memoryIo({ isTTY, progressStream: terminal.stream });
      const bar = ttyProgress(io, json, "linking {bar} {value}/{total}");
      bar.start(2);
      bar.update(2);
      bar.stop();
      expect(terminal.text()).toBe("");
      expect(io.err).toEqual([]);
    }
  });
});
