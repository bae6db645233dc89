import { isGuid, isStackName } from "../src/identifiers";

describe("identifier formats shared by config, documents, flags and file names", () => {
  it("takes GUIDs in either case and nothing else", () => {
    expect(isGuid("3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c")).toBe(true);
    expect(isGuid("3F6A2C1E-8B4D-4E7A-9C2B-1D5E6F7A8B9C")).toBe(true);
    expect(isGuid("3f6a2c1e8b4d4e7a9c2b1d5e6f7a8b9c")).toBe(false);
    expect(isGuid("{3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c}")).toBe(false);
  });

  it("takes what Pulumi takes as a stack name, and no name that leaves its directory", () => {
    for (const ok of ["acme", "acme-bv.prod_2", "_x", "a".repeat(100)]) expect(isStackName(ok)).toBe(true);
    for (const bad of ["", ".", "..", "../etc", "org/project/acme", "a b", "a".repeat(101)]) expect(isStackName(bad)).toBe(false);
  });
});
