import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDS, CLOUD_NAMES, CloudName, MICROSOFT_GRAPH_APP_ID } from "../catalogue/clouds";
import { UserError } from "../errors";
import { checkRedirectUri } from "./consentLink";
import {
  DEPLOY_ENVIRONMENTS,
  DEPLOY_PERMISSIONS,
  GITHUB_ISSUER,
  PREVIEW_ENVIRONMENTS,
  PREVIEW_PERMISSIONS,
  PipelinePermission,
  TOKEN_EXCHANGE_AUDIENCE,
  environmentSubject,
} from "./partnerIdentity";

/** The partner stack's config namespace (partner/Pulumi.<stack>.yaml). */
export const PARTNER_NAMESPACE = "nexxt-partner";

export interface PartnerOutputs {
  cloud: CloudName;
  deployClientId: pulumi.Output<string>;
  previewClientId: pulumi.Output<string>;
  /** The partner.yaml entry to commit beside Pulumi.yaml, so new-customer prints the consent links. */
  partnerYaml: pulumi.Output<string>;
}

/**
 * The partner's own stack, run once per cloud with `az login` to the partner's tenant: two
 * multitenant apps (deploy, read-only preview) that ask for exactly the permissions in
 * partnerIdentity.ts, the consent page as their redirect URI, and one federated credential per
 * GitHub environment, so the pipeline signs in with no secret. Nothing here touches a customer's
 * tenant: each customer's admin consents through the link new-customer prints.
 */
export function partnerProgram(): PartnerOutputs {
  const config = new pulumi.Config(PARTNER_NAMESPACE);
  const repository = config.require("repository");
  const redirectUri = config.require("consentRedirectUri");
  const cloud = cloudOf(config.get("cloud"), new pulumi.Config("azuread").get("environment"));
  checkRedirectUri(redirectUri);
  const namePrefix = config.get("displayName") ?? "Nexxt onboarding pipeline";
  if (namePrefix.trim() === "")
    throw new UserError(
      `${PARTNER_NAMESPACE}:displayName is empty; leave it out for "Nexxt onboarding pipeline", or give the name customers' admins will see on the consent page.`,
    );

  const deploy = pipelineApp("deploy", `${namePrefix}`, DEPLOY_PERMISSIONS, redirectUri);
  const preview = pipelineApp("preview", `${namePrefix} (read-only)`, PREVIEW_PERMISSIONS, redirectUri);
  // The audience the job's GitHub token is requested for must be the one here; Microsoft's value for the
  // cloud unless the partner's sign-in requests another (nexxt-partner:audience).
  const audience = config.get("audience") ?? TOKEN_EXCHANGE_AUDIENCE[cloud];
  for (const environment of DEPLOY_ENVIRONMENTS) federate(deploy, "deploy", environment, repository, audience);
  // Credentials of one app are created one after another: Entra refuses concurrent writes of them.
  let previous: pulumi.Resource | undefined;
  for (const environment of PREVIEW_ENVIRONMENTS) previous = federate(preview, "preview", environment, repository, audience, previous);

  const partnerYaml = pulumi
    .all([deploy.clientId, preview.clientId])
    .apply(([deployId, previewId]) => [`consentRedirectUri: ${redirectUri}`, "apps:", `  ${cloud}:`, `    deploy: ${deployId}`, `    preview: ${previewId}`, ""].join("\n"));
  return { cloud: CLOUDS[cloud].name, deployClientId: deploy.clientId, previewClientId: preview.clientId, partnerYaml };
}

function pipelineApp(name: string, displayName: string, permissions: readonly PipelinePermission[], redirectUri: string): azuread.Application {
  return new azuread.Application(`pipeline-${name}`, {
    displayName,
    // Multitenant: each customer's tenant gets a service principal of it when its admin consents.
    signInAudience: "AzureADMultipleOrgs",
    preventDuplicateNames: true,
    // Application permissions only (type Role): the pipeline never acts as a user.
    requiredResourceAccesses: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccesses: permissions.map((permission) => ({ id: permission.id, type: "Role" })) }],
    // The admin-consent endpoint sends the admin here, and accepts only a registered address.
    web: { redirectUris: [redirectUri] },
    notes: `The pipeline identity of nexxt-office365 (${name}). Customers consent to it once; see docs/partner-identity.md.`,
  });
}

function federate(
  app: azuread.Application,
  appName: string,
  environment: string,
  repository: string,
  audience: string,
  after?: pulumi.Resource,
): azuread.ApplicationFederatedIdentityCredential {
  return new azuread.ApplicationFederatedIdentityCredential(
    `pipeline-${appName}-${environment}`,
    {
      applicationId: app.id,
      displayName: `github-${environment}`,
      description: `GitHub Actions jobs of ${repository} in the environment ${environment}`,
      issuer: GITHUB_ISSUER,
      subject: environmentSubject(repository, environment),
      audiences: [audience],
    },
    after ? { dependsOn: [after] } : undefined,
  );
}

/**
 * An app registered in one Microsoft cloud cannot sign in to another ("accessing resources in another
 * cloud is not supported", workload-identity-federation-config-app-trust-managed-identity): one partner
 * stack per cloud, and the azuread provider must talk to that cloud.
 */
export function cloudOf(value: string | undefined, providerEnvironment: string | undefined): CloudName {
  const cloud = (value ?? "public").toLowerCase();
  if (!(CLOUD_NAMES as readonly string[]).includes(cloud)) {
    throw new UserError(`${PARTNER_NAMESPACE}:cloud '${value}' is not a Microsoft cloud this tool knows; use one of ${CLOUD_NAMES.join(", ")}.`);
  }
  const environments = CLOUDS[cloud as CloudName].azureadEnvironments;
  if (!environments.includes((providerEnvironment ?? "global").toLowerCase())) {
    throw new UserError(
      `azuread:environment '${providerEnvironment ?? "global"}' is not the cloud ${cloud}; set azuread:environment to ${environments[0]} in this partner stack, so the apps are registered in the cloud their customers are in.`,
    );
  }
  return cloud as CloudName;
}
