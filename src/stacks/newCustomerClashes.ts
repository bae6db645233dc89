import { UserError } from "../errors";
import { isExampleStack } from "./exampleStack";
import { SHARED_TENANT_MARKER } from "./sharedTenantMarker";
import type { StackIdentity } from "./stackIdentity";

export interface ClashDecision {
  /** Write the shared-tenant marker into the new file. */
  sharedTenant: boolean;
  /** Existing stack files of the same tenant that still lack the marker: the user must add it there. */
  markerMissingIn: string[];
}

/**
 * Decides whether a new customer may join the existing stacks, by the same rules `validate`
 * applies (crossStackRules.ts), so new-customer never writes a file that validate then refuses
 * for a reason new-customer could have seen. Throws a UserError naming the flag to change.
 */
export function decideClashes(
  candidate: Pick<StackIdentity, "stack" | "tenantId" | "companyId" | "displayName">,
  existing: readonly StackIdentity[],
  allowSharedTenant: boolean,
): ClashDecision {
  const customers = existing.filter((stack) => !isExampleStack(stack.stack));
  const sameCompany = customers.filter((stack) => stack.companyId === candidate.companyId);
  if (sameCompany.length > 0) {
    throw new UserError(
      `--company-id ${candidate.companyId} is already the Company ID of ${files(sameCompany)}; one Nexxt company gets one connector: check the Company ID, or change that stack instead.`,
    );
  }
  const sameTenant = customers.filter((stack) => stack.tenantId === candidate.tenantId);
  if (sameTenant.length === 0) return { sharedTenant: false, markerMissingIn: [] };
  if (!allowSharedTenant) {
    throw new UserError(
      `--tenant-id ${candidate.tenantId} is already the tenant of ${files(sameTenant)}; check the tenant ID, or pass --allow-shared-tenant if this customer really shares that tenant (one tenant, two Nexxt companies).`,
    );
  }
  const sameName = sameTenant.filter((stack) => stack.displayName?.toLowerCase() === candidate.displayName?.toLowerCase());
  if (sameName.length > 0) {
    throw new UserError(
      `--display-name '${candidate.displayName}' is already the app registration name of ${files(sameName)} in the same tenant; pass another --display-name, for example "ClearVox Nexxt (${candidate.stack})".`,
    );
  }
  return { sharedTenant: true, markerMissingIn: sameTenant.filter((stack) => !stack.sharedTenant).map((stack) => stack.file) };
}

function files(stacks: readonly StackIdentity[]): string {
  return stacks.map((stack) => stack.file).join(", ");
}

/** What to tell the user when other files still need the marker. */
export function markerInstruction(markerMissingIn: readonly string[]): string {
  return `Add the line '${SHARED_TENANT_MARKER}' to ${markerMissingIn.join(", ")} as well, in the same pull request; validate refuses the shared tenant until every file of it carries the line.`;
}
