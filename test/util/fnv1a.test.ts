import { fnv1a } from "../../src/util/fnv1a";

describe("fnv1a", () => {
  it("gives the published FNV-1a 32-bit values", () => {
    // Test vectors of the FNV reference (draft-eastlake-fnv, appendix C): "", "a", "foobar".
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  it("hashes a character beyond the BMP once, as one code point", () => {
    let byCodePoint = 0x811c9dc5;
    for (const char of "x😀y") byCodePoint = Math.imul(byCodePoint ^ char.codePointAt(0)!, 0x01000193) >>> 0;
    expect(fnv1a("x😀y")).toBe(byCodePoint);
  });
});
