import type * as http from "node:http";
import { HostileRequest, HostileServer, fakeAccessToken, json, startHostile } from "./hostileServer";

export const TENANT = "11111111-2222-3333-4444-555555555555";
export const APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
/** Has every character a form body must encode, and is obviously fake. */
export const CANARY_SECRET = "FAKE~canary+secret&x=1%2F y_not-real-0123";
export const CANARY_NEXXT_TOKEN = "nexxt-canary-token-9f8e7d6c5b4a3210";

type Route = (req: HostileRequest, res: http.ServerResponse, server: HostileServer) => void;

export interface FakeMicrosoft extends HostileServer {
  /** Every access token the token endpoint issued. */
  issued: string[];
}

/**
 * One server playing login and Graph, each replaceable: by default the token endpoint issues a
 * token with both roles, and Graph answers what `graph` says.
 */
export async function startFakeMicrosoft(graph: Route, token?: Route): Promise<FakeMicrosoft> {
  const issued: string[] = [];
  const server = (await startHostile((req, res, self) => {
    if (/\/oauth2\/token$/.test(req.url.split("?")[0])) {
      if (token) return token(req, res, self);
      const accessToken = fakeAccessToken({ tid: TENANT, appid: APP, roles: ["User.Read.All", "Contacts.Read"] });
      issued.push(accessToken);
      return json(res, 200, { token_type: "Bearer", expires_in: "3599", access_token: accessToken, resource: self.origin });
    }
    graph(req, res, self);
  })) as FakeMicrosoft;
  server.issued = issued;
  return server;
}

/** CLI flags that point verify/map-users at the fake, with fast retries. */
export function fakeFlags(server: HostileServer, extra: string[] = []): string[] {
  return [
    "--tenant-id",
    TENANT,
    "--client-id",
    APP,
    "--authority-host",
    server.origin,
    "--graph-url",
    server.origin,
    "--retry-base-ms",
    "1",
    "--retries",
    "1",
    "--timeout-ms",
    "3000",
    ...extra,
  ];
}

/** Every form a secret can leak in: raw, form- and percent-encoded, JSON-escaped, base64. */
export function leakForms(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  return [secret, percent, form, JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString("base64")];
}

export function expectNoLeak(output: string, secrets: string[]): void {
  const leaked = secrets.flatMap((secret) => leakForms(secret)).filter((form) => output.includes(form));
  // Named by position, never quoted in the failure.
  expect(leaked.length).toBe(0);
}

/** A connector document as the program writes it, carrying the canary secret; `over` spoils one field. */
export function connectorDocument(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    applicationId: APP,
    apiKey: CANARY_SECRET,
    oauth2TokenEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/token`,
    tenantId: TENANT,
    companyId: "4711",
    secretExpiresAt: "2027-11-27T00:00:00Z",
    permissions: ["User.Read.All"],
    ...over,
  };
}
