import * as path from "node:path";
import type { TokenCredential } from "@azure/identity";
import { AccessTokenClaims, decodeAccessTokenClaims } from "../graph/jwtClaims";
import { HttpClientOptions, sendWithRetry } from "../http/sendWithRetry";
import { HttpError } from "../http/httpError";
import { isLoopbackHost, requireSecureUrl } from "../http/urlPolicy";
import { BearerToken } from "../util/bearerToken";
import { readBoundedFile } from "../util/readBoundedFile";
import { redact, registerSecret } from "../util/redact";
import type { SecretSource, SignInMethod } from "./signInMethod";

export interface SignedIn {
  token: BearerToken;
  claims: AccessTokenClaims;
}

/** The sign-in failed; the message is Microsoft's (AADSTS…) or the Azure CLI's, redacted. */
export class SignInFailed extends Error {
  constructor(
    message: string,
    /** AADSTS codes of a refusal by Microsoft Entra. */
    readonly codes: number[],
    /** The Azure CLI is missing or not logged in (nothing was asked of Microsoft). */
    readonly unavailable: boolean,
  ) {
    super(message);
    this.name = "SignInFailed";
  }
}

export interface SignInTarget {
  /** The cloud's login host (or --authority-host), https. */
  loginHost: string;
  /** The Graph root; the token is asked for "<graphRoot>/.default". */
  graphRoot: string;
  cwd: string;
  http: HttpClientOptions;
}

/** The audience GitHub's OIDC token must carry for Microsoft Entra workload identity federation. */
const ENTRA_FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

/**
 * Signs in as `pulumi up` will, with @azure/identity (a maintained MSAL-based library rather than
 * hand-written token requests), and returns a Graph token and its claims. The token stays inside
 * a BearerToken; nothing here prints it.
 *
 * The authority is always given explicitly, so AZURE_AUTHORITY_HOST cannot move it behind the
 * user's back. Instance discovery (MSAL asking login.microsoftonline.com whether the authority is
 * a Microsoft one) is switched off only for a loopback authority, a test server that Microsoft's
 * discovery cannot know; every real host keeps it (@azure/identity msal/nodeFlows/msalClient.js
 * passes the flag to MSAL as knownAuthorities). An http authority is refused twice over:
 * @azure/identity client/identityClient.js ("The authorityHost address must use the 'https'
 * protocol") and msal-common url/UrlString validateAsUri (authority_uri_insecure); so the
 * loopback test server speaks https, and nothing here loosens TLS.
 */
export async function signIn(method: SignInMethod, target: SignInTarget): Promise<SignedIn> {
  const identity = await import("@azure/identity");
  const authorityHost = target.loginHost;
  const options = {
    authorityHost,
    disableInstanceDiscovery: isLoopbackHost(new URL(authorityHost).hostname),
    retryOptions: { maxRetries: target.http.policy?.retries ?? 3 },
  };
  let credential: TokenCredential;
  switch (method.kind) {
    case "client-secret":
      credential = new identity.ClientSecretCredential(method.tenantId, method.clientId, secretOf(method.secret, target.cwd), options);
      break;
    case "oidc-token": {
      const assertion = secretOf(method.token, target.cwd);
      credential = new identity.ClientAssertionCredential(method.tenantId, method.clientId, async () => assertion, options);
      break;
    }
    case "github-oidc": {
      // MSAL may ask for the assertion more than once in one sign-in; GitHub is asked once.
      let asked: Promise<string> | undefined;
      credential = new identity.ClientAssertionCredential(
        method.tenantId,
        method.clientId,
        () => (asked ??= githubIdToken(method.requestUrl, method.requestToken, target.http)),
        options,
      );
      break;
    }
    case "azure-cli":
      credential = new identity.AzureCliCredential({ tenantId: method.tenantId, processTimeoutInMs: target.http.timeoutMs });
      break;
  }
  const scope = `${target.graphRoot.replace(/\/+$/, "")}/.default`;
  let token: string;
  try {
    const answer = await credential.getToken(scope, { abortSignal: AbortSignal.timeout(target.http.timeoutMs ?? 30_000) });
    if (answer === null) throw new SignInFailed("the sign-in returned no token", [], false);
    token = answer.token;
  } catch (err) {
    throw toSignInFailed(err);
  }
  registerSecret(token);
  return { token: new BearerToken(token), claims: decodeAccessTokenClaims(token) };
}

function secretOf(source: SecretSource, cwd: string): string {
  const value =
    source.from === "env"
      ? source.value
      : readBoundedFile(path.resolve(cwd, source.path), {
          what: source.name,
          maxBytes: 64 * 1024,
          allowSymlink: true,
          shownAs: source.path,
          hint: `set ${source.name} to the file that holds it, or unset it`,
        }).trim();
  registerSecret(value);
  return value;
}

/**
 * GitHub Actions' OIDC token for Microsoft Entra, asked for as the provider does: the request
 * URL with `audience=api://AzureADTokenExchange`, the request token as a bearer token
 * (https://docs.github.com/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect).
 */
async function githubIdToken(requestUrl: string, requestToken: string, http: HttpClientOptions): Promise<string> {
  registerSecret(requestToken);
  const url = requireSecureUrl(requestUrl, "ACTIONS_ID_TOKEN_REQUEST_URL", "https://pipelines.actions.githubusercontent.com/...");
  url.searchParams.set("audience", ENTRA_FEDERATION_AUDIENCE);
  try {
    const answer = await sendWithRetry<{ value?: unknown }>(
      { method: "GET", url: url.toString(), headers: { Authorization: `Bearer ${requestToken}`, Accept: "application/json" } },
      http,
    );
    if (typeof answer.data?.value !== "string" || answer.data.value === "") throw new SignInFailed("GitHub's OIDC token request answered without a token (value)", [], false);
    registerSecret(answer.data.value);
    return answer.data.value;
  } catch (err) {
    if (err instanceof HttpError) throw new SignInFailed(`GitHub's OIDC token request failed: ${redact(err.message)}`, [], false);
    throw err;
  }
}

function toSignInFailed(err: unknown): SignInFailed {
  if (err instanceof SignInFailed) return err;
  const error = err as { name?: string; message?: string; errorResponse?: { errorCodes?: number[]; errorDescription?: string } };
  const message = redact(String(error?.message ?? err));
  const listed = error?.errorResponse?.errorCodes;
  const codes = Array.isArray(listed) && listed.length > 0 ? listed : [...message.matchAll(/AADSTS(\d+)/g)].map((match) => Number(match[1]));
  return new SignInFailed(firstLines(message), [...new Set(codes)], error?.name === "CredentialUnavailableError");
}

/** Microsoft's description without the trace lines and the SDK's troubleshooting link. */
function firstLines(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^(Trace ID|Correlation ID|Timestamp):/.test(line) && !/aka\.ms|troubleshoot/i.test(line))
    .join(" ")
    .slice(0, 600);
}
