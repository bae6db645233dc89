/** Small text helpers for what commands print. Pure. */

/** "1 user", "2 users", "0 users". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** The width summaries are laid out for: a classic terminal, and what fits a pull request comment. */
export const SUMMARY_WIDTH = 80;

/**
 * The width to lay a summary out for: on a terminal 80 columns, or its own width when narrower;
 * piped (no terminal) no wrapping at all, so a log, grep or a script reads each item whole on
 * one line.
 */
export function summaryWidth(terminal: { isTerminal: boolean; columns?: number }): number {
  if (!terminal.isTerminal) return Infinity;
  return Math.min(SUMMARY_WIDTH, terminal.columns ?? SUMMARY_WIDTH);
}

/**
 * Word-wraps one line to `width` columns, continuation lines indented by `indent` spaces. A word
 * longer than the line (a path, a URL) is never broken: it gets a line of its own, whole, so it
 * can be copied.
 */
export function wrapLine(text: string, width = SUMMARY_WIDTH, indent = 2): string[] {
  const lead = /^ */.exec(text)![0];
  // Words with the spaces before them, so padded columns ("disabled  104") keep their spacing.
  const pieces = text.slice(lead.length).match(/ *\S+/g) ?? [];
  const lines: string[] = [];
  let line = lead;
  for (const piece of pieces) {
    const word = piece.trimStart();
    if (line.trim() !== "" && line.length + piece.length > width) {
      lines.push(line);
      line = " ".repeat(indent) + word;
    } else {
      line += line.trim() === "" ? word : piece;
    }
  }
  if (line.trim() !== "") lines.push(line);
  return lines;
}

/**
 * A long shell command broken before its flags with ` \` continuations, so it reads at `width`
 * columns and still pastes into a shell as one command.
 */
export function continuedCommand(command: string, width = SUMMARY_WIDTH, indent = 4): string {
  const parts = command.split(/ (?=--)/);
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    if (line !== "" && line.length + 1 + part.length + 2 > width - (lines.length === 0 ? 0 : indent)) {
      lines.push(line);
      line = part;
    } else {
      line = line === "" ? part : `${line} ${part}`;
    }
  }
  lines.push(line);
  return lines.join(` \\\n${" ".repeat(indent)}`);
}

/**
 * Characters a terminal acts on instead of showing: C0 controls but the line feed and the tab
 * (ESC starts colour and cursor sequences, a carriage return lets later text overwrite a FAIL
 * line with "PASS", a backspace erases), DEL, the C1 controls (U+009B is a one-character CSI on
 * many terminals) and the bidirectional overrides and isolates that reorder what is shown.
 */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from servers and files, made safe to show: each control character is written as its
 * `\uXXXX` escape, visible and never acted on. The same escape is valid inside a JSON string, so
 * `--json` output stays JSON (JSON.stringify escapes C0 itself, not DEL, C1 or the overrides).
 */
export function visibleControls(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The longest line a diagnostic prints whole; longer ones are cut, saying how much was left out. */
export const MAX_DIAGNOSTIC_LINE = 2_000;

/**
 * Cuts each line of a diagnostic (stderr) to `max` characters: a value from a file or a server
 * (an export header of 200,000 names) must not become a line of millions of characters.
 */
export function boundedLines(text: string, max = MAX_DIAGNOSTIC_LINE): string {
  if (text.length <= max) return text;
  return text
    .split("\n")
    .map((line) => (line.length <= max ? line : `${line.slice(0, max)}… (${line.length - max} more characters not shown)`))
    .join("\n");
}
