/**
 * Microsoft's national cloud deployments: the login host (token endpoint) and Graph root of each.
 * Source: https://learn.microsoft.com/graph/deployments ("App registration and token service root
 * endpoints" and "Microsoft Graph and Graph Explorer service root endpoints").
 */
export const CLOUD_NAMES = ["public", "usgovernmentl4", "usgovernmentl5", "china"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface Cloud {
  name: CloudName;
  description: string;
  /** Where tokens are issued: <loginHost>/<tenant>/oauth2/token (v1). */
  loginHost: string;
  /** Graph's service root; also the v1 `resource` value for a Graph token. */
  graphRoot: string;
  /**
   * The values of the azuread provider's `environment` setting that mean this cloud
   * (https://www.pulumi.com/registry/packages/azuread/installation-configuration/: "global",
   * "usgovernmentl4", "usgovernmentl5", "china"; the Terraform provider underneath also accepts
   * the aliases "public", "usgovernment" and "dod").
   */
  azureadEnvironments: readonly string[];
}

export const CLOUDS: Readonly<Record<CloudName, Cloud>> = {
  public: {
    name: "public",
    description: "Microsoft Entra ID global service",
    loginHost: "https://login.microsoftonline.com",
    graphRoot: "https://graph.microsoft.com",
    azureadEnvironments: ["global", "public"],
  },
  usgovernmentl4: {
    name: "usgovernmentl4",
    description: "Microsoft Cloud for US Government L4 (GCC High)",
    loginHost: "https://login.microsoftonline.us",
    graphRoot: "https://graph.microsoft.us",
    azureadEnvironments: ["usgovernmentl4", "usgovernment"],
  },
  usgovernmentl5: {
    name: "usgovernmentl5",
    description: "Microsoft Cloud for US Government L5 (DoD)",
    loginHost: "https://login.microsoftonline.us",
    graphRoot: "https://dod-graph.microsoft.us",
    azureadEnvironments: ["usgovernmentl5", "dod"],
  },
  china: {
    name: "china",
    description: "Microsoft Azure and Microsoft 365 operated by 21Vianet in China",
    loginHost: "https://login.chinacloudapi.cn",
    graphRoot: "https://microsoftgraph.chinacloudapi.cn",
    azureadEnvironments: ["china"],
  },
};

/**
 * The v1 token endpoint Nexxt is given (the guide's "OAUTH 2.0 TOKEN-EINDPUNT"), not the
 * v2.0 one: Nexxt sends `resource=`, which only v1 understands.
 */
export function v1TokenEndpoint(loginHost: string, tenantId: string): string {
  return `${loginHost.replace(/\/+$/, "")}/${tenantId}/oauth2/token`;
}

/** Microsoft Graph's application (client) ID, the same in every tenant and every cloud. */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
