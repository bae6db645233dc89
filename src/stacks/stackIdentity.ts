/** What the cross-stack rules compare of one stack file: the values that must be unique. */
export interface StackIdentity {
  stack: string;
  file: string;
  /** Undefined when the file's own value is missing or invalid (reported by the schema check). */
  tenantId?: string;
  companyId?: string;
  displayName?: string;
  /** The file carries the shared-tenant marker line. */
  sharedTenant: boolean;
}
