/**
 * Two customer stacks in one Entra tenant (one tenant, two Nexxt companies) are almost always a
 * copy-paste mistake, so `validate` refuses them unless every stack file of that tenant carries
 * this comment line. It is a comment, not a config key, so the program never sees it; it is
 * reviewed in the pull request like any other line.
 */
export const SHARED_TENANT_MARKER = "# nexxt-onboard: shared-tenant";

const MARKER_LINE = /^[ \t]*#[ \t]*nexxt-onboard:[ \t]*shared-tenant[ \t]*$/m;

export function hasSharedTenantMarker(stackFileText: string): boolean {
  return MARKER_LINE.test(stackFileText);
}
