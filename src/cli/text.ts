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
