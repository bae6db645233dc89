import { UserError } from "../../src/errors";
import { detectDelimiter, openNexxtUserExport, readNexxtUserExport } from "../../src/users/nexxtUserExport";

const errorOf = async (fn: () => Promise<unknown>): Promise<Error> => {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
};

describe("readNexxtUserExport", () => {
  it("reads a comma CSV with the default column names", async () => {
    expect(await readNexxtUserExport('id,name,email\n17,Ann de Vries,ann@contoso.nl\n18,"Smit, Bob",bob@contoso.nl\n', "users.csv")).toEqual([
      { id: "17", name: "Ann de Vries", email: "ann@contoso.nl" },
      { id: "18", name: "Smit, Bob", email: "bob@contoso.nl" },
    ]);
  });

  it("reads a semicolon CSV with a BOM and CRLF, as Dutch Excel saves it, with Dutch headers", async () => {
    const text = '\uFEFFgebruikerId;Naam;E-mail\r\n17;Ann;ann@contoso.nl\r\n18;"Jan; jr";jan@contoso.nl\r\n';
    expect(await readNexxtUserExport(text, "users.csv")).toEqual([
      { id: "17", name: "Ann", email: "ann@contoso.nl" },
      { id: "18", name: "Jan; jr", email: "jan@contoso.nl" },
    ]);
  });

  it("uses the columns named by flags, case-insensitively", async () => {
    const users = await readNexxtUserExport("UID,Who,Address\n1,A,a@x.nl\n", "u.csv", { id: "uid", email: "ADDRESS", name: "who" });
    expect(users).toEqual([{ id: "1", name: "A", email: "a@x.nl" }]);
  });

  it("reads JSON as a list or as { users: [...] }, and leaves the name empty when there is none", async () => {
    expect(await readNexxtUserExport('[{"id": 5, "email": "e@x.nl"}]', "u.json")).toEqual([{ id: "5", name: "", email: "e@x.nl" }]);
    expect(await readNexxtUserExport('{"users": [{"userId": "6", "mail": "f@x.nl", "displayName": "F"}]}', "u.json")).toEqual([{ id: "6", name: "F", email: "f@x.nl" }]);
  });

  it("names the missing column, the columns it has and the flag to use", async () => {
    const err = await errorOf(() => readNexxtUserExport("id,naam,adres\n1,A,a@x.nl\n", "users.csv"));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/users\.csv has no email column/);
    expect(err.message).toContain("'adres'");
    expect(err.message).toContain("--email-column");
    expect((await errorOf(() => readNexxtUserExport("id,email\n1,a@x.nl\n", "u.csv", { name: "fullname" }))).message).toContain("--name-column");
  });

  it("refuses duplicate and empty IDs with the line number", async () => {
    expect((await errorOf(() => readNexxtUserExport("id,email\n1,a@x.nl\n1,b@x.nl\n", "u.csv"))).message).toMatch(/line 3: Nexxt user ID '1' appears again \(first at line 2\)/);
    expect((await errorOf(() => readNexxtUserExport("id,email\n,a@x.nl\n", "u.csv"))).message).toMatch(/line 2: the id column is empty/);
  });

  it("refuses empty files, bad JSON and ragged CSV with one sentence each", async () => {
    expect((await errorOf(() => readNexxtUserExport("id,email\n", "u.csv"))).message).toMatch(/holds no users/);
    expect((await errorOf(() => readNexxtUserExport("[{", "u.json"))).message).toMatch(/does not parse/);
    expect((await errorOf(() => readNexxtUserExport('{"id": 1}', "u.json"))).message).toMatch(/not a list of user objects/);
    expect((await errorOf(() => readNexxtUserExport("id,email\n1,a@x.nl,extra\n", "u.csv"))).message).toMatch(/not a readable CSV/);
  });
});

describe("openNexxtUserExport", () => {
  it("refuses a missing column before reading any row, so nothing needs to be sent first", () => {
    expect(() => openNexxtUserExport("id;naam\r\n1;A\r\n", "users.csv")).toThrow(/users\.csv has no email column/);
    expect(() => openNexxtUserExport("", "users.csv")).toThrow(/holds no users/);
    expect(() => openNexxtUserExport('[{"id": 1', "users.json")).toThrow(/does not parse/);
  });

  it("reads a large export in slices: every row intact across slice boundaries, CRLF and characters outside the BMP included", async () => {
    const names = (i: number) => (i % 3 === 0 ? `"Müller, ${i} 🎉"` : `Zoë ${i}`);
    const lines = ["\uFEFFid;naam;email", ...Array.from({ length: 5000 }, (_, i) => `${i};${names(i)};u${i}@x.nl`)];
    const users = await readNexxtUserExport(lines.join("\r\n") + "\r\n", "users.csv");
    expect(users).toHaveLength(5000);
    expect(users.every((user, i) => user.id === String(i) && user.email === `u${i}@x.nl` && user.name === names(i).replace(/"/g, ""))).toBe(true);
  });

  it("names the line of a repeated ID found late in a large export, and of a ragged row after it", async () => {
    const lines = ["id,email", ...Array.from({ length: 4000 }, (_, i) => `${i},u${i}@x.nl`), "17,again@x.nl", "x,y@x.nl,extra"];
    expect((await errorOf(() => readNexxtUserExport(lines.join("\n"), "u.csv"))).message).toMatch(/u\.csv line 4002: Nexxt user ID '17' appears again \(first at line 19\)/);
    const ragged = ["id,email", ...Array.from({ length: 4000 }, (_, i) => `${i},u${i}@x.nl`), "x,y@x.nl,extra"];
    expect((await errorOf(() => readNexxtUserExport(ragged.join("\n"), "u.csv"))).message).toMatch(/not a readable CSV export \(.*line 4002/);
  });
});

describe("detectDelimiter", () => {
  it("counts separators in the header outside quotes", () => {
    expect(detectDelimiter("a;b;c\n1,2;3")).toBe(";");
    expect(detectDelimiter("a,b\n")).toBe(",");
    expect(detectDelimiter('"x;y;z",b\n')).toBe(",");
  });
});
