import { crossStackProblems } from "../../src/stacks/crossStackRules";
import type { StackIdentity } from "../../src/stacks/stackIdentity";

const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const T2 = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
const EXAMPLE_TENANT = "11111111-2222-3333-4444-555555555555";

function stack(name: string, values: Partial<StackIdentity> = {}): StackIdentity {
  return { stack: name, file: `stacks/Pulumi.${name}.yaml`, displayName: "ClearVox Nexxt", sharedTenant: false, ...values };
}

const summary = (problems: ReturnType<typeof crossStackProblems>) => problems.map((p) => `${p.file} ${p.key}`);

describe("crossStackProblems", () => {
  it("finds nothing in distinct customers", () => {
    expect(crossStackProblems([stack("a", { tenantId: T1, companyId: "1" }), stack("b", { tenantId: T2, companyId: "2" })])).toEqual([]);
  });

  it("reports a duplicate tenant on every file of it, naming the others", () => {
    const problems = crossStackProblems([stack("a", { tenantId: T1, companyId: "1" }), stack("b", { tenantId: T1, companyId: "2" }), stack("c", { tenantId: T2, companyId: "3" })]);
    expect(summary(problems)).toEqual(["stacks/Pulumi.a.yaml nexxt:tenantId", "stacks/Pulumi.b.yaml nexxt:tenantId"]);
    expect(problems[0].message).toContain(`${T1} is also the tenant of stacks/Pulumi.b.yaml`);
    expect(problems[0].message).toContain("# nexxt-onboard: shared-tenant");
  });

  it("accepts a shared tenant only when every file of it carries the marker", () => {
    const marked = { tenantId: T1, sharedTenant: true };
    expect(crossStackProblems([stack("a", { ...marked, companyId: "1" }), stack("b", { ...marked, companyId: "2", displayName: "Nexxt B" })])).toEqual([]);
    const half = crossStackProblems([stack("a", { ...marked, companyId: "1" }), stack("b", { tenantId: T1, companyId: "2", displayName: "Nexxt B" })]);
    expect(summary(half)).toEqual(["stacks/Pulumi.a.yaml nexxt:tenantId", "stacks/Pulumi.b.yaml nexxt:tenantId"]);
  });

  it("refuses two stacks of one shared tenant with the same display name, in any case", () => {
    const marked = { tenantId: T1, sharedTenant: true };
    const problems = crossStackProblems([stack("a", { ...marked, companyId: "1" }), stack("b", { ...marked, companyId: "2", displayName: "clearvox NEXXT" })]);
    expect(summary(problems)).toEqual(["stacks/Pulumi.a.yaml nexxt:displayName", "stacks/Pulumi.b.yaml nexxt:displayName"]);
    expect(problems[0].message).toContain("refuses to register a namesake");
  });

  it("reports a duplicate Company ID on every file of it, with no opt-out", () => {
    const marked = { sharedTenant: true };
    const problems = crossStackProblems([stack("a", { ...marked, tenantId: T1, companyId: "4711" }), stack("b", { ...marked, tenantId: T2, companyId: "4711" })]);
    expect(summary(problems)).toEqual(["stacks/Pulumi.a.yaml nexxt:companyId", "stacks/Pulumi.b.yaml nexxt:companyId"]);
    expect(problems[1].message).toContain("4711 is also the Company ID of stacks/Pulumi.a.yaml");
  });

  it("refuses the example's fake tenant in a customer stack", () => {
    const problems = crossStackProblems([stack("acme", { tenantId: EXAMPLE_TENANT, companyId: "1" })]);
    expect(summary(problems)).toEqual(["stacks/Pulumi.acme.yaml nexxt:tenantId"]);
    expect(problems[0].message).toContain("fake tenant ID of the example stack");
  });

  it("leaves the example stack out of every rule: its IDs are fake", () => {
    expect(crossStackProblems([stack("example", { tenantId: EXAMPLE_TENANT, companyId: "12345" }), stack("acme", { tenantId: T1, companyId: "12345" })])).toEqual([]);
  });

  it("skips values a file does not have (its own check reports those)", () => {
    expect(crossStackProblems([stack("a"), stack("b")])).toEqual([]);
  });
});
