import { policyConfigFor, stacksToRun } from "../../src/stacks/changedStacks";

const customers = ["acme", "globex", "initech"];

describe("stacksToRun", () => {
  it("runs the stacks whose file changed", () => {
    expect(stacksToRun(["stacks/Pulumi.globex.yaml", "stacks/Pulumi.acme.yaml", "docs/onboarding.md"], customers)).toEqual(["acme", "globex"]);
  });

  it("runs a stack whose policy config changed", () => {
    expect(stacksToRun(["policy/config/initech.json"], customers)).toEqual(["initech"]);
  });

  it("runs every customer stack when the program, the policy pack or the dependencies changed", () => {
    for (const file of ["src/connector/connector.ts", "policy/rules.ts", "Pulumi.yaml", "package-lock.json", "package.json", "tsconfig.json"]) {
      expect(stacksToRun([file], customers)).toEqual(customers);
    }
  });

  it("runs nothing for documentation, tests, the default policy config or the example", () => {
    expect(stacksToRun(["README.md", "test/cli/validate.test.ts", "policy/config/default.json", "stacks/Pulumi.example.yaml", ".github/workflows/onboarding.yml"], customers)).toEqual([]);
  });

  it("never runs a deleted stack (its file is no longer a customer stack) or a file in a subdirectory", () => {
    expect(stacksToRun(["stacks/Pulumi.gone.yaml", "stacks/old/Pulumi.acme.yaml"], customers)).toEqual([]);
  });
});

describe("policyConfigFor", () => {
  it("uses the stack's own policy config when there is one", () => {
    const files = ["policy/config/default.json", "policy/config/acme.json"];
    expect(policyConfigFor("acme", files)).toBe("policy/config/acme.json");
    expect(policyConfigFor("globex", files)).toBe("policy/config/default.json");
  });
});
