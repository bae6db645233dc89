import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { decideApply, journalLine, pendingItems, planApply, readJournal } from "../../src/users/applyPlan";
import { MAPPING_COLUMNS, csvField, mappingCsvChunks, renderMappingCsv } from "../../src/users/mappingCsv";
import type { MappingRow } from "../../src/users/userMatching";

const row = (over: Partial<MappingRow>): MappingRow => ({
  nexxtUserId: "1",
  nexxtName: "Ann",
  email: "ann@x.nl",
  externalApplicationId: "id-1",
  matchedBy: "mail",
  status: "matched",
  candidates: [],
  reason: "",
  nexxtHeld: "",
  ...over,
});

describe("renderMappingCsv", () => {
  it("writes the header and quotes names with commas, quotes and line breaks so they read back intact", () => {
    const rows = [row({ nexxtName: 'Smit, "Bob"\njr' }), row({ nexxtUserId: "2", externalApplicationId: "", matchedBy: "", status: "unmatched" })];
    const text = renderMappingCsv(rows);
    expect(text.split("\n")[0]).toBe("nexxtUserId,nexxtName,email,externalApplicationId,matchedBy,status,nexxtHeld");
    const back = parse(text, { columns: true }) as Record<string, string>[];
    expect(back[0].nexxtName).toBe('Smit, "Bob"\njr');
    expect(back[1]).toEqual({ nexxtUserId: "2", nexxtName: "Ann", email: "ann@x.nl", externalApplicationId: "", matchedBy: "", status: "unmatched", nexxtHeld: "" });
  });
});

describe("csvField and mappingCsvChunks", () => {
  const nasty = ["", "plain", "a,b", 'say "hi"', '"', "line\nbreak", "crlf\r\n", " padded ", "semi;colon", "Zoë 🎉", "'=1+1", "tab\there", '",\n"'];

  it("quotes exactly as csv-stringify did (with record_delimiter \\n)", () => {
    for (const value of nasty) expect(csvField(value)).toBe(stringify([[value]], { record_delimiter: "\n" }).slice(0, -1));
  });

  it("also quotes a lone carriage return, which csv-stringify left bare and csv-parse then read as a line end", () => {
    const text = renderMappingCsv([row({ nexxtName: "cr\rhere" })]);
    expect(text).toContain('"cr\rhere"');
    expect((parse(text, { columns: true }) as Record<string, string>[])[0].nexxtName).toBe("cr\rhere");
  });

  it("renders the same text as csv-stringify, whatever the chunk size", () => {
    const rows = nasty.map((value, i) => row({ nexxtUserId: `${i}`, nexxtName: value, email: value.slice(0, 3) }));
    const expected = stringify([[...MAPPING_COLUMNS], ...rows.map((r) => MAPPING_COLUMNS.map((column) => r[column]))], { record_delimiter: "\n" });
    expect(renderMappingCsv(rows)).toBe(expected);
    const small = [...mappingCsvChunks(rows, 40)];
    expect(small.length).toBeGreaterThan(3);
    expect(small.join("")).toBe(expected);
  });
});

describe("apply planning", () => {
  const rows = [
    row({ nexxtUserId: "1", status: "matched", externalApplicationId: "a" }),
    row({ nexxtUserId: "2", status: "disabled", externalApplicationId: "b" }),
    row({ nexxtUserId: "3", status: "unmatched", externalApplicationId: "" }),
    row({ nexxtUserId: "4", status: "ambiguous", externalApplicationId: "" }),
  ];

  it("applies matched rows, disabled ones only when asked, never unmatched or ambiguous", () => {
    expect(planApply(rows, { includeDisabled: false }).map((item) => item.nexxtUserId)).toEqual(["1"]);
    expect(planApply(rows, { includeDisabled: true }).map((item) => item.nexxtUserId)).toEqual(["1", "2"]);
  });

  it("skips a user whose current value already is the object ID, whatever its case", () => {
    expect(decideApply({ known: true, value: " ABC-1 " }, "abc-1")).toBe("already-set");
    expect(decideApply({ known: true, value: "other" }, "abc-1")).toBe("conflict");
    expect(decideApply({ known: true, value: "other" }, "abc-1", true)).toBe("patch");
    expect(decideApply({ known: true, value: undefined }, "abc-1")).toBe("patch");
    expect(decideApply({ known: false }, "abc-1")).toBe("unreadable");
    expect(decideApply({ known: false }, "abc-1", true)).toBe("patch");
  });

  const base = "https://pbx.example.nl/api/users/";
  const where = { targetOf: (id: string) => base + id, field: "externalApplicationId" };
  const line = (nexxtUserId: string, externalApplicationId: string, over: { target?: string; field?: string } = {}) =>
    journalLine({ target: base + nexxtUserId, field: "externalApplicationId", nexxtUserId, externalApplicationId, outcome: "patched", at: "t", ...over });

  it("reads back the journal, ignoring a torn last line, and skips only entries with the same value", () => {
    const text = line("1", "A") + line("2", "old") + '{"target": "x", "nexxtUserId": "3", "externalApp';
    const journal = readJournal(text);
    expect(journal.size).toBe(2);
    const { pending, doneEarlier } = pendingItems(
      [
        { nexxtUserId: "1", externalApplicationId: "a" },
        { nexxtUserId: "2", externalApplicationId: "new" },
        { nexxtUserId: "3", externalApplicationId: "c" },
      ],
      journal,
      where,
    );
    expect(doneEarlier.map((item) => item.nexxtUserId)).toEqual(["1"]);
    expect(pending.map((item) => item.nexxtUserId)).toEqual(["2", "3"]);
  });

  it("keys the journal by what was written where: another URL, another field or an old line without them is not done", () => {
    const text =
      line("1", "a", { target: "https://other.example.nl/api/users/1" }) +
      line("2", "b", { field: "externalId" }) +
      journalLine({ nexxtUserId: "3", externalApplicationId: "c", outcome: "patched", at: "t" } as unknown as Parameters<typeof journalLine>[0]) +
      line("4", "d");
    const items = ["1", "2", "3", "4"].map((id, i) => ({ nexxtUserId: id, externalApplicationId: "abcd"[i] }));
    const { pending, doneEarlier } = pendingItems(items, readJournal(text), where);
    expect(doneEarlier.map((item) => item.nexxtUserId)).toEqual(["4"]);
    expect(pending.map((item) => item.nexxtUserId)).toEqual(["1", "2", "3"]);
  });
});
