/** Identifier formats more than one layer checks: one definition each, so the layers agree. */
import { isIP } from "node:net";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The GUID error messages offer as an example: the README's example customer's tenant. Not the
 * example stack's fake tenant (11111111-…), which new-customer and validate refuse: an example
 * the next command refuses teaches nothing.
 */
export const GUID_EXAMPLE = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";

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

/**
 * The rule, in one sentence. Both the guide and the Dutch original say the ID is the last segment
 * of the licence page `http(s)://<nexxt host>/accounts/edit/<company-ID>` (Beheermenu > Bedrijven >
 * Wijzigen): an edit page's record number, so a positive whole number.
 */
export const COMPANY_ID_RULE =
  "a Nexxt Company ID is the positive whole number that ends the licence page address http(s)://<nexxt host>/accounts/edit/<company-ID> (Beheermenu > Bedrijven > Wijzigen); give that number, or paste the address";
/** Digits, no leading zero (one ID, one spelling, so the duplicate rule compares like with like); 18 at most. */
const COMPANY_ID = /^[1-9][0-9]{0,17}$/;

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

/**
 * The customer's Nexxt as ClearVox sales needs it when the licence is ordered (the guide's later
 * revision: the Company ID goes to sales "with the Nexxt's hostname or IP address"): a DNS name
 * (letters, digits and '-' per label, RFC 1123) or an IPv4/IPv6 address; no scheme, port or path.
 */
export const NEXXT_HOST_RULE =
  "give the hostname or IP address of the customer's Nexxt (it goes to ClearVox sales with the Company ID when the licence is ordered), without https://, port or path, for example pbx.example.nl or 192.0.2.10";
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isNexxtHost(text: string): boolean {
  if (isIP(text) !== 0) return true;
  if (text.length > 253 || /^[0-9.]+$/.test(text)) return false;
  return text
    .replace(/\.$/, "")
    .split(".")
    .every((label) => HOST_LABEL.test(label));
}
