/** Identifier formats more than one layer checks: one definition each, so the layers agree. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID in its usual text form: Entra tenant, application (client) and object IDs. */
export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/**
 * What Pulumi accepts as a stack name: letters, digits, '-', '_' and '.', at most 100
 * characters (https://www.pulumi.com/docs/iac/concepts/stacks/). "." and ".." are refused too:
 * the name also names files (stacks/Pulumi.<stack>.yaml, out/<stack>.nexxt.json).
 */
const STACK_NAME = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,100}$/;

export function isStackName(text: string): boolean {
  return STACK_NAME.test(text);
}

/** A Nexxt Company ID: the last segment of the licence page address, letters, digits, '-', '_' (at most 64). */
const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isCompanyId(text: string): boolean {
  return COMPANY_ID.test(text);
}

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: never part of a one-line value. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * A value that may stand for one path segment once encodeURIComponent has encoded it: not empty,
 * not "." or ".." (which URL parsers resolve away: /api/users/.. is /api), and no '/', '\' or
 * control character (refused rather than encoded, so the ID means the same everywhere).
 */
export function isSafePathSegment(text: string): boolean {
  return text !== "" && text !== "." && text !== ".." && !/[/\\\u0000-\u001f\u007f]/.test(text);
}
