import { UserError } from "../../src/errors";
import { detectDelimiter, parseNexxtUserExport } from "../../src/users/nexxtUserExport";

const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
};

describe("parseNexxtUserExport", () => {
  it("reads a comma CSV with the default column names", () => {
    expect(parseNexxtUserExport("id,name,email\n17,Ann de Vries,ann@contoso.nl\n18,\"Smit, Bob\",bob@contoso.nl\n", "users.csv")).toEqual([
      { id: "17", name: "Ann de Vries", email: "ann@contoso.nl" },
      { id: "18", name: "Smit, Bob", email: "bob@contoso.nl" },
    ]);
  });

  it("reads a semicolon CSV with a BOM and CRLF, as Dutch Excel saves it, with Dutch headers", () => {
    const text = "\uFEFFgebruikerId;Naam;E-mail\r\n17;Ann;ann@contoso.nl\r\n18;\"Jan; jr\";jan@contoso.nl\r\n";
    expect(parseNexxtUserExport(text, "users.csv")).toEqual([
      { id: "17", name: "Ann", email: "ann@contoso.nl" },
      { id: "18", name: "Jan; jr", email: "jan@contoso.nl" },
    ]);
  });

  it("uses the columns named by flags, case-insensitively", () => {
    const users = parseNexxtUserExport("UID,Who,Address\n1,A,a@x.nl\n", "u.csv", { id: "uid", email: "ADDRESS", name: "who" });
    expect(users).toEqual([{ id: "1", name: "A", email: "a@x.nl" }]);
  });

  it("reads JSON as a list or as { users: [...] }, and leaves the name empty when there is none", () => {
    expect(parseNexxtUserExport('[{"id": 5, "email": "e@x.nl"}]', "u.json")).toEqual([{ id: "5", name: "", email: "e@x.nl" }]);
    expect(parseNexxtUserExport('{"users": [{"userId": "6", "mail": "f@x.nl", "displayName": "F"}]}', "u.json")).toEqual([
      { id: "6", name: "F", email: "f@x.nl" },
    ]);
  });

  it("names the missing column, the columns it has and the flag to use", () => {
    const err = errorOf(() => parseNexxtUserExport("id,naam,adres\n1,A,a@x.nl\n", "users.csv"));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/users\.csv has no email column/);
    expect(err.message).toContain("'adres'");
    expect(err.message).toContain("--email-column");
    expect(errorOf(() => parseNexxtUserExport("id,email\n1,a@x.nl\n", "u.csv", { name: "fullname" })).message).toContain("--name-column");
  });

  it("refuses duplicate and empty IDs with the line number", () => {
    expect(errorOf(() => parseNexxtUserExport("id,email\n1,a@x.nl\n1,b@x.nl\n", "u.csv")).message).toMatch(/line 3: Nexxt user ID '1' appears again \(first at line 2\)/);
    expect(errorOf(() => parseNexxtUserExport("id,email\n,a@x.nl\n", "u.csv")).message).toMatch(/line 2: the id column is empty/);
  });

  it("refuses empty files, bad JSON and ragged CSV with one sentence each", () => {
    expect(errorOf(() => parseNexxtUserExport("id,email\n", "u.csv")).message).toMatch(/holds no users/);
    expect(errorOf(() => parseNexxtUserExport("[{", "u.json")).message).toMatch(/does not parse/);
    expect(errorOf(() => parseNexxtUserExport('{"id": 1}', "u.json")).message).toMatch(/not a list of user objects/);
    expect(errorOf(() => parseNexxtUserExport("id,email\n1,a@x.nl,extra\n", "u.csv")).message).toMatch(/not a readable CSV/);
  });
});

describe("detectDelimiter", () => {
  it("counts separators in the header outside quotes", () => {
    expect(detectDelimiter("a;b;c\n1,2;3")).toBe(";");
    expect(detectDelimiter("a,b\n")).toBe(",");
    expect(detectDelimiter('"x;y;z",b\n')).toBe(",");
  });
});
