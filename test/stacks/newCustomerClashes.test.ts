import { decideClashes } from "../../src/stacks/newCustomerClashes";
import type { StackIdentity } from "../../src/stacks/stackIdentity";
import { userErrorOf } from "./userErrorOf";

const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const T2 = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
const candidate = { stack: "new", tenantId: T1, companyId: "9", displayName: "ClearVox Nexxt" };

function existing(name: string, values: Partial<StackIdentity>): StackIdentity {
  return { stack: name, file: `stacks/Pulumi.${name}.yaml`, displayName: "ClearVox Nexxt", sharedTenant: false, ...values };
}

const refusal = userErrorOf;

describe("decideClashes", () => {
  it("lets a customer with its own tenant and company in, without the marker", () => {
    expect(decideClashes(candidate, [existing("a", { tenantId: T2, companyId: "1" })], false)).toEqual({ sharedTenant: false, markerMissingIn: [] });
  });

  it("refuses a tenant another stack uses, naming that file and --allow-shared-tenant", () => {
    const message = refusal(() => decideClashes(candidate, [existing("a", { tenantId: T1, companyId: "1" })], false));
    expect(message).toMatch(/^--tenant-id 3f6a2c1e.* is already the tenant of stacks\/Pulumi.a.yaml.*--allow-shared-tenant/);
  });

  it("with --allow-shared-tenant, writes the marker and names the files that still need it", () => {
    const stacks = [existing("a", { tenantId: T1, companyId: "1", displayName: "Nexxt A" }), existing("b", { tenantId: T1, companyId: "2", displayName: "Nexxt B", sharedTenant: true })];
    expect(decideClashes(candidate, stacks, true)).toEqual({ sharedTenant: true, markerMissingIn: ["stacks/Pulumi.a.yaml"] });
  });

  it("refuses a shared tenant whose registration would have the same name", () => {
    const message = refusal(() => decideClashes(candidate, [existing("a", { tenantId: T1, companyId: "1" })], true));
    expect(message).toMatch(/^--display-name 'ClearVox Nexxt' is already the app registration name of stacks\/Pulumi.a.yaml/);
  });

  it("refuses a Company ID another stack uses, even with --allow-shared-tenant", () => {
    const message = refusal(() => decideClashes(candidate, [existing("a", { tenantId: T2, companyId: "9" })], true));
    expect(message).toMatch(/^--company-id 9 is already the Company ID of stacks\/Pulumi.a.yaml/);
  });

  it("ignores the example stack", () => {
    expect(decideClashes({ ...candidate, companyId: "12345" }, [existing("example", { tenantId: T1, companyId: "12345" })], false).sharedTenant).toBe(false);
  });
});
