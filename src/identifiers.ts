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
