import type { HttpClientOptions } from "../http/sendWithRetry";
import { isSafePathSegment } from "../identifiers";
import { explainGraphError, explainLoginError } from "./failureExplanations";
import { GraphClient, GraphRequestError } from "./graphClient";
import { ClientCredentialsRequest, IssuedToken, TokenRequestError, requestClientCredentialsToken } from "./tokenClient";
import { Check, permissionChecks, skipped } from "./verifyChecks";

export interface VerifyTarget extends ClientCredentialsRequest {
  tenantId: string;
  graphRoot: string;
  expectedPermissions: string[];
}

const USERS_PROBE = "/v1.0/users?$top=1&$select=id";
/** Users tried for the contacts probe: the first user may have no mailbox (an admin account, a room). */
const CONTACT_CANDIDATES = 5;

/**
 * One pass of every check, as Nexxt would experience it: token, roles, one user, one page of
 * that user's contacts. Never throws for a Microsoft answer: each becomes a check.
 */
export async function runVerifyRound(target: VerifyTarget, http: HttpClientOptions): Promise<Check[]> {
  const checks: Check[] = [];
  let issued: IssuedToken;
  try {
    issued = await requestClientCredentialsToken(target, http);
  } catch (err) {
    if (!(err instanceof TokenRequestError)) throw err;
    checks.push({
      kind: "token",
      subject: target.tokenEndpoint,
      verdict: "fail",
      detail: err.message,
      explanation: err.loginError
        ? explainLoginError(err.loginError)
        : {
            cause: `the token endpoint could not be reached or answered oddly (${err.message})`,
            fix: "check the network, --authority-host and --cloud, then try again (or add --wait)",
          },
      unreachable: err.unreachable,
    });
    for (const name of target.expectedPermissions) checks.push(skipped("permission", name, "no token"));
    checks.push(skipped("users", USERS_PROBE, "no token"));
    if (target.expectedPermissions.includes("Contacts.Read")) checks.push(skipped("contacts", "/v1.0/users/{id}/contacts", "no token"));
    return checks;
  }
  checks.push({
    kind: "token",
    subject: target.tokenEndpoint,
    verdict: "pass",
    detail: `issued (${issued.tokenType}, expires in ${issued.expiresIn} s)${tokenMismatch(issued, target)}`,
  });
  checks.push(...permissionChecks(target.expectedPermissions, issued.claims.roles));

  const graph = new GraphClient(target.graphRoot, issued.token, http);
  let firstPage: { value?: Array<{ id: string }>; "@odata.nextLink"?: string } | undefined;
  try {
    const page = await graph.get<{ value?: Array<{ id: string }>; "@odata.nextLink"?: string }>(USERS_PROBE);
    firstPage = page;
    if (page.value !== undefined && !Array.isArray(page.value)) throw new GraphRequestError("Graph answered a users page whose value is not a list", 200, undefined, undefined);
    const count = page.value?.length ?? 0;
    checks.push({ kind: "users", subject: USERS_PROBE, verdict: "pass", detail: count === 0 ? "answered (the directory lists no users)" : "answered with a user" });
  } catch (err) {
    checks.push(graphFailure("users", USERS_PROBE, err));
  }
  if (target.expectedPermissions.includes("Contacts.Read")) {
    checks.push(firstPage ? await contactsProbe(graph, firstPage) : skipped("contacts", "/v1.0/users/{id}/contacts", "the users probe failed"));
  }
  return checks;
}

function tokenMismatch(issued: IssuedToken, target: VerifyTarget): string {
  const notes: string[] = [];
  if (issued.claims.appid && issued.claims.appid.toLowerCase() !== target.clientId.toLowerCase()) notes.push(`for app ${issued.claims.appid}`);
  // A tenant given as a domain name cannot be compared with the tid GUID.
  if (issued.claims.tid && /^[0-9a-f-]{36}$/i.test(target.tenantId) && issued.claims.tid.toLowerCase() !== target.tenantId.toLowerCase()) {
    notes.push(`from tenant ${issued.claims.tid}`);
  }
  return notes.length > 0 ? `, but ${notes.join(" and ")}` : "";
}

async function contactsProbe(graph: GraphClient, firstPage: { value?: Array<{ id: string }>; "@odata.nextLink"?: string }): Promise<Check> {
  const subject = "/v1.0/users/{id}/contacts?$top=1&$select=id";
  const candidates = [...(firstPage.value ?? [])];
  let next = firstPage["@odata.nextLink"];
  let lastMailboxless: unknown;
  for (let tried = 0; tried < CONTACT_CANDIDATES; tried++) {
    if (candidates.length === 0 && next !== undefined) {
      try {
        const page = await graph.get<{ value?: Array<{ id: string }>; "@odata.nextLink"?: string }>(next);
        candidates.push(...(page.value ?? []));
        next = page["@odata.nextLink"];
      } catch (err) {
        return graphFailure("contacts", subject, err);
      }
    }
    const user = candidates.shift();
    if (user === undefined) break;
    // An ID goes into the path: never "..", "/" or nothing.
    if (typeof user?.id !== "string" || !isSafePathSegment(user.id)) {
      return {
        kind: "contacts",
        subject,
        verdict: "fail",
        detail: "Graph listed a user without a usable id (missing, '.', '..' or with '/'); the contacts check cannot name it",
        explanation: { cause: "something other than Microsoft Graph answers at the Graph URL", fix: "check --graph-url (or --cloud) and any proxy in between" },
      };
    }
    try {
      await graph.get(`/v1.0/users/${encodeURIComponent(user.id)}/contacts?$top=1&$select=id`);
      return { kind: "contacts", subject, verdict: "pass", detail: `read one page of contacts of user ${user.id}` };
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) {
        lastMailboxless = err;
        continue;
      }
      return graphFailure("contacts", subject, err);
    }
  }
  if (lastMailboxless !== undefined) {
    return {
      kind: "contacts",
      subject,
      verdict: "fail",
      detail: `none of the first ${CONTACT_CANDIDATES} users has a mailbox Graph can read, so Contacts.Read is unproven`,
      explanation: {
        cause: "the first users listed have no Exchange Online mailbox",
        fix: "check that the users Nexxt syncs have Exchange Online licences; the contacts check needs one mailbox",
      },
    };
  }
  return skipped("contacts", subject, "the directory lists no users");
}

function graphFailure(kind: "users" | "contacts", subject: string, err: unknown): Check {
  if (!(err instanceof GraphRequestError)) throw err;
  return {
    kind,
    subject,
    verdict: "fail",
    detail: err.message,
    explanation: explainGraphError(err.status, err.graphError, kind),
    unreachable: err.unreachable,
  };
}
