import { UserError } from "../errors";

/**
 * What a failed azuread data-source lookup means. Only the provider's own "none" and "several"
 * answers are outcomes (application_data_source.go, service_principal_data_source.go: "no
 * applications found matching filter", "dound multiple applications" [sic], "found multiple
 * service principals"); anything else (403 Authorization_RequestDenied, 429 throttling, a 400 for
 * a bad filter) is a failure and is reported as one, never as "not found".
 */
export type LookupOutcome = "none" | "several";

export function lookupOutcome(err: unknown): LookupOutcome | undefined {
  const message = messageOf(err);
  if (/no (applications|service principals) found matching filter|was not found/i.test(message)) return "none";
  if (/(found|dound) multiple (applications|service principals)/i.test(message)) return "several";
  return undefined;
}

/** One sentence naming the lookup, what Graph said and what to do. */
export function lookupFailure(what: string, tenantId: string, err: unknown): UserError {
  const message = messageOf(err);
  const hint = /\b403\b|Authorization_RequestDenied|Insufficient privileges/i.test(message)
    ? "the signed-in identity may not read app registrations; sign in with a role that can (Application Administrator, or a service principal with Application.Read.All) and run pulumi up again"
    : /\b429\b|TooManyRequests|throttl/i.test(message)
      ? "Microsoft Graph is throttling requests; wait a few minutes and run pulumi up again"
      : "run pulumi up again; if it keeps failing, check the tenant's Graph access";
  return new UserError(`Looking up ${what} in tenant ${tenantId} failed (${oneLine(message)}): ${hint}.`);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 400);
}
