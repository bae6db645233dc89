/**
 * FNV-1a (32 bit) over a text's code points: a stable, spread-out number for a name (not for
 * security), the same on every run, machine and version of Node. The secret schedule's jitter and
 * the fleet's fallback canaries both order stacks by it.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) {
    const code = text.codePointAt(at)!;
    if (code > 0xffff) at++; // the second half of a surrogate pair is part of this code point
    hash = Math.imul(hash ^ code, 0x01000193) >>> 0;
  }
  return hash;
}
