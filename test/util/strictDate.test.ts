import { parseCalendarDate, parseIsoInstant } from "../../src/util/strictDate";

describe("the strict date parser", () => {
  it("reads calendar dates that exist, leap days included", () => {
    expect(parseCalendarDate("2027-06-01")?.toISOString()).toBe("2027-06-01T00:00:00.000Z");
    expect(parseCalendarDate("2028-02-29")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });
  it.each(["2027-02-30", "2027-02-29", "2027-04-31", "2027-00-10", "2027-13-01", "2027-6-1", "March 7", "2027", "", " 2027-06-01"])("refuses %p", (text) => {
    expect(parseCalendarDate(text)).toBeUndefined();
  });
  it("reads the instants the program writes, with or without fraction and offset", () => {
    expect(parseIsoInstant("2027-11-27T00:00:00.000Z")?.toISOString()).toBe("2027-11-27T00:00:00.000Z");
    expect(parseIsoInstant("2027-11-27T01:00:00+01:00")?.toISOString()).toBe("2027-11-27T00:00:00.000Z");
  });
  it.each(["March 7", "2027-11-27", "2027-02-30T00:00:00Z", "2027-11-27T24:00:00Z", "2027-11-27T00:00:00", "2027-11-27 00:00:00Z", "2027-11-27T00:00:00+25:00"])(
    "refuses the instant %p",
    (text) => {
      expect(parseIsoInstant(text)).toBeUndefined();
    },
  );
});
