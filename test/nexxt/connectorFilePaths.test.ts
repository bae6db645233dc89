import { connectorFilePaths } from "../../src/nexxt/connectorFilePaths";

describe("connectorFilePaths", () => {
  it("puts <stack>.nexxt.json and <stack>.handoff.md in the directory", () => {
    expect(connectorFilePaths("/srv/out", "acme-prod.1")).toEqual({
      connectorFilePath: "/srv/out/acme-prod.1.nexxt.json",
      handoffFilePath: "/srv/out/acme-prod.1.handoff.md",
    });
  });
  it.each(["org/project/acme", "..", "../etc", "a b", ""])("refuses a stack name that is not a plain file name: %p", (stack) => {
    expect(() => connectorFilePaths("/srv/out", stack)).toThrow(/cannot name the connector files; use the short stack name/);
  });
});
