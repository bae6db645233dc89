import { continuedCommand, plural, wrapLine } from "../../src/cli/text";

describe("plural", () => {
  it.each([
    [0, "0 users"],
    [1, "1 user"],
    [2, "2 users"],
  ])("%i", (count, text) => expect(plural(count, "user")).toBe(text));
  it("takes an irregular plural", () => expect(plural(2, "entry", "entries")).toBe("2 entries"));
});

describe("wrapLine", () => {
  it("keeps lines within the width and indents continuations", () => {
    const lines = wrapLine("map-users: 300 Nexxt users: 297 matched, 1 unmatched, 1 ambiguous, 1 disabled; mapping written to nexxt-demo/mapping.csv.", 80, 2);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.startsWith("  ") && !line.startsWith("   "))).toBe(true);
    expect(lines.join(" ").replace(/\s+/g, " ")).toBe("map-users: 300 Nexxt users: 297 matched, 1 unmatched, 1 ambiguous, 1 disabled; mapping written to nexxt-demo/mapping.csv.");
  });
  it("never breaks a long path, and keeps a leading indent", () => {
    const path = "/very/long/" + "x".repeat(90) + "/mapping.journal.jsonl";
    expect(wrapLine(`Journal: ${path}`, 80, 2)).toEqual(["Journal:", `  ${path}`]);
    expect(wrapLine("    indented short", 80, 6)).toEqual(["    indented short"]);
    expect(wrapLine("  disabled  104 a@b.nl: the account is disabled", 31, 12)).toEqual(["  disabled  104 a@b.nl: the", "            account is disabled"]);
  });
});

describe("continuedCommand", () => {
  it("breaks before flags with backslash continuations, each line within the width, the same command when joined", () => {
    const command =
      "bin/nexxt-onboard map-users --config nexxt-demo/demo.nexxt.json --graph-url http://127.0.0.1:47110 --nexxt-users nexxt-demo/nexxt-users.csv --apply --nexxt-user-url 'http://127.0.0.1:47111/users/{id}'";
    const text = continuedCommand(command, 78, 6);
    expect(text.split("\n").every((line) => line.length <= 78)).toBe(true);
    expect(
      text
        .split("\n")
        .slice(0, -1)
        .every((line) => line.endsWith(" \\")),
    ).toBe(true);
    expect(text.replace(/ \\\n +/g, " ")).toBe(command);
    expect(continuedCommand("bin/nexxt-onboard verify --json")).toBe("bin/nexxt-onboard verify --json");
  });
});
