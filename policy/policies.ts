import type { Policies, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { apiAccessViolations, appRoleViolations, grantResourceViolations, requiredResourceAccessViolations, secretEndDateViolations, signInAudienceViolations } from "./rules";

/** azuread resource type tokens the program registers (src/connector/connector.ts). */
export const RESOURCE_TYPES = {
  application: "azuread:index/application:Application",
  applicationApiAccess: "azuread:index/applicationApiAccess:ApplicationApiAccess",
  applicationPassword: "azuread:index/applicationPassword:ApplicationPassword",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
} as const;

/** Policy config (`--policy-pack-config`, see policy/config/): set per stack, reviewed in the pull request. */
export interface PermissionPolicyConfig {
  allowHighPrivilege?: boolean;
}

export interface PolicyOptions {
  /** The clock the secret lifetime is measured from; tests fix it. */
  now: () => Date;
}

function reportAll(violations: string[], reportViolation: ReportViolation): void {
  for (const violation of violations) reportViolation(violation);
}

/** One validation per resource type, so a policy lists only what applies to the resource at hand. */
function forType(type: string, check: (props: Record<string, unknown>, args: ResourceValidationArgs) => string[]) {
  return (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type === type) reportAll(check(args.props, args), reportViolation);
  };
}

export function nexxtPolicies(options: PolicyOptions): Policies {
  const multitenant: ResourceValidationPolicy = {
    name: "nexxt-multitenant-application",
    description: "The Nexxt app registration is multitenant (signInAudience AzureADMultipleOrgs), as the ClearVox guide requires.",
    enforcementLevel: "mandatory",
    validateResource: forType(RESOURCE_TYPES.application, (props) => signInAudienceViolations(props.signInAudience)),
  };

  const allowHigh = (args: ResourceValidationArgs) => args.getConfig<PermissionPolicyConfig>().allowHighPrivilege === true;
  const graphPermissions: ResourceValidationPolicy = {
    name: "nexxt-graph-permissions",
    description: "Only catalogued Microsoft Graph application permissions are requested and granted; high-privilege ones only where the policy config allows them.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowHighPrivilege: { type: "boolean", default: false } } },
    validateResource: [
      forType(RESOURCE_TYPES.application, (props, args) => requiredResourceAccessViolations(props.requiredResourceAccesses, allowHigh(args))),
      forType(RESOURCE_TYPES.applicationApiAccess, (props, args) => apiAccessViolations(props.apiClientId, props.roleIds, props.scopeIds, allowHigh(args))),
      forType(RESOURCE_TYPES.appRoleAssignment, (props, args) => appRoleViolations(props.appRoleId, allowHigh(args))),
    ],
  };

  const secretLifetime: ResourceValidationPolicy = {
    name: "nexxt-secret-lifetime",
    description: "Every client secret has an explicit end date at most 730 days away.",
    enforcementLevel: "mandatory",
    validateResource: forType(RESOURCE_TYPES.applicationPassword, (props) => secretEndDateViolations(props.endDate, options.now())),
  };

  const grantsToOneResource: StackValidationPolicy = {
    name: "nexxt-grants-to-graph-only",
    description: "All app role assignments of a stack go to one resource service principal, Microsoft Graph's (their app role IDs are checked by nexxt-graph-permissions).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      const grants = args.resources.filter((resource) => resource.type === RESOURCE_TYPES.appRoleAssignment);
      reportAll(grantResourceViolations(grants.map((grant) => grant.props.resourceObjectId)), reportViolation);
    },
  };

  return [multitenant, graphPermissions, secretLifetime, grantsToOneResource];
}
