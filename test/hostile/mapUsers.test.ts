/**
 * Class 3 of issue 11: map-users loses nothing and sends nothing to the wrong place. A fake
 * Microsoft and fake Nexxt servers on 127.0.0.1, real files, hard links and symlinks.
 */
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
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

const EXPORT = 'id,email,name\n101,ann@contoso.nl,Ann\n102,bob@contoso.nl,"=HYPERLINK(""http://evil.example/"",""Bob"")"\n';
const ENTRA = [
  { id: "obj-ann", mail: "ann@contoso.nl", userPrincipalName: "ann@contoso.nl", accountEnabled: true },
  { id: "obj-bob", mail: "bob@contoso.nl", userPrincipalName: "bob@contoso.nl", accountEnabled: true },
];

async function graphWith(users: unknown[]): Promise<FakeMicrosoft> {
  return keep(await startFakeMicrosoft((_req, res) => json(res, 200, { value: users })));
}

/** A Nexxt that stores what is PATCHed per path and answers GET with it. */
async function fakeNexxt(status = 200): Promise<HostileServer & { stored: Map<string, unknown> }> {
  const stored = new Map<string, unknown>();
  const server = keep(
    await startHostile((req, res) => {
      if (status !== 200) return json(res, status, { message: "no" });
      if (req.method === "PATCH") {
        stored.set(req.url, JSON.parse(req.body));
        return json(res, 200, {});
      }
      json(res, 200, stored.get(req.url) ?? {});
    }),
  ) as HostileServer & { stored: Map<string, unknown> };
  server.stored = stored;
  return server;
}

function tempDir(files: Record<string, string> = { "users.csv": EXPORT }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-map-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

async function mapUsers(ms: HostileServer, dir: string, extra: string[]) {
  const io = memoryIo({ env: { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }, cwd: dir });
  const code = await run(["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv", ...extra], io);
  return { code, output: [...io.out, ...io.err].join("\n"), err: io.err.join("\n") };
}

const apply = (nexxt: HostileServer, extra: string[] = []) => ["--out", "mapping.csv", "--apply", "--nexxt-user-url", nexxt.url("/api/users/{id}"), ...extra];

describe("the resume journal says what was written where", () => {
  it("a re-run against another Nexxt URL sends to it, instead of skipping every user as done", async () => {
    const ms = await graphWith(ENTRA);
    const first = await fakeNexxt();
    const second = await fakeNexxt();
    const dir = tempDir();
    expect((await mapUsers(ms, dir, apply(first, ["--journal", "j.jsonl"]))).code).toBe(0);
    expect(first.stored.size).toBe(2);
    const again = await mapUsers(ms, dir, apply(second, ["--journal", "j.jsonl"]));
    expect(again.code).toBe(0);
    expect([...second.stored.keys()].sort()).toEqual(["/api/users/101", "/api/users/102"]);
  });

  it("a re-run with another --nexxt-field writes that field", async () => {
    const ms = await graphWith(ENTRA);
    const nexxt = await fakeNexxt();
    const dir = tempDir();
    await mapUsers(ms, dir, apply(nexxt, ["--journal", "j.jsonl"]));
    await mapUsers(ms, dir, apply(nexxt, ["--journal", "j.jsonl", "--nexxt-field", "externalId"]));
    expect(nexxt.requests.filter((r) => r.method === "PATCH" && r.body.includes('externalId"'))).toHaveLength(2);
  });
});

describe("nothing is sent to the wrong resource", () => {
  it.each([".", "..", "a/../../admin"])("a Nexxt user ID %p is refused before any request", async (id) => {
    const ms = await graphWith(ENTRA);
    const nexxt = await fakeNexxt();
    const dir = tempDir({ "users.csv": `id,email\n${id},ann@contoso.nl\n` });
    const { code, err } = await mapUsers(ms, dir, apply(nexxt));
    expect(code).toBe(2);
    expect(err).toMatch(/cannot be put in a URL/);
    expect(nexxt.requests).toHaveLength(0);
  });

  it("Graph users without an id are never matched or sent", async () => {
    const ms = await graphWith([
      { mail: "ann@contoso.nl", userPrincipalName: "ann@contoso.nl", accountEnabled: true },
      { id: null, mail: "bob@contoso.nl", accountEnabled: true },
    ]);
    const nexxt = await fakeNexxt();
    const dir = tempDir();
    const { code, output } = await mapUsers(ms, dir, apply(nexxt));
    expect(code).toBe(1);
    expect(output).toMatch(/skipped 2 Entra users without an object ID/);
    expect(nexxt.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
    expect(readFileSync(path.join(dir, "mapping.csv"), "utf8")).toMatch(/101,Ann,ann@contoso\.nl,,,unmatched/);
  });
});

describe("no input is overwritten, and outputs are checked before any request", () => {
  const cases: [string, (dir: string) => string][] = [
    ["the export itself", () => "users.csv"],
    ["a hard link to the export", (dir) => (linkSync(path.join(dir, "users.csv"), path.join(dir, "hard.csv")), "hard.csv")],
    ["a symlink to the export", (dir) => (symlinkSync(path.join(dir, "users.csv"), path.join(dir, "soft.csv")), "soft.csv")],
  ];
  it.each(cases)("--out naming %s is refused and the export is intact", async (_what, make) => {
    const ms = await graphWith(ENTRA);
    const dir = tempDir();
    const out = make(dir);
    const { code, err } = await mapUsers(ms, dir, ["--out", out]);
    expect(code).toBe(2);
    expect(err).toMatch(/--out/);
    expect(readFileSync(path.join(dir, "users.csv"), "utf8")).toBe(EXPORT);
    expect(ms.requests).toHaveLength(0);
  });

  it("--out in a missing directory fails with one sentence before Entra is read", async () => {
    const ms = await graphWith(ENTRA);
    const dir = tempDir();
    const { code, err } = await mapUsers(ms, dir, ["--out", "no/such/dir/mapping.csv"]);
    expect(code).toBe(2);
    expect(err).toMatch(/does not exist; create it first/);
    expect(err).not.toMatch(/ENOENT/);
    expect(ms.requests).toHaveLength(0);
  });
});

describe("a wrong Nexxt token", () => {
  it("stops after a few refusals in a row, with one sentence, instead of failing every user", async () => {
    const many = Array.from({ length: 200 }, (_, i) => i + 1);
    const ms = await graphWith(many.map((i) => ({ id: `obj-${i}`, mail: `u${i}@contoso.nl`, accountEnabled: true })));
    const nexxt = await fakeNexxt(401);
    const dir = tempDir({ "users.csv": `id,email\n${many.map((i) => `${i},u${i}@contoso.nl`).join("\n")}\n` });
    const { code, output } = await mapUsers(ms, dir, apply(nexxt));
    expect(code).toBe(3);
    expect(output).toMatch(/Nexxt refused the API token \(HTTP 401\) for 3 users in a row/);
    expect(nexxt.requests.length).toBeLessThanOrEqual(8);
    expect(output.split("\n").length).toBeLessThan(20);
  });
});

describe("the mapping CSV is safe to open in a spreadsheet", () => {
  it("neutralises cells a spreadsheet would run as a formula", async () => {
    const ms = await graphWith(ENTRA);
    const dir = tempDir({ "users.csv": "id,email,name\n101,ann@contoso.nl,=1+2\n102,bob@contoso.nl,@SUM(A1)\n103,-x@contoso.nl,+cmd\n" });
    await mapUsers(ms, dir, ["--out", "mapping.csv"]);
    const csv = readFileSync(path.join(dir, "mapping.csv"), "utf8");
    for (const cell of csv.split(/[\n,]/)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain("'=1+2");
    expect(csv).toContain("'@SUM(A1)");
  });

  it("the =HYPERLINK name of the export comes out as text", async () => {
    const ms = await graphWith(ENTRA);
    const dir = tempDir();
    await mapUsers(ms, dir, ["--out", "mapping.csv"]);
    expect(readFileSync(path.join(dir, "mapping.csv"), "utf8")).toContain(`"'=HYPERLINK(""http://evil.example/"",""Bob"")"`);
  });
});
