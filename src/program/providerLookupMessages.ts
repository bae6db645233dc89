/**
 * The azuread provider's own words when a data-source lookup finds no object or several, as
 * application_data_source.go and service_principal_data_source.go (terraform-provider-azuread v3)
 * write them, "dound" [sic] included. lookupErrors.ts recognises exactly these; the offline
 * tenant (plan) and the lifecycle tests' tenant answer with them, so all three agree.
 */
export type LookupKind = "application" | "servicePrincipal";

const WORDS: Record<LookupKind, { none: string; several: string }> = {
  application: {
    none: "Application not found: no applications found matching filter",
    several: "Multiple applications found: dound multiple applications matching filter",
  },
  servicePrincipal: {
    none: "Service principal not found: no service principals found matching filter",
    several: "Multiple service principals found: found multiple service principals matching filter",
  },
};

/** The provider's OData filter: one field, built with fmt.Sprintf and no escaping of quotes. */
export function providerFilter(field: "appId" | "displayName", value: unknown): string {
  return `${field} eq '${String(value)}'`;
}

export function noneFoundMessage(kind: LookupKind, filter: string): string {
  return `${WORDS[kind].none}: "${filter}"`;
}

export function severalFoundMessage(kind: LookupKind, filter: string): string {
  return `${WORDS[kind].several}: "${filter}"`;
}
