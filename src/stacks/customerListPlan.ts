import * as path from "node:path";
import type { ConnectorSettings } from "../config/settings";
import { UserError } from "../errors";
import type { CustomerRow } from "./customerList";
import { decideClashes } from "./newCustomerClashes";
import { newCustomerConfig } from "./newCustomerConfig";
import { checkNewStackName } from "./newStackName";
import { renderStackFile } from "./renderStackFile";
import type { StackIdentity } from "./stackIdentity";

/** What the list is checked against: the stack directory as it is now, and the flags that apply to every row. */
export interface CustomerListContext {
  /** The stack directory as the user sees it (messages, file names). */
  stacksDir: string;
  /** Every stack with a file there (new-customer's name rules). */
  existingStacks: readonly string[];
  /** Their tenants, Company IDs and display names (the cross-stack rules). */
  identities: readonly StackIdentity[];
  permissions?: string;
  cloud?: string;
  allowHighPrivilege?: boolean;
  now: Date;
}

export interface PlannedStack {
  line: number;
  stack: string;
  /** Where it goes, as the user sees it. */
  file: string;
  text: string;
  settings: ConnectorSettings;
}

export interface ExistingCustomer {
  line: number;
  stack: string;
  file: string;
}

export interface RowProblem {
  line: number;
  customer: string;
  message: string;
}

export interface CustomerListPlan {
  write: PlannedStack[];
  /** Rows whose stack file already exists with the same tenant and Company ID: a re-run of the list. */
  existing: ExistingCustomer[];
  problems: RowProblem[];
}

/**
 * Checks every row of the list with new-customer's own rules (the stack name, the program's
 * config parser, the cross-stack rules), against the existing stacks *and* the rows before it, so
 * two rows of one list cannot share a tenant, a Company ID or a name either. Collects every
 * problem instead of stopping at the first: the caller writes all files or none. A row whose stack
 * exists with the same tenant and Company ID is a re-run, not a problem.
 */
export function planCustomerList(rows: readonly CustomerRow[], context: CustomerListContext): CustomerListPlan {
  const plan: CustomerListPlan = { write: [], existing: [], problems: [] };
  const existingByName = new Map(context.identities.map((identity) => [identity.stack, identity]));
  const existingNames = new Set(context.existingStacks);
  const accepted: StackIdentity[] = [];
  const lineOfName = new Map<string, number>();
  // Identities the rows are compared with: the existing stacks, then each accepted row (named by its line).
  const others = (stack: string) => [...context.identities.filter((identity) => identity.stack !== stack), ...accepted];

  for (const row of rows) {
    const problem = (message: string) => plan.problems.push({ line: row.line, customer: row.customer, message });
    const file = path.join(context.stacksDir, `Pulumi.${row.customer}.yaml`);
    try {
      checkNewStackName(row.customer, context.existingStacks, context.stacksDir);
    } catch (err) {
      problem(inListTerms(err));
      continue;
    }
    const earlier = lineOfName.get(row.customer.toLowerCase());
    if (earlier !== undefined) {
      problem(`the customer '${row.customer}' is also on line ${earlier}; one stack per customer: remove one of the rows, or give them different names.`);
      continue;
    }
    lineOfName.set(row.customer.toLowerCase(), row.line);

    let config: Record<string, unknown>;
    let settings: ConnectorSettings;
    try {
      ({ config, settings } = newCustomerConfig({
        tenantId: row.tenantId,
        companyId: row.companyId,
        nexxtUrl: row.nexxtUrl,
        displayName: row.displayName,
        permissions: context.permissions,
        cloud: context.cloud,
        allowHighPrivilege: context.allowHighPrivilege,
        rotationStart: context.now,
      }));
    } catch (err) {
      problem(inListTerms(err));
      continue;
    }

    if (existingNames.has(row.customer)) {
      const existing = existingByName.get(row.customer);
      if (existing?.tenantId === settings.tenantId && existing.companyId === settings.companyId) {
        plan.existing.push({ line: row.line, stack: row.customer, file });
      } else {
        problem(
          `the stack '${row.customer}' already exists (${file}) with tenant ${existing?.tenantId ?? "(invalid)"} and Company ID ${existing?.companyId ?? "(invalid)"}, not this row's ${settings.tenantId} and ${settings.companyId}; new-customer never overwrites a stack: correct the row, or edit that file.`,
        );
      }
      continue;
    }

    const identity = { stack: row.customer, tenantId: settings.tenantId, companyId: settings.companyId, displayName: settings.displayName };
    try {
      decideClashes(identity, others(row.customer), false);
    } catch (err) {
      problem(inListTerms(err));
      continue;
    }
    let text: string;
    try {
      text = renderStackFile({ stack: row.customer, config, sharedTenant: false, writtenOn: context.now });
    } catch (err) {
      problem(inListTerms(err));
      continue;
    }
    accepted.push({ ...identity, file: `line ${row.line} (${row.customer})`, sharedTenant: false });
    plan.write.push({ line: row.line, stack: row.customer, file, settings, text });
  }
  return plan;
}

const COLUMN_OF_FLAG: readonly [RegExp, string][] = [
  [/--tenant-id/g, "tenantId"],
  [/--company-id/g, "companyId"],
  [/--nexxt-url/g, "nexxtUrl"],
  [/--display-name/g, "displayName"],
  [/pass --allow-shared-tenant if this customer really shares that tenant/g, "onboard this customer on its own with new-customer --allow-shared-tenant if it really shares that tenant"],
  [/use `new-customer ([^`]+)`/g, "write $1 in the customer column"],
];

/** new-customer's sentences name flags; in a list the user edits a column instead. */
function inListTerms(err: unknown): string {
  if (!(err instanceof UserError)) throw err;
  return COLUMN_OF_FLAG.reduce((message, [flag, column]) => message.replace(flag, column), err.message);
}
