/** Identifier formats more than one layer checks: one definition each, so the layers agree. */

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
