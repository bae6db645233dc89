import { HttpError } from "../http/httpError";
import { HttpClientOptions, RESPONSE_LIMITS, sendWithRetry } from "../http/sendWithRetry";
import { redactAndTruncate, registerSecret } from "../util/redact";
import { BearerToken } from "../util/bearerToken";
import { AccessTokenClaims, decodeAccessTokenClaims } from "./jwtClaims";
import { LoginError, parseLoginError } from "./loginError";

export interface ClientCredentialsRequest {
  /** The v1 endpoint, <login host>/<tenant>/oauth2/token, as Nexxt is given it. */
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** v1 asks for a resource (the Graph root), not a v2 scope. */
  resource: string;
}

export interface IssuedToken {
  token: BearerToken;
  tokenType: string;
  /** Seconds; v1 sends it as a string. */
  expiresIn: number;
  resource: string | undefined;
  claims: AccessTokenClaims;
}

/** The token endpoint said no (an AADSTS error) or could not be reached. Never holds the secret. */
export class TokenRequestError extends Error {
  constructor(
    message: string,
    /** Set when the endpoint answered with an AADSTS error body. */
    readonly loginError: LoginError | undefined,
    readonly status: number | undefined,
    readonly networkCode: string | undefined,
  ) {
    super(message);
    this.name = "TokenRequestError";
  }

  /**
   * True when nothing (or only 5xx/429) came back after the retries: the service, not the input,
   * failed. A throttling 429 counts even when it carries an AADSTS body (it usually does).
   */
  get unreachable(): boolean {
    if (this.status === 429 || (this.status !== undefined && this.status >= 500)) return true;
    return this.loginError === undefined && this.status === undefined;
  }
}

/**
 * The v1 client-credentials grant, exactly as Nexxt sends it: a form-encoded POST of grant_type,
 * client_id, client_secret and resource
 * (https://learn.microsoft.com/previous-versions/azure/active-directory/azuread-dev/v1-oauth2-client-creds-grant-flow).
 * URLSearchParams encodes the secret's `~`, `+`, `&` and `=` so it arrives byte for byte.
 */
export async function requestClientCredentialsToken(req: ClientCredentialsRequest, http: HttpClientOptions): Promise<IssuedToken> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: req.clientId,
    client_secret: req.clientSecret,
    resource: req.resource,
  });
  // Known to the redactor before it goes out: a login page may echo the form it was sent.
  registerSecret(req.clientSecret);
  let data: Record<string, unknown>;
  try {
    const response = await sendWithRetry<unknown>(
      {
        method: "POST",
        url: req.tokenEndpoint,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        data: form.toString(),
        maxResponseBytes: RESPONSE_LIMITS.token,
      },
      http,
    );
    if (typeof response.data !== "object" || response.data === null) {
      throw new TokenRequestError("the token endpoint answered 2xx without a JSON body; is the URL a Microsoft token endpoint?", undefined, response.status, undefined);
    }
    data = response.data as Record<string, unknown>;
  } catch (err) {
    if (err instanceof HttpError) {
      const loginError = parseLoginError(err.body);
      // Redacted (again) before it is cut to one line's length: the description is the server's text.
      const message = loginError ? redactAndTruncate(`${loginError.description || loginError.error}`, 300) : err.message;
      throw new TokenRequestError(message, loginError, err.status, err.code);
    }
    throw err;
  }
  if (typeof data.access_token !== "string" || data.access_token === "") {
    throw new TokenRequestError("the token endpoint's answer has no access_token", undefined, 200, undefined);
  }
  registerSecret(data.access_token);
  const token = new BearerToken(data.access_token);
  return {
    token,
    tokenType: typeof data.token_type === "string" ? data.token_type : "Bearer",
    expiresIn: Number(data.expires_in ?? 0),
    resource: typeof data.resource === "string" ? data.resource : undefined,
    claims: decodeAccessTokenClaims(token.reveal()),
  };
}
