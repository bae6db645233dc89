/**
 * `stacks/Pulumi.example.yaml` documents every key with fake GUIDs. It must stay a valid stack
 * (validate checks it like any other), but it is never previewed or deployed, and its fake
 * tenant and Company ID take no part in the cross-stack duplicate rules.
 */
export const EXAMPLE_STACK = "example";

export function isExampleStack(stack: string): boolean {
  return stack === EXAMPLE_STACK;
}
