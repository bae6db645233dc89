/**
 * A key that appears twice in one JSON object, compared case-insensitively, among the keys
 * `watched` accepts (lower case), with the line it is on; or undefined. JSON.parse keeps the last
 * of two equal keys without a word, so `{"id": "101", ..., "id": "102"}` would silently be user
 * 102; two keys that differ only in case are as ambiguous to a column match that ignores case.
 * Pure; `text` is JSON that JSON.parse accepted.
 */
export function firstDuplicateKey(text: string, watched: (lowerCaseKey: string) => boolean): { key: string; line: number } | undefined {
  /** Per open container: the keys of an object seen so far, or undefined for an array. */
  const stack: (Set<string> | undefined)[] = [];
  let expectKey = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a) line++;
    else if (ch === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (ch === 0x5b /* [ */) {
      stack.push(undefined);
      expectKey = false;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (ch === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== undefined;
    } else if (ch === 0x22 /* " */) {
      // To the closing quote: one not preceded by an odd number of backslashes. Valid JSON has no
      // raw line break inside a string, so the line count stays right.
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && backslashesBefore(text, end) % 2 === 1) end = text.indexOf('"', end + 1);
      if (end === -1) return undefined;
      const keys = stack[stack.length - 1];
      if (expectKey && keys !== undefined) {
        const raw = text.slice(i + 1, end);
        const key = (raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw).toLowerCase();
        if (keys.has(key) && watched(key)) return { key, line };
        keys.add(key);
        expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

function backslashesBefore(text: string, at: number): number {
  let count = 0;
  while (at - count - 1 >= 0 && text.charCodeAt(at - count - 1) === 0x5c) count++;
  return count;
}
