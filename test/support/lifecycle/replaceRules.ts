/**
 * What every input of every azuread type the program declares does, for the lifecycle engine's
 * diff: which changes force a new resource, and what leaving an input out of the program means.
 *
 * Replacement is read from the installed SDK's own docs ("Changing this field forces a new
 * resource to be created", node_modules/@pulumi/azuread/*.d.ts), which the bridge generates from
 * the Terraform schema's ForceNew; where the docs are silent, the provider source is cited.
 *
 * What an omitted input means comes from the Terraform schema (hashicorp/terraform-provider-azuread
 * v3, the file named by `source`; read at f0169e0, the schemas are the same from v3.0.0 on): the
 * bridge hands the provider the config as written, so
 * - `cleared`: Optional and not Computed. Left out, the config holds the zero value (no owners, no
 *   notes, an empty set) and the provider's update writes it to Graph. This is how a takeover that
 *   omits `owners` removes the registration's owner.
 * - `computed`: Optional and Computed. Left out, the provider keeps what Graph has.
 * - `defaulted`: Optional with a schema Default. Left out, the default is written.
 * - `required`: always given.
 * `stateOnly` marks inputs the provider keeps in its state and never reads from Graph.
 *
 * test/lifecycle/replaceRules.test.ts parses the SDK's `<Type>Args` interfaces: a field the SDK
 * documents that this table does not know, or a replacing field it does not list, fails a test.
 */
export type OmittedMeans = "cleared" | "computed" | "defaulted" | "required";

export interface FieldRule {
  omitted: OmittedMeans;
  /** The Terraform attribute this input is (the schema key to look up in `source`). */
  tf: string;
  /** For `defaulted`: the schema Default. */
  default?: unknown;
  /** Kept in the provider's state only; Graph does not hold it. */
  stateOnly?: boolean;
  /** A fact beyond the schema flags, with where it comes from. */
  note?: string;
}

export interface ReplaceRule {
  /** Inputs whose change replaces the resource; every other input is updated in place. */
  replaceOn: readonly string[];
  /** Replacing fields the .d.ts does not document, with where the fact comes from. */
  undocumented?: Record<string, string>;
  /** The provider source file the field rules are read from. */
  source: string;
  /** Every input of the SDK's `<Type>Args`, by its Pulumi name. */
  fields: Record<string, FieldRule>;
}

const cleared = (tf: string, note?: string): FieldRule => ({ omitted: "cleared", tf, ...(note ? { note } : {}) });
const computed = (tf: string): FieldRule => ({ omitted: "computed", tf });
const required = (tf: string): FieldRule => ({ omitted: "required", tf });
const defaulted = (tf: string, value: unknown, stateOnly = false): FieldRule => ({ omitted: "defaulted", tf, default: value, ...(stateOnly ? { stateOnly } : {}) });

/** A block with a DiffSuppressFunc that hides an omitted block only while Graph's holds defaults alone. */
const SUPPRESSED_WHEN_DEFAULTS = "applicationDiffSuppress: left out, a block holding only default values is no change; anything else is cleared";

export const AZUREAD_REPLACE_RULES: Record<string, ReplaceRule> = {
  "azuread:index/application:Application": {
    // Only templateId forces a new application; nothing this program sets does.
    replaceOn: ["templateId"],
    source: "internal/services/applications/application_resource.go",
    fields: {
      api: cleared("api", SUPPRESSED_WHEN_DEFAULTS),
      appRoles: cleared("app_role"),
      description: cleared("description"),
      deviceOnlyAuthEnabled: cleared("device_only_auth_enabled"),
      displayName: required("display_name"),
      fallbackPublicClientEnabled: cleared("fallback_public_client_enabled"),
      featureTags: computed("feature_tags"),
      groupMembershipClaims: cleared("group_membership_claims"),
      identifierUris: cleared("identifier_uris"),
      logoImage: cleared("logo_image"),
      marketingUrl: cleared("marketing_url"),
      notes: cleared("notes"),
      oauth2PostResponseRequired: cleared("oauth2_post_response_required"),
      optionalClaims: cleared("optional_claims", SUPPRESSED_WHEN_DEFAULTS),
      // The create adds the caller and removes it again unless configured (applicationResourceCreate,
      // removeCallerOwner); the update removes every owner the config does not list (HasChange("owners")).
      owners: cleared("owners", "update: owners in Graph but not in the config are removed (ownersForRemoval)"),
      // The read keeps only the password this block created (matched by the key_id in its state),
      // so a hand-made secret is never in it and leaving the block out removes nothing else.
      password: cleared("password", "read: only the credential whose key_id the state holds"),
      preventDuplicateNames: defaulted("prevent_duplicate_names", false, true),
      privacyStatementUrl: cleared("privacy_statement_url"),
      publicClient: cleared("public_client", SUPPRESSED_WHEN_DEFAULTS),
      requiredResourceAccesses: cleared("required_resource_access"),
      serviceManagementReference: cleared("service_management_reference"),
      signInAudience: defaulted("sign_in_audience", "AzureADMyOrg"),
      singlePageApplication: cleared("single_page_application", SUPPRESSED_WHEN_DEFAULTS),
      supportUrl: cleared("support_url"),
      tags: computed("tags"),
      templateId: computed("template_id"),
      termsOfServiceUrl: cleared("terms_of_service_url"),
      web: cleared("web", SUPPRESSED_WHEN_DEFAULTS),
    },
  },
  "azuread:index/applicationPassword:ApplicationPassword": {
    replaceOn: ["applicationId", "displayName", "endDate", "endDateRelative", "rotateWhenChanged", "startDate"],
    source: "internal/services/applications/application_password_resource.go",
    fields: {
      applicationId: required("application_id"),
      displayName: computed("display_name"),
      endDate: computed("end_date"),
      endDateRelative: { ...cleared("end_date_relative"), stateOnly: true },
      rotateWhenChanged: { ...cleared("rotate_when_changed"), stateOnly: true },
      startDate: computed("start_date"),
    },
  },
  "azuread:index/servicePrincipal:ServicePrincipal": {
    replaceOn: ["clientId"],
    undocumented: {
      clientId: "internal/services/serviceprincipals/service_principal_resource.go: client_id is ForceNew (the .d.ts does not say so)",
    },
    source: "internal/services/serviceprincipals/service_principal_resource.go",
    fields: {
      accountEnabled: defaulted("account_enabled", true),
      alternativeNames: cleared("alternative_names"),
      appRoleAssignmentRequired: cleared("app_role_assignment_required"),
      clientId: required("client_id"),
      description: cleared("description"),
      featureTags: computed("feature_tags"),
      features: computed("features"),
      loginUrl: cleared("login_url"),
      notes: cleared("notes"),
      notificationEmailAddresses: cleared("notification_email_addresses"),
      // As for applications: servicePrincipalResourceUpdate removes owners the config does not list.
      owners: cleared("owners", "update: owners in Graph but not in the config are removed"),
      preferredSingleSignOnMode: cleared("preferred_single_sign_on_mode"),
      samlSingleSignOn: cleared("saml_single_sign_on", "servicePrincipalDiffSuppress: an omitted block with an empty relay_state is no change"),
      tags: computed("tags"),
      useExisting: { ...cleared("use_existing"), stateOnly: true },
    },
  },
  "azuread:index/appRoleAssignment:AppRoleAssignment": {
    replaceOn: ["appRoleId", "principalObjectId", "resourceObjectId"],
    source: "internal/services/approleassignments/app_role_assignment_resource.go",
    fields: {
      appRoleId: required("app_role_id"),
      principalObjectId: required("principal_object_id"),
      resourceObjectId: required("resource_object_id"),
    },
  },
  "azuread:index/applicationApiAccess:ApplicationApiAccess": {
    replaceOn: ["apiClientId", "applicationId"],
    // A typed resource: its schema is in Arguments(), not a map literal.
    source: "internal/services/applications/application_api_access_resource.go",
    fields: {
      apiClientId: required("api_client_id"),
      applicationId: required("application_id"),
      roleIds: cleared("role_ids"),
      scopeIds: cleared("scope_ids"),
    },
  },
};

/** The inputs whose omission clears them in Graph. */
export function clearedWhenOmitted(type: string): string[] {
  return Object.entries(ruleOf(type).fields)
    .filter(([, rule]) => rule.omitted === "cleared")
    .map(([name]) => name);
}

export function ruleOf(type: string): ReplaceRule {
  const rule = AZUREAD_REPLACE_RULES[type];
  if (!rule) throw new Error(`lifecycle engine: no replace rule for ${type}; add it to replaceRules.ts`);
  return rule;
}

/** The SDK file that documents a type: azuread:index/applicationPassword:... -> applicationPassword.d.ts */
export function sdkDeclarationFile(type: string): string {
  return `${type.split(":")[1].split("/")[1]}.d.ts`;
}
