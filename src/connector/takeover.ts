/**
 * What a run leaves as it found it on a registration made by hand (nexxt:existingApplicationId).
 *
 * The azuread provider treats an Optional input that is not Computed as "none" when the program
 * leaves it out, and writes that to Graph: leaving out `owners` removes the portal owner, leaving
 * out `notes` empties the notes (terraform-provider-azuread v3, application_resource.go and
 * service_principal_resource.go, `owners` is `Optional: true` without `Computed`). Since Pulumi
 * 3.174 an import whose inputs differ is followed by an update in the same run
 * (pulumi/pulumi#19339), so the first `pulumi up` would already do it. These lists go into the
 * taken-over resources' `ignoreChanges`: the engine then keeps the values it imported (and reads
 * on a refresh) instead of the program's "none".
 *
 * Every input the SDK documents for the two types is here except the ones the program sets to
 * the values it found (displayName, signInAudience, clientId); test/program/takeover.test.ts
 * checks the lists against the installed SDK's `ApplicationArgs` and `ServicePrincipalArgs`.
 */
export const KEPT_APPLICATION_FIELDS = [
  "api",
  "appRoles",
  "description",
  "deviceOnlyAuthEnabled",
  "fallbackPublicClientEnabled",
  "featureTags",
  "groupMembershipClaims",
  "identifierUris",
  "logoImage",
  "marketingUrl",
  "notes",
  "oauth2PostResponseRequired",
  "optionalClaims",
  "owners",
  "password",
  "preventDuplicateNames",
  "privacyStatementUrl",
  "publicClient",
  // Microsoft Graph's entry is managed by its own ApplicationApiAccess, the rest is the customer's.
  "requiredResourceAccesses",
  "serviceManagementReference",
  "singlePageApplication",
  "supportUrl",
  "tags",
  "templateId",
  "termsOfServiceUrl",
  "web",
] as const;

export const KEPT_SERVICE_PRINCIPAL_FIELDS = [
  "accountEnabled",
  "alternativeNames",
  "appRoleAssignmentRequired",
  "description",
  "featureTags",
  "features",
  "loginUrl",
  "notes",
  "notificationEmailAddresses",
  "owners",
  "preferredSingleSignOnMode",
  "samlSingleSignOn",
  "tags",
  "useExisting",
] as const;

/** The inputs the program sets on a taken-over registration, to what it found there. */
export const SET_APPLICATION_FIELDS = ["displayName", "signInAudience"] as const;
export const SET_SERVICE_PRINCIPAL_FIELDS = ["clientId"] as const;
