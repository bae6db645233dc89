import { utcTimestamp } from "../../src/util/time";

describe("utcTimestamp: the one form every output writes an instant in", () => {
  it("is RFC 3339 UTC to the second, as Graph writes a secret's endDate", () => {
    expect(utcTimestamp(new Date("2027-11-27T00:00:00.000Z"))).toBe("2027-11-27T00:00:00Z");
    expect(utcTimestamp(new Date("2026-12-01T05:20:07.999Z"))).toBe("2026-12-01T05:20:07Z");
  });
});
