import { UserError } from "../errors";

/**
 * Onboarding the wrong customer is the worst mistake this tool can make: a `pulumi up` with
 * credentials from another tenant would register Nexxt there and hand its secret to this
 * customer's Nexxt. Called before any resource is registered.
 */
export function assertSameTenant(configuredTenantId: string, credentialsTenantId: string): void {
  if (configuredTenantId.toLowerCase() !== credentialsTenantId.toLowerCase()) {
    throw new UserError(
      `The credentials Pulumi runs with belong to tenant ${credentialsTenantId}, but this stack's nexxt:tenantId is ${configuredTenantId}; nothing was created. ` +
        `Sign in to the customer's tenant (\`az login --tenant ${configuredTenantId}\`, or set ARM_TENANT_ID for a service principal) or fix nexxt:tenantId.`,
    );
  }
}
