import type { GraphError } from "./graphError";
import type { LoginError } from "./loginError";

/** A failure in plain words: what most likely happened, and what the admin does about it. */
export interface Explanation {
  cause: string;
  fix: string;
}

/**
 * The AADSTS codes an admin meets when linking a tenant to Nexxt with a client secret. Meanings
 * are Microsoft's (https://learn.microsoft.com/entra/identity-platform/reference-error-codes, and
 * for 7000229 https://learn.microsoft.com/microsoftteams/platform/teams-sdk/teams/app-authentication/troubleshooting);
 * the fixes are written for this tool's users. Unknown codes pass through with Microsoft's text.
 */
const AADSTS: ReadonlyMap<number, Explanation> = new Map([
  [
    7000215,
    {
      cause: "the client secret is wrong (Microsoft: InvalidClientSecret); often the secret's ID was copied instead of its value",
      fix: "create a new client secret (App registrations > Certificates & secrets, or `pulumi up` after a secret rotation) and give Nexxt its Value, not its Secret ID",
    },
  ],
  [
    7000222,
    {
      cause: "the client secret has expired (Microsoft: InvalidClientSecretExpiredKeysProvided)",
      fix: "create a new client secret (rotate it with `pulumi up`) and send the new value to Nexxt",
    },
  ],
  [
    700016,
    {
      cause:
        "no application with this client ID exists in this tenant (Microsoft: UnauthorizedClient_DoesNotMatchRequest): a wrong client ID, a wrong tenant, or an app that was never consented in this tenant",
      fix: "check the application (client) ID and the tenant ID against App registrations > Overview, and grant admin consent in the customer's tenant",
    },
  ],
  [
    7000229,
    {
      cause: "the application has no service principal (enterprise application) in this tenant, so it was never consented there",
      fix: "grant admin consent for the app in this tenant (Enterprise applications, or run `pulumi up` for this tenant's stack)",
    },
  ],
  [
    90002,
    {
      cause: "the tenant was not found (Microsoft: InvalidTenantName): a mistyped tenant ID, or a tenant of another national cloud",
      fix: "check the tenant ID (Microsoft Entra admin center > Overview) and pick the right cloud with --cloud",
    },
  ],
  [
    90038,
    {
      cause: "the tenant belongs to another national cloud (Microsoft: NationalCloudTenantRedirection)",
      fix: "give the tenant's cloud with --cloud (usgovernmentl4, usgovernmentl5 or china)",
    },
  ],
  [
    50034,
    {
      cause: "the directory has no such account (Microsoft: UserAccountNotFound); for an app this usually means the request went to the wrong tenant",
      fix: "check the tenant ID in the token endpoint and that the app was consented in that tenant",
    },
  ],
  [
    500011,
    {
      cause:
        "the resource (Microsoft Graph) was not found in the tenant (Microsoft: InvalidResourceServicePrincipalNotFound): the request went to the wrong tenant or the Graph URL does not belong to this cloud",
      fix: "check the tenant ID, and that --cloud (or --graph-url) matches the tenant's cloud; the resource must be the Graph root such as https://graph.microsoft.com",
    },
  ],
  [
    7000218,
    {
      cause: "the request carried no client secret (Microsoft: the body must contain 'client_assertion' or 'client_secret')",
      fix: "set the environment variable named by --client-secret-env, or the apiKey of the --config file, to the secret value",
    },
  ],
  [
    700027,
    {
      cause: "the client assertion (certificate credential) failed signature validation",
      fix: "Nexxt uses a client secret, not a certificate: give the secret value",
    },
  ],
  [
    7000112,
    {
      cause: "the application is disabled in this tenant (Microsoft: UnauthorizedClientApplicationDisabled)",
      fix: "enable sign-in for the enterprise application (Enterprise applications > Properties > Enabled for users to sign-in)",
    },
  ],
  [
    53003,
    {
      cause: "a Conditional Access policy blocked the token (Microsoft: BlockedByConditionalAccess)",
      fix: "exclude this application from the Conditional Access policy for workload identities, or allow the Nexxt servers' addresses",
    },
  ],
  [
    90033,
    {
      cause: "Microsoft's directory service was unavailable (Microsoft: MsodsServiceUnavailable), a passing fault",
      fix: "try again in a few minutes, for example with --wait 300",
    },
  ],
]);

export function explainLoginError(error: LoginError): Explanation {
  for (const code of error.codes) {
    const known = AADSTS.get(code);
    if (known) return known;
  }
  return {
    cause: `the token endpoint refused the request (${error.error}): ${error.description || "no description"}`,
    fix: `look the code up at https://login.microsoftonline.com/error${error.codes.length > 0 ? `?code=${error.codes[0]}` : ""}`,
  };
}

export type GraphProbe = "users" | "contacts";

/**
 * Graph refusals: 401 means the token itself is not accepted; 403 Authorization_RequestDenied
 * (directory) or ErrorAccessDenied (mailbox) means the permission is not granted; 404
 * MailboxNotEnabledForRESTAPI means the user has no Exchange Online mailbox
 * (https://learn.microsoft.com/graph/errors).
 */
export function explainGraphError(status: number | undefined, error: GraphError | undefined, probe: GraphProbe): Explanation {
  const permission = probe === "users" ? "User.Read.All" : "Contacts.Read";
  const code = error?.code ?? "";
  if (status === 401) {
    return {
      cause: `Graph did not accept the token (${code || "HTTP 401"}): it was issued for another resource or cloud, or has expired`,
      fix: "make sure --cloud (or --graph-url) matches the tenant's cloud, then run verify again",
    };
  }
  if (status === 403 && (code === "Authorization_RequestDenied" || code === "ErrorAccessDenied" || code === "AccessDenied")) {
    return {
      cause: `Graph denied access (${code}): admin consent for ${permission} is missing or has not reached Graph yet`,
      fix: `grant admin consent for the Microsoft Graph application permission ${permission} (API permissions > Grant admin consent, or \`pulumi up\`), then run verify with --wait 600`,
    };
  }
  if (status === 403) {
    return {
      cause: `Graph refused the request (${code || "HTTP 403"}): ${error?.message || "access denied"}`,
      fix: `check the ${permission} grant and any Conditional Access or application access policy that limits this app`,
    };
  }
  if (status === 404 && probe === "contacts") {
    return {
      cause: `the user has no mailbox Graph can read (${code || "HTTP 404"})`,
      fix: "nothing to fix for this user; the contacts check needs a user with an Exchange Online mailbox",
    };
  }
  return {
    cause: `Graph answered ${status === undefined ? "nothing" : `HTTP ${status}`}${code ? ` (${code})` : ""}${error?.message ? `: ${error.message}` : ""}`,
    fix: "check --graph-url and the service health in the Microsoft 365 admin center, then try again",
  };
}
