import { randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { EntraUser } from "../users/entraUser";
import { EmulatedDirectory, SignedInCaller, answerDirectoryRequest } from "./directoryEndpoints";
import { FaultPlan, FaultRule, delay, listenOnLoopback, readBody, sendJson } from "./faults";
import { skipTokenFor, skipTokenOffset } from "./skipToken";

export type { EmulatedDirectory } from "./directoryEndpoints";

/**
 * A Microsoft login (v1 token endpoint) and Graph emulator on 127.0.0.1: real HTTP, answers in
 * Microsoft's shapes, so the CLI is tested end to end without a tenant.
 *  - POST /{tenant}/oauth2/token: client-credentials grant, v1 response fields, AADSTS error bodies.
 *  - GET /v1.0/users: $select, $top (1..999, default 100), @odata.nextLink with an opaque $skiptoken.
 *  - GET /v1.0/users/{id}/contacts.
 *  - POST /{tenant}/oauth2/v2.0/token (client secret or client assertion, `scope`) and
 *    GET /{tenant}/v2.0/.well-known/openid-configuration: what MSAL (@azure/identity) asks for.
 *  - grant_type=password on the v1 endpoint: a stand-in `az` gets a user's token this way.
 *  - The directory endpoints preflight reads (directoryEndpoints.ts).
 * Users may be generated lazily (count + make), so 100,000 of them cost nothing until paged.
 */
export interface EmulatedSecret {
  value: string;
  expiresAt?: Date;
}

export interface EmulatedApp {
  appId: string;
  secrets: EmulatedSecret[];
  /** Application permissions admin consent granted: the token's roles claim. */
  roles: string[];
  /** Tokens issued before this many token requests carry no roles (consent still propagating). */
  rolesAfterTokenRequests?: number;
  disabled?: boolean;
  /**
   * Client assertions (federated credentials: a GitHub Actions OIDC token) this app accepts
   * instead of a secret, compared as whole strings.
   */
  federatedAssertions?: string[];
  /** Directory role template IDs assigned to the app's service principal (the token's wids claim). */
  wids?: string[];
}

/** A person who can sign in (the Azure CLI's user), with the roles the token's wids claim lists. */
export interface EmulatedSignInUser {
  id: string;
  userPrincipalName: string;
  password: string;
  /** Directory role template IDs (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
  wids?: string[];
  /** Delegated Graph scopes the token carries (the Azure CLI's preauthorized scopes). */
  scopes?: string[];
  /**
   * Leave `wids` out of the token: Microsoft documents that a claim may be absent, so preflight
   * also asks Graph (/me/transitiveMemberOf/microsoft.graph.directoryRole), which still answers.
   */
  tokenOmitsWids?: boolean;
}

export type UserSource = EntraUser[] | { count: number; make: (index: number) => EntraUser };

export interface EmulatedTenant {
  tenantId: string;
  apps: EmulatedApp[];
  users: UserSource;
  /** User IDs without an Exchange Online mailbox: their contacts answer 404. */
  mailboxless?: string[];
  /** People who can sign in with a password (the stand-in `az`). */
  signInUsers?: EmulatedSignInUser[];
  /** Registrations, service principals and app management policies, for preflight. */
  directory?: EmulatedDirectory;
}

export interface MicrosoftEmulatorOptions {
  tenants: EmulatedTenant[];
  /** Added before every answer. */
  latencyMs?: number;
  /** Values of `resource` the token endpoint accepts; defaults to the emulator's own URL and Graph's. */
  acceptedResources?: string[];
  now?: () => Date;
  /**
   * Writes @odata.nextLink after the value list instead of before it, as Graph does
   * (https://learn.microsoft.com/graph/paging); OData allows both, and clients must read both.
   */
  nextLinkAfterValue?: boolean;
  /** Port to listen on (127.0.0.1 only); 0 or undefined: any free port. */
  port?: number;
  /**
   * Serve https with this key and certificate instead of http: MSAL refuses an authority that
   * is not https (msal-common UrlString.validateAsUri, authority_uri_insecure), so the
   * @azure/identity sign-in is tested against a loopback https server whose CA the test trusts.
   */
  tls?: { key: string; cert: string };
}

export interface MicrosoftEmulator {
  url: string;
  /** Where the socket listens: always 127.0.0.1. */
  address(): AddressInfo;
  stats: { tokenRequests: number; graphRequests: number; tokenForms: URLSearchParams[]; issuedTokens: string[] };
  inject(rule: FaultRule): void;
  close(): Promise<void>;
}

interface IssuedToken extends SignedInCaller {
  tenant: EmulatedTenant;
  expiresAt: number;
}

const USER_READ_ROLES = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const CONTACT_READ_ROLES = ["Contacts.Read", "Contacts.ReadWrite"];
const DEFAULT_USER_FIELDS = ["id", "displayName", "mail", "userPrincipalName"];

export async function startMicrosoftEmulator(options: MicrosoftEmulatorOptions): Promise<MicrosoftEmulator> {
  const faults = new FaultPlan();
  const tokens = new Map<string, IssuedToken>();
  const tokenCounts = new Map<string, number>();
  const stats = { tokenRequests: 0, graphRequests: 0, tokenForms: [] as URLSearchParams[], issuedTokens: [] as string[] };
  const now = options.now ?? (() => new Date());
  let baseUrl = "";

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((err: Error) => sendJson(res, 500, { error: { code: "EmulatorError", message: err.message } }));
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const isToken = /^\/[^/]+\/oauth2\/(v2\.0\/)?token$/.test(url.pathname);
    if (isToken) stats.tokenRequests++;
    else stats.graphRequests++;
    // Latency runs from arrival, so the emulator's own work (building a page of 999 users)
    // happens inside it, as a real service's does, instead of adding to it.
    const answerAt = delay(options.latencyMs ?? 0);
    const body = req.method === "POST" ? await readBody(req) : "";
    const send = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => {
      void answerAt.then(() => send(...args));
      return res;
    }) as typeof res.end;
    if (faults.apply(req, res, url.pathname)) return;
    if (isToken && req.method === "POST") return token(url, body, res);
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (discovery && req.method === "GET") return openIdConfiguration(decodeURIComponent(discovery[1]), res);
    if (url.pathname.startsWith("/v1.0/") && req.method === "GET") return graph(req, url, res);
    sendJson(res, 404, { error: { code: "Request_ResourceNotFound", message: `Resource '${url.pathname}' does not exist.` } });
  }

  function loginError(res: http.ServerResponse, status: number, error: string, code: number, text: string): void {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = now()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z");
    sendJson(res, status, {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    });
  }

  /** The OpenID Connect metadata MSAL reads before its first token request (v2.0 shape, trimmed). */
  function openIdConfiguration(tenantId: string, res: http.ServerResponse): void {
    sendJson(res, 200, {
      token_endpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${baseUrl}/${tenantId}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${baseUrl}/${tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "tid"],
      kerberos_endpoint: `${baseUrl}/${tenantId}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    });
  }

  function token(url: URL, body: string, res: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    stats.tokenForms.push(form);
    const tenantId = url.pathname.split("/")[1];
    const v2 = url.pathname.endsWith("/v2.0/token");
    const tenant = options.tenants.find((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase());
    if (!tenant) {
      return loginError(
        res,
        400,
        "invalid_request",
        90002,
        `Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    // v2.0 names the resource in `scope` as "<resource>/.default"; v1 in `resource`.
    const scope = form.get("scope") ?? "";
    const resource = v2 ? scope.replace(/\/\.default$/, "") : (form.get("resource") ?? "");
    if (v2 && !scope.endsWith("/.default")) {
      return loginError(
        res,
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const accepted = options.acceptedResources ?? [baseUrl, `${baseUrl}/`, "https://graph.microsoft.com", "https://graph.microsoft.com/"];
    const grantType = form.get("grant_type");
    if (grantType === "password") return userToken(tenant, form, resource, accepted, v2, res);
    if (grantType !== "client_credentials") {
      return loginError(res, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    const clientId = form.get("client_id") ?? "";
    const app = tenant.apps.find((a) => a.appId.toLowerCase() === clientId.toLowerCase());
    if (!app) {
      return loginError(res, 400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.tenantId}'.`);
    }
    const assertion = form.get("client_assertion");
    if (assertion !== null) {
      if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || !(app.federatedAssertions ?? []).includes(assertion)) {
        return loginError(
          res,
          400,
          "invalid_client",
          700213,
          `No matching federated identity record found for presented assertion subject. Check your federated identity credential configuration for app '${app.appId}'.`,
        );
      }
    } else {
      const secret = form.get("client_secret");
      if (!secret) return loginError(res, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
      const known = app.secrets.find((s) => s.value === secret);
      if (!known) {
        return loginError(
          res,
          401,
          "invalid_client",
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
        );
      }
      if (known.expiresAt && known.expiresAt.getTime() <= now().getTime()) {
        return loginError(res, 401, "invalid_client", 7000222, `The provided client secret keys for app '${app.appId}' are expired.`);
      }
    }
    if (app.disabled) return loginError(res, 400, "unauthorized_client", 7000112, `Application '${app.appId}' is disabled.`);
    if (!accepted.includes(resource)) {
      return loginError(res, 400, "invalid_resource", 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant.tenantId}.`);
    }
    const count = (tokenCounts.get(app.appId) ?? 0) + 1;
    tokenCounts.set(app.appId, count);
    const roles = count > (app.rolesAfterTokenRequests ?? 0) ? [...app.roles] : [];
    const claims: Record<string, unknown> = { appid: app.appId, appidacr: assertion !== null ? "2" : "1", idtyp: "app", oid: randomUUID() };
    if (roles.length > 0) claims.roles = roles;
    if (app.wids && app.wids.length > 0) claims.wids = [...app.wids];
    issue(res, tenant, resource, claims, { roles, wids: app.wids ?? [], scopes: [], appOnly: true }, v2);
  }

  /** Resource owner password grant: only the stand-in `az` uses it, to get a user's token. */
  function userToken(tenant: EmulatedTenant, form: URLSearchParams, resource: string, accepted: string[], v2: boolean, res: http.ServerResponse): void {
    const name = (form.get("username") ?? "").toLowerCase();
    const user = (tenant.signInUsers ?? []).find((u) => u.userPrincipalName.toLowerCase() === name);
    if (!user || user.password !== form.get("password")) {
      return loginError(res, 400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");
    }
    if (!accepted.includes(resource)) {
      return loginError(res, 400, "invalid_resource", 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant.tenantId}.`);
    }
    const scopes = user.scopes ?? [];
    const claims: Record<string, unknown> = {
      appid: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      idtyp: "user",
      oid: user.id,
      upn: user.userPrincipalName,
      scp: scopes.join(" "),
    };
    if (user.wids && user.wids.length > 0 && !user.tokenOmitsWids) claims.wids = [...user.wids];
    issue(res, tenant, resource, claims, { roles: [], wids: user.wids ?? [], scopes, appOnly: false, objectId: user.id }, v2);
  }

  function issue(res: http.ServerResponse, tenant: EmulatedTenant, resource: string, claims: Record<string, unknown>, caller: SignedInCaller, v2: boolean): void {
    const issuedAt = Math.floor(now().getTime() / 1000);
    const payload: Record<string, unknown> = {
      aud: resource,
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + 3599,
      idp: `https://sts.windows.net/${tenant.tenantId}/`,
      sub: randomUUID(),
      tid: tenant.tenantId,
      ver: "1.0",
      ...claims,
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const accessToken = `${encode({ typ: "JWT", alg: "RS256", kid: "emulator" })}.${encode(payload)}.${Buffer.from(randomUUID()).toString("base64url")}`;
    stats.issuedTokens.push(accessToken);
    tokens.set(accessToken, { ...caller, objectId: caller.objectId ?? (typeof claims.oid === "string" ? claims.oid : undefined), tenant, expiresAt: (issuedAt + 3599) * 1000 });
    if (v2) {
      // v2.0 answers expires_in as a number and has no resource/expires_on.
      return sendJson(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    }
    sendJson(res, 200, {
      token_type: "Bearer",
      expires_in: "3599",
      ext_expires_in: "3599",
      expires_on: String(issuedAt + 3599),
      not_before: String(issuedAt),
      resource,
      access_token: accessToken,
    });
  }

  function graphError(res: http.ServerResponse, status: number, code: string, message: string): void {
    sendJson(res, status, { error: { code, message, innerError: { date: now().toISOString().slice(0, 19), "request-id": randomUUID(), "client-request-id": randomUUID() } } });
  }

  function graph(req: http.IncomingMessage, url: URL, res: http.ServerResponse): void {
    const header = req.headers.authorization ?? "";
    const issued = header.startsWith("Bearer ") ? tokens.get(header.slice(7)) : undefined;
    if (!issued) return graphError(res, 401, "InvalidAuthenticationToken", header ? "Access token validation failure. Invalid audience." : "Access token is empty.");
    if (issued.expiresAt <= now().getTime()) return graphError(res, 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
    const has = (allowed: string[]) => issued.roles.some((role) => allowed.includes(role));
    if (url.pathname === "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole") {
      // Only a user has a /me; an app-only token is refused as Graph refuses it.
      const user = issued.appOnly ? undefined : (issued.tenant.signInUsers ?? []).find((u) => u.id === issued.objectId);
      if (!user) return graphError(res, 400, "BadRequest", "/me request is only valid with delegated authentication flow.");
      const value = (user.wids ?? []).map((roleTemplateId) => ({ "@odata.type": "#microsoft.graph.directoryRole", id: `role-${roleTemplateId}`, roleTemplateId }));
      return sendJson(res, 200, { "@odata.context": `${baseUrl}/v1.0/$metadata#directoryObjects(microsoft.graph.directoryRole)`, value });
    }
    if (answerDirectoryRequest({ url, res, caller: issued, directory: issued.tenant.directory, baseUrl, graphError })) return;

    if (url.pathname === "/v1.0/users") {
      if (!has(USER_READ_ROLES)) return graphError(res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
      return listUsers(issued.tenant, url, res);
    }
    const contacts = /^\/v1\.0\/users\/([^/]+)\/contacts$/.exec(url.pathname);
    if (contacts) {
      if (!has(CONTACT_READ_ROLES)) return graphError(res, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
      const userId = decodeURIComponent(contacts[1]);
      if (issued.tenant.mailboxless?.includes(userId)) {
        return graphError(res, 404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
      }
      return sendJson(res, 200, { "@odata.context": `${baseUrl}/v1.0/$metadata#users('${userId}')/contacts(id)`, value: [{ id: `contact-of-${userId}` }] });
    }
    graphError(res, 400, "BadRequest", `Resource not found for the segment '${url.pathname.split("/").pop()}'.`);
  }

  function listUsers(tenant: EmulatedTenant, url: URL, res: http.ServerResponse): void {
    const topText = url.searchParams.get("$top");
    const top = topText === null ? 100 : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      return graphError(res, 400, "Request_UnsupportedQuery", `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`);
    }
    const select = url.searchParams.get("$select");
    const fields = select
      ? [
          "id",
          ...select
            .split(",")
            .map((f) => f.trim())
            .filter((f) => f !== "id"),
        ]
      : DEFAULT_USER_FIELDS;
    const offset = skipTokenOffset(url);
    const total = Array.isArray(tenant.users) ? tenant.users.length : tenant.users.count;
    const userAt = (i: number) => (Array.isArray(tenant.users) ? tenant.users[i] : tenant.users.make(i));
    const value: Record<string, unknown>[] = [];
    for (let i = offset; i < Math.min(total, offset + top); i++) {
      const user = userAt(i) as unknown as Record<string, unknown>;
      const projected: Record<string, unknown> = {};
      for (const field of fields) projected[field] = user[field] ?? null;
      value.push(projected);
    }
    let nextLink: string | undefined;
    if (offset + top < total) {
      const next = new URL(`${baseUrl}/v1.0/users`);
      if (select) next.searchParams.set("$select", select);
      next.searchParams.set("$top", String(top));
      next.searchParams.set("$skiptoken", skipTokenFor(offset + top));
      nextLink = next.toString();
    }
    // Key order is what JSON.stringify writes: context, nextLink, value, as Graph answers.
    const page: Record<string, unknown> = { "@odata.context": `${baseUrl}/v1.0/$metadata#users(${fields.join(",")})` };
    if (nextLink !== undefined && !options.nextLinkAfterValue) page["@odata.nextLink"] = nextLink;
    page.value = value;
    if (nextLink !== undefined && options.nextLinkAfterValue) page["@odata.nextLink"] = nextLink;
    sendJson(res, 200, page);
  }

  await listenOnLoopback(server as http.Server, options.port ?? 0);
  baseUrl = `${options.tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    address: () => server.address() as AddressInfo,
    stats,
    inject: (rule) => faults.add(rule),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
