import { CONFIG_NAMESPACE, EXAMPLE_TENANT_ID } from "../config/schema";
import { isExampleStack } from "./exampleStack";
import { SHARED_TENANT_MARKER } from "./sharedTenantMarker";
import type { StackIdentity } from "./stackIdentity";
import type { StackProblem } from "./stackProblem";

const TENANT_KEY = `${CONFIG_NAMESPACE}:tenantId`;
const COMPANY_KEY = `${CONFIG_NAMESPACE}:companyId`;
const DISPLAY_NAME_KEY = `${CONFIG_NAMESPACE}:displayName`;

/**
 * The rules no single stack file can break on its own:
 * - a customer stack never uses the example's fake tenant ID;
 * - one Entra tenant, one stack, unless every stack of that tenant carries the shared-tenant marker;
 * - stacks sharing a tenant use different display names (the program refuses a namesake
 *   registration it did not create, so the second stack could never be deployed);
 * - one Nexxt Company ID, one stack (there is no opt-out: one company gets one connector);
 * - stack names differ in more than case: Pulumi tells ACME from acme, but the file systems of
 *   Windows and macOS hold only one of Pulumi.ACME.yaml and Pulumi.acme.yaml.
 * The example stack takes no part in the value rules: its GUIDs are fake.
 */
export function crossStackProblems(stacks: readonly StackIdentity[]): StackProblem[] {
  const customers = stacks.filter((stack) => !isExampleStack(stack.stack));
  const problems: StackProblem[] = [];
  for (const group of groupsOf(stacks, (stack) => stack.stack.toLowerCase())) {
    for (const stack of group) {
      problems.push({
        file: stack.file,
        message: `stack '${stack.stack}' differs only in case from ${othersOf(group, stack)}; Windows and macOS cannot hold both files in one directory: merge them into one stack, or rename one.`,
      });
    }
  }
  for (const stack of customers) {
    if (stack.tenantId === EXAMPLE_TENANT_ID) {
      problems.push({
        file: stack.file,
        key: TENANT_KEY,
        message: `${TENANT_KEY} ${EXAMPLE_TENANT_ID} is the fake tenant ID of the example stack; set the customer's Directory (tenant) ID from the Entra admin center (Overview).`,
      });
    }
  }
  for (const group of groupsOf(customers, (stack) => stack.tenantId)) {
    if (group.every((stack) => stack.sharedTenant)) {
      problems.push(...sharedTenantNameClashes(group));
      continue;
    }
    for (const stack of group) {
      problems.push({
        file: stack.file,
        key: TENANT_KEY,
        message:
          `${TENANT_KEY} ${stack.tenantId} is also the tenant of ${othersOf(group, stack)}; one customer tenant belongs in one stack: remove the duplicate, ` +
          `or if these stacks really share the tenant, add the line '${SHARED_TENANT_MARKER}' to each of their files.`,
      });
    }
  }
  for (const group of groupsOf(customers, (stack) => stack.companyId)) {
    for (const stack of group) {
      problems.push({
        file: stack.file,
        key: COMPANY_KEY,
        message: `${COMPANY_KEY} ${stack.companyId} is also the Company ID of ${othersOf(group, stack)}; one Nexxt company gets one connector: remove the duplicate stack or correct the Company ID.`,
      });
    }
  }
  return problems;
}

function sharedTenantNameClashes(group: readonly StackIdentity[]): StackProblem[] {
  return groupsOf(group, (stack) => stack.displayName?.toLowerCase()).flatMap((clash) =>
    clash.map((stack) => ({
      file: stack.file,
      key: DISPLAY_NAME_KEY,
      message:
        `${DISPLAY_NAME_KEY} '${stack.displayName}' is also the display name of ${othersOf(clash, stack)} in the same tenant; ` +
        `the program refuses to register a namesake it did not create, so give each stack its own ${DISPLAY_NAME_KEY}, for example "ClearVox Nexxt (${stack.stack})".`,
    })),
  );
}

/** Groups of two or more stacks with the same defined value. */
function groupsOf(stacks: readonly StackIdentity[], valueOf: (stack: StackIdentity) => string | undefined): StackIdentity[][] {
  const byValue = new Map<string, StackIdentity[]>();
  for (const stack of stacks) {
    const value = valueOf(stack);
    if (value === undefined) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), stack]);
  }
  return [...byValue.values()].filter((group) => group.length > 1);
}

function othersOf(group: readonly StackIdentity[], stack: StackIdentity): string {
  return group
    .filter((other) => other !== stack)
    .map((other) => other.file)
    .join(", ");
}
