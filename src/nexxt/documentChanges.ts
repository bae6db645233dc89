import type { ConnectorDocument } from "./connectorDocument";

const SCALAR_FIELDS = ["applicationId", "apiKey", "oauth2TokenEndpoint", "tenantId", "companyId", "secretExpiresAt"] as const satisfies readonly (keyof ConnectorDocument)[];

/**
 * The fields of two connector documents that differ, compared one by one (not by JSON text,
 * which depends on key order). Either side may be partial or not an object at all: during a
 * preview Pulumi hands a provider an "unknown" placeholder for values not yet computed, and an
 * unknown value counts as changed. Only field names are returned, never values.
 */
export function changedDocumentFields(before: unknown, after: unknown): (keyof ConnectorDocument)[] {
  const a = asRecord(before);
  const b = asRecord(after);
  const changed: (keyof ConnectorDocument)[] = SCALAR_FIELDS.filter((field) => a[field] !== b[field] || typeof b[field] !== "string");
  if (!sameStringList(a.permissions, b.permissions)) changed.push("permissions");
  return changed;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Order matters: the document lists permissions in the order the program granted them. */
function sameStringList(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((item, index) => typeof item === "string" && item === b[index]);
}
