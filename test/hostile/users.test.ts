/**
 * Issue 18, "The right user, and nothing lost": links Nexxt already holds are kept unless asked,
 * IDs do not change on the way, guests are not linked, malformed Graph data is no TypeError.
 * A fake Microsoft and a fake Nexxt on 127.0.0.1, real export files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { HostileServer, json, startHostile } from "./hostileServer";
import { CANARY_NEXXT_TOKEN, CANARY_SECRET, FakeMicrosoft, fakeFlags, startFakeMicrosoft } from "./fakeMicrosoft";

let servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const keep = <T extends HostileServer>(server: T): T => (servers.push(server), server);

const ANN = { id: "obj-ann", mail: "ann@contoso.nl", userPrincipalName: "ann@contoso.nl", accountEnabled: true, userType: "Member" };
const BOB = { id: "obj-bob", mail: "bob@contoso.nl", userPrincipalName: "bob@contoso.nl", accountEnabled: true, userType: "Member" };
const EXPORT = "id,email,name\n101,ann@contoso.nl,Ann\n102,bob@contoso.nl,Bob\n";

async function graphWith(users: unknown[]): Promise<FakeMicrosoft> {
  return keep(await startFakeMicrosoft((_req, res) => json(res, 200, { value: users })));
}

/** A Nexxt holding `held` per user ID; GET answers it, PATCH stores (or 405 for GET when `noGet`). */
async function fakeNexxt(held: Record<string, string>, noGet = false): Promise<HostileServer & { patches: string[] }> {
  const values = new Map(Object.entries(held));
  const server = keep(
    await startHostile((req, res) => {
      const id = decodeURIComponent(req.url.split("/").pop() ?? "");
      if (req.method === "GET") {
        if (noGet) return json(res, 405, { message: "Method not allowed." });
        return json(res, 200, values.has(id) ? { id, externalApplicationId: values.get(id) } : { id });
      }
      values.set(id, (JSON.parse(req.body) as { externalApplicationId: string }).externalApplicationId);
      server.patches.push(id);
      json(res, 200, {});
    }),
  ) as HostileServer & { patches: string[] };
  server.patches = [];
  return server;
}

/** The users PATCHed, in order, each once (a retry after a timeout on a loaded machine sends one again). */
const sentTo = (nexxt: { patches: string[] }) => [...new Set(nexxt.patches)];

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-users-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

async function mapUsers(ms: HostileServer, dir: string, extra: string[], exportFile = "users.csv") {
  const io = memoryIo({ env: { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }, cwd: dir });
  const code = await run(["map-users", ...fakeFlags(ms), "--nexxt-users", exportFile, ...extra], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n"), output: [...io.out, ...io.err].join("\n").replace(/\s+/g, " ") };
}

const apply = (nexxt: HostileServer, extra: string[] = []) => ["--out", "mapping.csv", "--apply", "--nexxt-user-url", nexxt.url("/api/users/{id}"), ...extra];
const journalOf = (dir: string) =>
  readFileSync(path.join(dir, "mapping.journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, string>);
const mappingRow = (dir: string, id: string) =>
  readFileSync(path.join(dir, "mapping.csv"), "utf8")
    .split("\n")
    .find((line) => line.startsWith(`${id},`));

describe("a link Nexxt already holds is not overwritten without a trace", () => {
  it("another object ID in 'Extern toepassing ID' is a conflict, kept, and listed; --overwrite-links replaces it and keeps the old value", async () => {
    const ms = await graphWith([ANN, BOB]);
    const nexxt = await fakeNexxt({ "101": "pasted-by-hand-0001" });
    const dir = tempDir({ "users.csv": EXPORT });

    const first = await mapUsers(ms, dir, apply(nexxt));
    expect(first.code).toBe(1);
    expect(sentTo(nexxt)).toEqual(["102"]);
    expect(first.output).toMatch(/conflict 101 ann@contoso\.nl: Nexxt already holds another object ID .* \(Nexxt holds pasted-by-hand-0001; the match is obj-ann\)/);
    expect(first.output).toMatch(/--overwrite-links/);
    expect(mappingRow(dir, "101")).toBe("101,Ann,ann@contoso.nl,obj-ann,mail,conflict,pasted-by-hand-0001");
    expect(journalOf(dir).map((entry) => entry.nexxtUserId)).toEqual(["102"]);

    const second = await mapUsers(ms, dir, apply(nexxt, ["--overwrite-links"]));
    expect(second.code).toBe(0);
    expect(sentTo(nexxt)).toEqual(["102", "101"]);
    expect(second.output).toMatch(/1 replacing another object ID; the old values are in the journal and the mapping/);
    expect(journalOf(dir).find((entry) => entry.nexxtUserId === "101")).toMatchObject({ externalApplicationId: "obj-ann", previous: "pasted-by-hand-0001", outcome: "patched" });
    expect(mappingRow(dir, "101")).toBe("101,Ann,ann@contoso.nl,obj-ann,mail,matched,pasted-by-hand-0001");
  });

  it("a Nexxt that does not answer GET (so a link cannot be seen) is not written blind unless asked", async () => {
    const ms = await graphWith([ANN, BOB]);
    const nexxt = await fakeNexxt({}, true);
    const dir = tempDir({ "users.csv": EXPORT });
    const { code, err } = await mapUsers(ms, dir, apply(nexxt, ["--concurrency", "1"]));
    expect(code).toBe(2);
    expect(err).toMatch(/does not answer GET .* run the same command with --overwrite-links/);
    expect(nexxt.patches).toEqual([]);
  });
});

describe("IDs that would change on the way are refused before any request", () => {
  it("a JSON export with a numeric ID beyond 2^53 (which JSON.parse rounds to another number)", async () => {
    const ms = await graphWith([ANN]);
    const nexxt = await fakeNexxt({});
    const dir = tempDir({ "users.json": '[{"id": 9007199254740993, "email": "ann@contoso.nl"}]' });
    const { code, err } = await mapUsers(ms, dir, apply(nexxt), "users.json");
    expect(code).toBe(2);
    expect(err).toMatch(/^error: users\.json item 1: the id is a JSON number that is not a whole number below 2\^53 .* write the IDs as text/);
    expect(err.split("\n")).toHaveLength(1);
    expect([ms.requests.length, nexxt.requests.length]).toEqual([0, 0]);
  });

  it.each([
    ["a CSV header with id twice", "users.csv", "id,email,id\n101,ann@contoso.nl,102\n", /users\.csv has the column 'id' 2 times \(columns 1, 3\)/],
    ["a CSV header with email twice (in another case)", "users.csv", "id,Email,name,email\n101,bob@contoso.nl,Ann,ann@contoso.nl\n", /has the column 'Email' 2 times/],
    ["a JSON user with id twice", "users.json", '[\n{"id": "101", "email": "ann@contoso.nl", "id": "102"}\n]', /users\.json line 2: the key 'id' appears twice in one user/],
    ["a JSON user with email twice", "users.json", '{"users": [{"id": "101", "email": "bob@contoso.nl", "EMAIL": "ann@contoso.nl"}]}', /the key 'email' appears twice/],
  ])("%s", async (_what, file, content, message) => {
    const ms = await graphWith([ANN, BOB]);
    const nexxt = await fakeNexxt({});
    const dir = tempDir({ [file]: content });
    const { code, err } = await mapUsers(ms, dir, apply(nexxt), file);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.split("\n")).toHaveLength(1);
    expect([ms.requests.length, nexxt.requests.length]).toEqual([0, 0]);
  });

  it("a repeated column the export is not read by is harmless", async () => {
    const ms = await graphWith([ANN]);
    const dir = tempDir({ "users.csv": "id,email,note,note\n101,ann@contoso.nl,a,b\n" });
    const { code } = await mapUsers(ms, dir, ["--out", "mapping.csv"]);
    expect(code).toBe(0);
  });
});

describe("guests and accounts that are not enabled members are never linked by default", () => {
  it("a guest (userType Guest) and another type are listed with why; the member is linked", async () => {
    const ms = await graphWith([{ ...ANN, userType: "Guest" }, BOB, { id: "obj-cy", mail: "cy@contoso.nl", accountEnabled: true, userType: "Partner" }]);
    const nexxt = await fakeNexxt({});
    const dir = tempDir({ "users.csv": `${EXPORT}103,cy@contoso.nl,Cy\n` });
    const { code, output } = await mapUsers(ms, dir, apply(nexxt, ["--include-disabled"]));
    expect(code).toBe(1);
    expect(sentTo(nexxt)).toEqual(["102"]);
    expect(output).toMatch(/2 guests or other non-members/);
    expect(output).toMatch(/not-member 101 ann@contoso\.nl: the Entra account is a guest \(userType Guest\), not a member of the tenant/);
    expect(output).toMatch(/not-member 103 cy@contoso\.nl: the Entra account's userType is 'Partner', not Member/);
  });

  it("map-users asks Graph for userType and accountEnabled", async () => {
    const ms = await graphWith([ANN]);
    const dir = tempDir({ "users.csv": EXPORT });
    await mapUsers(ms, dir, ["--out", "mapping.csv"]);
    const select = new URL(ms.requests.find((req) => req.url.includes("/users"))!.url, ms.origin).searchParams.get("$select")!.split(",");
    expect(select).toEqual(expect.arrayContaining(["userType", "accountEnabled", "mail", "proxyAddresses"]));
  });
});

describe("malformed Graph data stops the run with one sentence, never a TypeError", () => {
  it.each([
    ["mail is a number", { ...ANN, mail: 42 }, "mail"],
    ["proxyAddresses is an object", { ...ANN, proxyAddresses: { SMTP: "ann@contoso.nl" } }, "proxyAddresses"],
    ["proxyAddresses holds a number", { ...ANN, proxyAddresses: ["SMTP:ann@contoso.nl", 7] }, "proxyAddresses"],
    ["userPrincipalName is a list", { ...ANN, userPrincipalName: ["ann@contoso.nl"] }, "userPrincipalName"],
  ])("%s: exit 3, naming Graph's field; nothing sent to Nexxt", async (_what, user, field) => {
    const ms = await graphWith([BOB, user]);
    const nexxt = await fakeNexxt({});
    const dir = tempDir({ "users.csv": EXPORT });
    const { code, err } = await mapUsers(ms, dir, apply(nexxt));
    expect(code).toBe(3);
    expect(err).toMatch(new RegExp(`^error: Graph's answer for Entra user obj-ann has a '${field}' that is not`));
    expect(err).not.toMatch(/TypeError|is not a function|is not iterable/);
    expect(err.split("\n")).toHaveLength(1);
    expect(nexxt.requests).toHaveLength(0);
  });
});
