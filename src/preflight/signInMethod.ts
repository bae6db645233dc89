import { UserError } from "../errors";
import { GUID_EXAMPLE, isGuid } from "../identifiers";

/**
 * Which sign-in `pulumi up`'s azuread provider will use, from the same ARM_* variables and in
 * the same order (hashicorp/terraform-provider-azuread internal/provider/provider.go for the
 * names; vendor/github.com/hashicorp/go-azure-sdk/sdk/auth/auth.go NewAuthorizerFromCredentials
 * for the order): client certificate, client secret, an OIDC token (ARM_USE_OIDC), GitHub's
 * OIDC token request, managed identity, then the Azure CLI login (ARM_USE_CLI, on by default).
 * Pure: the environment comes in, a description goes out; nothing secret is kept but in `secret`.
 */
export type SignInMethod =
  | { kind: "client-secret"; tenantId: string; clientId: string; secret: SecretSource }
  | { kind: "oidc-token"; tenantId: string; clientId: string; token: SecretSource }
  | { kind: "github-oidc"; tenantId: string; clientId: string; requestUrl: string; requestToken: string }
  | { kind: "azure-cli"; tenantId: string | undefined };

/** A secret given in a variable, or in a file a variable names (read when signing in). */
export type SecretSource = { from: "env"; name: string; value: string } | { from: "file"; name: string; path: string };

/** Go's strconv.ParseBool, which the provider's boolean variables go through. */
function parseBool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  throw new UserError(`${name} '${value}' is not a boolean; set it to true or false (the azuread provider reads it the same way).`);
}

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

export function chooseSignInMethod(env: NodeJS.ProcessEnv): SignInMethod {
  const tenantId = env.ARM_TENANT_ID?.trim() || undefined;
  const clientId = env.ARM_CLIENT_ID?.trim() || undefined;
  if (tenantId !== undefined && !isGuid(tenantId)) {
    throw new UserError(
      `ARM_TENANT_ID '${tenantId}' is not a GUID; set it to the customer's Directory (tenant) ID, e.g. ${GUID_EXAMPLE}, or unset it to use the Azure CLI's tenant.`,
    );
  }
  if (clientId !== undefined && !isGuid(clientId)) {
    throw new UserError(`ARM_CLIENT_ID '${clientId}' is not a GUID; set it to the Application (client) ID of the service principal pulumi up signs in as, e.g. ${GUID_EXAMPLE}.`);
  }
  const both = tenantId !== undefined && clientId !== undefined;
  if (both && (nonEmpty(env.ARM_CLIENT_CERTIFICATE) || nonEmpty(env.ARM_CLIENT_CERTIFICATE_PATH))) {
    throw new UserError(
      "ARM_CLIENT_CERTIFICATE(_PATH) is set: pulumi up will sign in with a client certificate, which preflight does not support yet; run preflight with ARM_CLIENT_SECRET or an OIDC token of the same app, or with `az login` as an administrator.",
    );
  }
  if (both && nonEmpty(env.ARM_CLIENT_SECRET)) {
    return { kind: "client-secret", tenantId, clientId, secret: { from: "env", name: "ARM_CLIENT_SECRET", value: env.ARM_CLIENT_SECRET } };
  }
  if (both && nonEmpty(env.ARM_CLIENT_SECRET_FILE_PATH)) {
    return { kind: "client-secret", tenantId, clientId, secret: { from: "file", name: "ARM_CLIENT_SECRET_FILE_PATH", path: env.ARM_CLIENT_SECRET_FILE_PATH } };
  }
  if (both && parseBool("ARM_USE_OIDC", env.ARM_USE_OIDC, false)) {
    if (nonEmpty(env.ARM_OIDC_TOKEN)) return { kind: "oidc-token", tenantId, clientId, token: { from: "env", name: "ARM_OIDC_TOKEN", value: env.ARM_OIDC_TOKEN } };
    if (nonEmpty(env.ARM_OIDC_TOKEN_FILE_PATH)) {
      return { kind: "oidc-token", tenantId, clientId, token: { from: "file", name: "ARM_OIDC_TOKEN_FILE_PATH", path: env.ARM_OIDC_TOKEN_FILE_PATH } };
    }
    // The provider's names, each with GitHub's own variable as the fallback.
    const requestUrl = [env.ARM_OIDC_REQUEST_URL, env.ACTIONS_ID_TOKEN_REQUEST_URL].find(nonEmpty);
    const requestToken = [env.ARM_OIDC_REQUEST_TOKEN, env.ACTIONS_ID_TOKEN_REQUEST_TOKEN].find(nonEmpty);
    if (requestUrl !== undefined && requestToken !== undefined) return { kind: "github-oidc", tenantId, clientId, requestUrl, requestToken };
    throw new UserError(
      "ARM_USE_OIDC is true but there is no OIDC token: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or run in GitHub Actions with `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN).",
    );
  }
  if (parseBool("ARM_USE_MSI", env.ARM_USE_MSI, false)) {
    throw new UserError(
      "ARM_USE_MSI is true: pulumi up will sign in with a managed identity, which preflight does not support; run preflight where `az login` or ARM_CLIENT_SECRET gives the same identity.",
    );
  }
  if (!parseBool("ARM_USE_CLI", env.ARM_USE_CLI, true)) {
    throw new UserError(
      "No sign-in for pulumi up: ARM_USE_CLI is false and neither ARM_CLIENT_SECRET nor ARM_USE_OIDC is set with ARM_TENANT_ID and ARM_CLIENT_ID; set one of them as the pipeline does.",
    );
  }
  return { kind: "azure-cli", tenantId };
}

/** How the method is named in output: never a secret, only where it comes from. */
export function describeSignIn(method: SignInMethod): string {
  switch (method.kind) {
    case "client-secret":
      return `service principal ${method.clientId} with the client secret in ${method.secret.name}`;
    case "oidc-token":
      return `service principal ${method.clientId} with the OIDC token in ${method.token.name}`;
    case "github-oidc":
      return `service principal ${method.clientId} with GitHub Actions' OIDC token`;
    case "azure-cli":
      return `the Azure CLI login${method.tenantId ? ` (tenant ${method.tenantId} from ARM_TENANT_ID)` : ""}`;
  }
}
