/**
 * A canary stack gets a program change first: on merge the canaries are applied, and every other
 * stack only once they all passed. Which stacks are canaries is a reviewed choice in the stack
 * file, a comment line the program never sees (like the shared-tenant marker).
 */
export const CANARY_MARKER = "# nexxt-onboard: canary";

const MARKER_LINE = /^[ \t]*#[ \t]*nexxt-onboard:[ \t]*canary[ \t]*$/m;

export function hasCanaryMarker(stackFileText: string): boolean {
  return MARKER_LINE.test(stackFileText);
}
