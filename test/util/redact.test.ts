import { redactSecrets } from "../../src/util/redact";

describe("redactSecrets", () => {
  it("replaces every occurrence, longest secret first", () => {
    expect(redactSecrets("Bearer tok-123 and tok-123456 and tok-123", ["tok-123", "tok-123456"])).toBe(
      "Bearer [redacted] and [redacted] and [redacted]",
    );
  });
  it("ignores missing and very short values, which would garble the text", () => {
    expect(redactSecrets("a b c", [undefined, "", "a"])).toBe("a b c");
  });
});
