/**
 * Which input changes force a new resource, per azuread type: the one table the lifecycle
 * engine diffs by. Read from the installed SDK's own docs ("Changing this field forces a new
 * resource to be created", node_modules/@pulumi/azuread/*.d.ts), which the bridge generates from
 * the Terraform schema's ForceNew; replaceRules.test.ts parses those files, so an SDK upgrade
 * that changes the set fails a test. Where the docs are silent, the Terraform provider source is
 * cited (github.com/hashicorp/terraform-provider-azuread).
 */
export interface ReplaceRule {
  /** Inputs whose change replaces the resource; every other input is updated in place. */
  replaceOn: readonly string[];
  /** Replacing fields the .d.ts does not document, with where the fact comes from. */
  undocumented?: Record<string, string>;
  /** Optional inputs the provider does not compute: leaving one out clears it (a diff). */
  clearedWhenOmitted?: readonly string[];
}

export const AZUREAD_REPLACE_RULES: Record<string, ReplaceRule> = {
  "azuread:index/application:Application": {
    // Only templateId forces a new application; nothing this program sets does.
    replaceOn: ["templateId"],
    clearedWhenOmitted: ["notes", "requiredResourceAccesses"],
  },
  "azuread:index/applicationPassword:ApplicationPassword": {
    replaceOn: ["applicationId", "displayName", "endDate", "endDateRelative", "rotateWhenChanged", "startDate"],
  },
  "azuread:index/servicePrincipal:ServicePrincipal": {
    replaceOn: ["clientId"],
    undocumented: {
      clientId: "internal/services/serviceprincipals/service_principal_resource.go: client_id is ForceNew (the .d.ts does not say so)",
    },
  },
  "azuread:index/appRoleAssignment:AppRoleAssignment": {
    replaceOn: ["appRoleId", "principalObjectId", "resourceObjectId"],
  },
  "azuread:index/applicationApiAccess:ApplicationApiAccess": {
    replaceOn: ["apiClientId", "applicationId"],
    clearedWhenOmitted: ["roleIds", "scopeIds"],
  },
};

/** The SDK file that documents a type: azuread:index/applicationPassword:... -> applicationPassword.d.ts */
export function sdkDeclarationFile(type: string): string {
  return `${type.split(":")[1].split("/")[1]}.d.ts`;
}
