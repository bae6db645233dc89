import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { EntraUser } from "../users/entraUser";
import { FaultPlan, FaultRule, delay, listenOnLoopback, readBody, sendJson } from "./faults";

/**
 * A Microsoft login (v1 token endpoint) and Graph emulator on 127.0.0.1: real HTTP, answers in
 * Microsoft's shapes, so the CLI is tested end to end without a tenant.
 *  - POST /{tenant}/oauth2/token: client-credentials grant, v1 response fields, AADSTS error bodies.
 *  - GET /v1.0/users: $select, $top (1..999, default 100), @odata.nextLink with an opaque $skiptoken.
 *  - GET /v1.0/users/{id}/contacts.
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
}

export type UserSource = EntraUser[] | { count: number; make: (index: number) => EntraUser };

export interface EmulatedTenant {
  tenantId: string;
  apps: EmulatedApp[];
  users: UserSource;
  /** User IDs without an Exchange Online mailbox: their contacts answer 404. */
  mailboxless?: string[];
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
}

export interface MicrosoftEmulator {
  url: string;
  /** Where the socket listens: always 127.0.0.1. */
  address(): AddressInfo;
  stats: { tokenRequests: number; graphRequests: number; tokenForms: URLSearchParams[]; issuedTokens: string[] };
  inject(rule: FaultRule): void;
  close(): Promise<void>;
}

interface IssuedToken {
  tenant: EmulatedTenant;
  roles: string[];
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

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => sendJson(res, 500, { error: { code: "EmulatorError", message: err.message } }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const isToken = /^\/[^/]+\/oauth2\/token$/.test(url.pathname);
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

  function token(url: URL, body: string, res: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    stats.tokenForms.push(form);
    const tenantId = url.pathname.split("/")[1];
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
    if (form.get("grant_type") !== "client_credentials") {
      return loginError(res, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    const clientId = form.get("client_id") ?? "";
    const app = tenant.apps.find((a) => a.appId.toLowerCase() === clientId.toLowerCase());
    if (!app) {
      return loginError(res, 400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.tenantId}'.`);
    }
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
    if (app.disabled) return loginError(res, 400, "unauthorized_client", 7000112, `Application '${app.appId}' is disabled.`);
    const resource = form.get("resource") ?? "";
    const accepted = options.acceptedResources ?? [baseUrl, `${baseUrl}/`, "https://graph.microsoft.com", "https://graph.microsoft.com/"];
    if (!accepted.includes(resource)) {
      return loginError(res, 400, "invalid_resource", 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant.tenantId}.`);
    }
    const count = (tokenCounts.get(app.appId) ?? 0) + 1;
    tokenCounts.set(app.appId, count);
    const roles = count > (app.rolesAfterTokenRequests ?? 0) ? [...app.roles] : [];
    const issuedAt = Math.floor(now().getTime() / 1000);
    const payload: Record<string, unknown> = {
      aud: resource,
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + 3599,
      appid: app.appId,
      appidacr: "1",
      idp: `https://sts.windows.net/${tenant.tenantId}/`,
      oid: randomUUID(),
      sub: randomUUID(),
      tid: tenant.tenantId,
      ver: "1.0",
    };
    if (roles.length > 0) payload.roles = roles;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const accessToken = `${encode({ typ: "JWT", alg: "RS256", kid: "emulator" })}.${encode(payload)}.${Buffer.from(randomUUID()).toString("base64url")}`;
    stats.issuedTokens.push(accessToken);
    tokens.set(accessToken, { tenant, roles, expiresAt: (issuedAt + 3599) * 1000 });
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
    const skipToken = url.searchParams.get("$skiptoken");
    const offset = skipToken
      ? Number(
          Buffer.from(skipToken, "base64url")
            .toString()
            .replace(/^offset:/, ""),
        )
      : 0;
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
      next.searchParams.set("$skiptoken", Buffer.from(`offset:${offset + top}`).toString("base64url"));
      nextLink = next.toString();
    }
    // Key order is what JSON.stringify writes: context, nextLink, value, as Graph answers.
    const page: Record<string, unknown> = { "@odata.context": `${baseUrl}/v1.0/$metadata#users(${fields.join(",")})` };
    if (nextLink !== undefined && !options.nextLinkAfterValue) page["@odata.nextLink"] = nextLink;
    page.value = value;
    if (nextLink !== undefined && options.nextLinkAfterValue) page["@odata.nextLink"] = nextLink;
    sendJson(res, 200, page);
  }

  await listenOnLoopback(server, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
