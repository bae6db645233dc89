import type { CloudName } from "../catalogue/clouds";
import { UserError } from "../errors";

/**
 * The partner's pipeline identities, as data: which Graph application permissions each app asks
 * every customer's admin to consent to, and which GitHub job may sign in as it. docs/partner-identity.md
 * gives the reasons and Microsoft's sources; this file is what the partner stack creates.
 */
export interface PipelinePermission {
  name: string;
  /** The app role ID in the Graph permissions reference (https://learn.microsoft.com/graph/permissions-reference). */
  id: string;
  why: string;
}

/**
 * The deploying app. Least privilege for what `pulumi up` does in a customer's tenant:
 * - create the Nexxt registration, its service principal and client secrets: Application.ReadWrite.OwnedBy
 *   is the least-privileged application permission of POST /applications, POST /servicePrincipals and
 *   addPassword (Graph API reference, "Permissions"); it manages only apps this app created or owns;
 * - grant Graph app roles to the Nexxt service principal: POST /servicePrincipals/{id}/appRoleAssignedTo
 *   needs AppRoleAssignment.ReadWrite.All *and* Application.Read.All (serviceprincipal-post-approleassignedto).
 */
export const DEPLOY_PERMISSIONS: readonly PipelinePermission[] = [
  {
    name: "Application.ReadWrite.OwnedBy",
    id: "18a4783c-866b-4cc7-a460-3d5e5662c884",
    why: "create the Nexxt registration, its service principal and secrets; change only registrations it owns",
  },
  {
    name: "AppRoleAssignment.ReadWrite.All",
    id: "06b708a9-e830-4db3-a914-8e69da51d44f",
    why: "grant the Nexxt service principal its Graph application permissions (admin consent)",
  },
  {
    name: "Application.Read.All",
    id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
    why: "find Microsoft Graph's service principal and its app roles; required beside AppRoleAssignment.ReadWrite.All",
  },
];

/** The read-only app of pull-request previews and the weekly drift check: it reads, it never writes. */
export const PREVIEW_PERMISSIONS: readonly PipelinePermission[] = [
  { name: "Application.Read.All", id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", why: "read the Nexxt registration, its grants and Graph's service principal for `pulumi preview`" },
];

/** The GitHub environments of .github/workflows/onboarding.yml, per app: the federated credentials' subjects. */
export const DEPLOY_ENVIRONMENTS = ["deploy"] as const;
export const PREVIEW_ENVIRONMENTS = ["pr-preview", "drift"] as const;

export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

/**
 * The audience a federated credential expects, per cloud, as Microsoft lists it for each Entra cloud
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity,
 * "audiences"). The job must request its GitHub token for the same audience.
 */
export const TOKEN_EXCHANGE_AUDIENCE: Readonly<Record<CloudName, string>> = {
  public: "api://AzureADTokenExchange",
  usgovernmentl4: "api://AzureADTokenExchangeUSGov",
  usgovernmentl5: "api://AzureADTokenExchangeUSGov",
  china: "api://AzureADTokenExchangeChina",
};

/** `owner/name`, as GitHub spells the repository in the token's subject. */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/**
 * The subject of a job's GitHub OIDC token when the job names an environment: `repo:<owner>/<repo>:environment:<name>`
 * (GitHub, "About security hardening with OpenID Connect", example subject claims). Entra matches it exactly,
 * no wildcards (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust).
 */
export function environmentSubject(repository: string, environment: string): string {
  if (!REPOSITORY.test(repository)) throw new UserError(`The repository '${repository}' is not owner/name as GitHub shows it (for example partner-org/nexxt-office365).`);
  return `repo:${repository}:environment:${environment}`;
}
