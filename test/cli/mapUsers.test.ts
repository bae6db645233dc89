import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { run } from "../../src/cli/main";
import type { EntraUser } from "../../src/users/entraUser";
import { NEXXT_API_TOKEN, SECRET, allOutput, app, emulatorFlags, expectNoSecrets, tenant, testIo } from "../emulator/fixtures";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";
import { NexxtEmulator, startNexxtEmulator } from "../../src/emulator/nexxtEmulator";

const ENTRA: EntraUser[] = [
  { id: "obj-ann", displayName: "Ann", mail: "Ann@Contoso.nl", userPrincipalName: "ann@contoso.onmicrosoft.com", proxyAddresses: ["SMTP:Ann@Contoso.nl"], accountEnabled: true },
  { id: "obj-bob", displayName: "Bob", mail: null, userPrincipalName: "bob@contoso.nl", proxyAddresses: [], accountEnabled: true },
  {
    id: "obj-cas",
    displayName: "Cas",
    mail: "cas@contoso.nl",
    userPrincipalName: "cas@contoso.nl",
    proxyAddresses: ["smtp:c.jansen@contoso.nl", "sip:cj@contoso.nl"],
    accountEnabled: true,
  },
  { id: "obj-dirk", displayName: "Dirk", mail: "dirk@contoso.nl", userPrincipalName: "dirk@contoso.nl", proxyAddresses: [], accountEnabled: false },
  { id: "obj-eva1", displayName: "Eva", mail: "eva@contoso.nl", userPrincipalName: "eva@contoso.nl", proxyAddresses: [], accountEnabled: true },
  { id: "obj-eva2", displayName: "Eva (old)", mail: null, userPrincipalName: "eva.old@contoso.nl", proxyAddresses: ["smtp:eva@contoso.nl"], accountEnabled: true },
];

/** Semicolon-separated with a BOM and CRLF, as Dutch Excel writes it. */
const NEXXT_CSV =
  "\uFEFFid;naam;e-mail\r\n" +
  "101;Ann de Vries;ann@CONTOSO.nl\r\n" +
  "102;Bob;bob@contoso.nl\r\n" +
  '103;"Jansen, Cas";c.jansen@contoso.nl\r\n' +
  "104;Dirk;dirk@contoso.nl\r\n" +
  "105;Eva;eva@contoso.nl\r\n" +
  "106;Fred;fred@elders.nl\r\n" +
  "107;Sip;cj@contoso.nl\r\n";

let ms: MicrosoftEmulator | undefined;
let nexxt: NexxtEmulator | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "map-users-"));
  writeFileSync(path.join(dir, "users.csv"), NEXXT_CSV);
});
afterEach(async () => {
  await ms?.close();
  await nexxt?.close();
  ms = nexxt = undefined;
});

async function mapUsers(args: string[], ioOver: Record<string, unknown> = {}) {
  const io = testIo({ cwd: dir, env: { NEXXT_CLIENT_SECRET: SECRET, NEXXT_API_TOKEN }, ...ioOver });
  const code = await run(["map-users", ...emulatorFlags(ms!.url), "--nexxt-users", "users.csv", ...args], io);
  expectNoSecrets(io, [SECRET, NEXXT_API_TOKEN, ...ms!.stats.issuedTokens]);
  return { code, io, text: allOutput(io) };
}

const readMapping = (file = "mapping.csv") => parse(readFileSync(path.join(dir, file), "utf8"), { columns: true }) as Record<string, string>[];

describe("map-users: matching", () => {
  beforeEach(async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: ENTRA })] });
  });

  it("writes mapping.csv applying every rule: mail, UPN, smtp proxy, sip ignored, ambiguous, disabled, unmatched", async () => {
    const { code, io } = await mapUsers(["--out", "mapping.csv"]);
    expect(code).toBe(1); // not everyone matched
    const byId = Object.fromEntries(readMapping().map((row) => [row.nexxtUserId, [row.externalApplicationId, row.matchedBy, row.status]]));
    expect(byId).toEqual({
      "101": ["obj-ann", "mail", "matched"],
      "102": ["obj-bob", "userPrincipalName", "matched"],
      "103": ["obj-cas", "proxyAddress", "matched"],
      "104": ["obj-dirk", "mail", "disabled"],
      "105": ["", "", "ambiguous"],
      "106": ["", "", "unmatched"],
      "107": ["", "", "unmatched"],
    });
    expect(readMapping()[2].nexxtName).toBe("Jansen, Cas");
    expect(io.out.join("\n")).toContain("map-users: 7 Nexxt users: 3 matched, 2 unmatched, 1 ambiguous, 1 disabled.\nMapping written to mapping.csv.");
    expect(io.out.join("\n")).toMatch(/ambiguous 105 eva@contoso\.nl: 2 Entra users carry this address; link it by hand \[obj-eva1, obj-eva2\]$/m);
    expect(io.out.join("\n")).toMatch(/Dry run: 3 users would be linked/);
  });

  it("prints the CSV on stdout and the summary on stderr without --out", async () => {
    const { io } = await mapUsers([]);
    const rows = parse(io.out.join("\n"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(7);
    expect(io.err.join("\n")).toMatch(/3 matched/);
  });

  it("lists at most 20 rows needing attention in the text summary, and says where the rest are", async () => {
    writeFileSync(path.join(dir, "users.csv"), "id,email\n" + Array.from({ length: 25 }, (_, i) => `${i},nobody${i}@elders.nl`).join("\n"));
    const { io } = await mapUsers(["--out", "mapping.csv"]);
    const listed = io.out.filter((line) => line.startsWith("  unmatched"));
    expect(listed).toHaveLength(20);
    expect(io.out.join("\n")).toContain("... and 5 more; every row is in the mapping CSV (or --json).");
    expect(readMapping()).toHaveLength(25);
  });

  it("--json gives the summary, the plan and every row with reasons and candidates", async () => {
    const { io } = await mapUsers(["--json"]);
    const report = JSON.parse(io.out.join("\n"));
    expect(report.summary).toEqual({ total: 7, matched: 3, unmatched: 2, ambiguous: 1, disabled: 1, notMember: 0, conflict: 0 });
    expect(report.apply).toEqual({ dryRun: true, planned: 3 });
    expect(report.rows.find((r: { nexxtUserId: string }) => r.nexxtUserId === "105").candidates).toEqual(["obj-eva1", "obj-eva2"]);
    expect(io.err).toEqual([]);
  });

  it("reads a JSON export with named columns, and plans disabled users with --include-disabled", async () => {
    writeFileSync(path.join(dir, "users.json"), JSON.stringify([{ uid: "9", who: "Dirk", adres: "DIRK@contoso.nl" }]));
    const io = testIo({ cwd: dir });
    await run(
      [
        "map-users",
        ...emulatorFlags(ms!.url),
        "--nexxt-users",
        "users.json",
        "--id-column",
        "uid",
        "--email-column",
        "adres",
        "--name-column",
        "who",
        "--include-disabled",
        "--json",
      ],
      io,
    );
    const report = JSON.parse(io.out.join("\n"));
    expect(report.rows[0]).toMatchObject({ nexxtUserId: "9", nexxtName: "Dirk", externalApplicationId: "obj-dirk", status: "disabled" });
    expect(report.apply.planned).toBe(1);
  });
});

describe("map-users: reading Entra", () => {
  const many = (count: number) => ({
    count,
    make: (i: number): EntraUser => ({
      id: `obj-${i}`,
      mail: `user${i}@contoso.nl`,
      userPrincipalName: `user${i}@contoso.nl`,
      proxyAddresses: [`SMTP:user${i}@contoso.nl`],
      accountEnabled: true,
    }),
  });

  it("pages with $top=999 and @odata.nextLink to the last user, riding out 429, 503 and a dropped connection", async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: many(2500) })] });
    ms.inject({ path: /^\/v1\.0\/users$/, after: 1, times: 1, fault: { status: 429, retryAfterSeconds: 0 } });
    // The first rule lets page 1 through; the 503 and the drop then hit the retries of page 2.
    ms.inject({ path: /^\/v1\.0\/users$/, times: 1, fault: { status: 503 } });
    ms.inject({ path: /^\/v1\.0\/users$/, times: 1, fault: { drop: true } });
    writeFileSync(path.join(dir, "users.csv"), "id,email\n1,user0@contoso.nl\n2,USER2499@contoso.nl\n3,user1500@contoso.nl\n");
    const { code, io } = await mapUsers(["--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(io.out.join("\n"));
    expect(report.rows.map((r: { externalApplicationId: string }) => r.externalApplicationId)).toEqual(["obj-0", "obj-2499", "obj-1500"]);
    expect(ms.stats.graphRequests).toBe(3 + 3); // ceil(2500/999) pages + three faults
    expect(report.graphRequests).toBe(6);
  });

  it("exits 3 with the consent explanation when Graph answers 403 Authorization_RequestDenied", async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: ENTRA, apps: [app({ roles: [] })] })] });
    const { code, text } = await mapUsers(["--out", "mapping.csv"]);
    expect(code).toBe(3);
    expect(text).toMatch(/Authorization_RequestDenied/);
    expect(text).toMatch(/consent for User\.Read\.All is missing/);
    expect(existsSync(path.join(dir, "mapping.csv"))).toBe(false);
  });

  it("exits 3 with the AADSTS explanation when the secret is wrong", async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: ENTRA, apps: [app({ secrets: [{ value: "other" }] })] })] });
    const { code, text } = await mapUsers([]);
    expect(code).toBe(3);
    expect(text).toMatch(/AADSTS7000215/);
    expect(text).toMatch(/Value, not its Secret ID/);
    expect(ms.stats.graphRequests).toBe(0);
  });
});

describe("map-users: the export is read while Entra is", () => {
  const many = (count: number) => ({ count, make: (i: number): EntraUser => ({ id: `obj-${i}`, mail: `user${i}@contoso.nl`, accountEnabled: true }) });
  /** Large enough to be parsed in many slices while pages arrive. */
  const bigExport = (count: number, extra = "") => "id;email\r\n" + Array.from({ length: count }, (_, i) => `${i};user${i}@contoso.nl`).join("\r\n") + "\r\n" + extra;

  it("matches a large export against pages that arrived before it was read, whichever side the nextLink is on", async () => {
    writeFileSync(path.join(dir, "users.csv"), bigExport(3000));
    for (const nextLinkAfterValue of [false, true]) {
      ms = await startMicrosoftEmulator({ tenants: [tenant({ users: many(3000) })], nextLinkAfterValue });
      const { code, io } = await mapUsers(["--out", "mapping.csv"]);
      expect(code).toBe(0);
      expect(io.out.join("\n")).toContain("3000 Nexxt users: 3000 matched");
      const rows = readMapping();
      expect(rows.every((row, i) => row.nexxtUserId === String(i) && row.externalApplicationId === `obj-${i}`)).toBe(true);
      expect(ms.stats.graphRequests).toBe(4);
      await ms.close();
    }
    ms = undefined;
  });

  it("gives the token failure its own clear error and exit 3 while a large export is being read", async () => {
    writeFileSync(path.join(dir, "users.csv"), bigExport(20000));
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: many(10), apps: [app({ secrets: [{ value: "other" }] })] })] });
    const { code, text } = await mapUsers(["--out", "mapping.csv"]);
    expect(code).toBe(3);
    expect(text).toMatch(/^error: Microsoft refused or did not answer the token request .*AADSTS7000215/);
    expect(text.split("\n")).toHaveLength(1);
    expect(ms.stats.graphRequests).toBe(0);
    expect(existsSync(path.join(dir, "mapping.csv"))).toBe(false);
  });

  it("reports a bad row found late in the export with exit 2, even when the token failed too, and stops reading Entra", async () => {
    writeFileSync(path.join(dir, "users.csv"), bigExport(20000, "17;again@contoso.nl\r\n"));
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: many(10), apps: [app({ secrets: [{ value: "other" }] })] })] });
    const failedToken = await mapUsers(["--out", "mapping.csv"]);
    expect(failedToken.code).toBe(2);
    expect(failedToken.text).toBe("error: users.csv line 20002: Nexxt user ID '17' appears again (first at line 19); each user must appear once.");
    await ms.close();

    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: many(999 * 300) })], latencyMs: 5 });
    const { code, text } = await mapUsers(["--out", "mapping.csv"]);
    expect(code).toBe(2);
    expect(text).toMatch(/line 20002: Nexxt user ID '17' appears again/);
    expect(ms.stats.graphRequests).toBeLessThan(300); // stopped well before the last of 300 pages
    expect(existsSync(path.join(dir, "mapping.csv"))).toBe(false);
  });
});

describe("map-users --apply", () => {
  const applyArgs = () => ["--out", "mapping.csv", "--apply", "--nexxt-user-url", `${nexxt!.url}/users/{id}`];

  beforeEach(async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: ENTRA })] });
  });

  it("PATCHes only users not yet linked, with the bearer token, keeps another object ID as a conflict, and journals what Nexxt confirmed", async () => {
    nexxt = await startNexxtEmulator({
      apiToken: NEXXT_API_TOKEN,
      users: { "101": {}, "102": { externalApplicationId: "OBJ-BOB" }, "103": { externalApplicationId: "stale" }, "104": {} },
    });
    const { code, io } = await mapUsers(applyArgs());
    expect(code).toBe(1); // unmatched users remain, nothing failed
    // 103 holds "stale", another value than its match: kept, reported as a conflict (issue 18).
    expect(nexxt.patches.sort((a, b) => a.id.localeCompare(b.id))).toEqual([{ id: "101", body: { externalApplicationId: "obj-ann" } }]);
    expect(nexxt.users.get("103")).toEqual({ id: "103", externalApplicationId: "stale" });
    expect(nexxt.users.get("104")).toEqual({ id: "104" }); // disabled: not linked without --include-disabled
    expect([...nexxt.authorizationHeaders]).toEqual([`Bearer ${NEXXT_API_TOKEN}`]);
    expect(io.out.join("\n").replace(/\s+/g, " ")).toMatch(/Applied: 1 updated, 1 already right, 0 done by an earlier run, 0 failed, 1 not changed \(conflicts\)/);
    const journal = readFileSync(path.join(dir, "mapping.journal.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(journal.map((entry: { nexxtUserId: string; outcome: string }) => `${entry.nexxtUserId}:${entry.outcome}`).sort()).toEqual(["101:patched", "102:already-set"]);
    expect(readMapping().find((row) => row.nexxtUserId === "103")).toMatchObject({ status: "conflict", externalApplicationId: "obj-cas", nexxtHeld: "stale" });
  });

  it("reports a failed user, exits 3, and a re-run finishes the job without redoing the rest", async () => {
    nexxt = await startNexxtEmulator({ apiToken: NEXXT_API_TOKEN, users: { "101": {}, "102": {}, "103": {} } });
    nexxt.inject({ path: /^\/users\/102$/, method: "PATCH", times: 3, fault: { status: 500, body: { message: "database locked" } } });
    const first = await mapUsers([...applyArgs(), "--retries", "1"]);
    expect(first.code).toBe(3);
    expect(first.text.replace(/\n +/g, " ")).toMatch(/failed {4}102: PATCH Nexxt user 102: PATCH .*failed with HTTP 500 after 2 attempts: database locked/);
    expect(first.text).toMatch(/Run the same command again/);
    expect(nexxt.patches.map((p) => p.id).sort()).toEqual(["101", "103"]);

    const second = await mapUsers([...applyArgs(), "--retries", "1", "--json"]);
    expect(second.code).toBe(1);
    expect(nexxt.patches.map((p) => p.id).sort()).toEqual(["101", "102", "103"]);
    expect(JSON.parse(second.io.out.join("\n")).apply).toMatchObject({ planned: 3, patched: 1, doneEarlier: 2, failed: [] });
  });

  it("writes blind with --overwrite-links when Nexxt does not answer GET, and the journal keeps a re-run from sending again", async () => {
    nexxt = await startNexxtEmulator({ apiToken: NEXXT_API_TOKEN, users: { "101": {}, "102": {}, "103": {} }, getSupported: false });
    await mapUsers([...applyArgs(), "--concurrency", "1", "--overwrite-links"]);
    expect(nexxt.patches).toHaveLength(3);
    expect(nexxt.gets).toBe(1); // one 405, then no more GETs
    await mapUsers([...applyArgs(), "--concurrency", "1", "--overwrite-links"]);
    expect(nexxt.patches).toHaveLength(3);
  });

  it("uses --nexxt-field and --api-token-env, and reports a user Nexxt does not know", async () => {
    nexxt = await startNexxtEmulator({ apiToken: "other-token", users: { "101": {}, "103": {} } });
    const { code, text } = await mapUsers([...applyArgs(), "--nexxt-field", "externalId", "--api-token-env", "PBX_TOKEN"], {
      env: { NEXXT_CLIENT_SECRET: SECRET, PBX_TOKEN: "other-token" },
    });
    expect(code).toBe(3);
    expect(nexxt.patches.map((p) => p.body)).toEqual(expect.arrayContaining([{ externalId: "obj-ann" }, { externalId: "obj-cas" }]));
    expect(text).toMatch(/102: GET Nexxt user 102: Nexxt has no user with this ID/);
    expect(text).not.toContain("other-token");
  });

  it("keeps at most --concurrency requests in flight, and shows progress on a terminal only", async () => {
    const users: EntraUser[] = Array.from({ length: 24 }, (_, i) => ({ id: `obj-${i}`, mail: `p${i}@x.nl`, userPrincipalName: `p${i}@x.nl`, accountEnabled: true }));
    await ms!.close();
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users })] });
    writeFileSync(path.join(dir, "users.csv"), "id,email\n" + users.map((_, i) => `${i},p${i}@x.nl`).join("\n"));
    nexxt = await startNexxtEmulator({ apiToken: NEXXT_API_TOKEN, users: Object.fromEntries(users.map((_, i) => [String(i), {}])), latencyMs: 15 });
    const { code, io } = await mapUsers([...applyArgs(), "--concurrency", "3"], { isTTY: true });
    expect(code).toBe(0);
    expect(nexxt.patches).toHaveLength(24);
    expect(nexxt.peakInFlight).toBeLessThanOrEqual(3);
    expect(nexxt.peakInFlight).toBeGreaterThan(1);
    expect(io.err.join("\n")).toMatch(/linking Nexxt users .* 24\/24/);
    const quiet = await mapUsers([...applyArgs(), "--json"], { isTTY: true });
    expect(quiet.io.err).toEqual([]);
  });
});

describe("map-users input errors (exit 2, nothing sent)", () => {
  beforeEach(async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: ENTRA })] });
  });

  it.each([
    [["--apply"], {}, /--apply needs --nexxt-user-url/],
    [["--apply", "--nexxt-user-url", "https://pbx.example.nl/api/users"], {}, /has no \{id\} placeholder/],
    [["--apply", "--nexxt-user-url", "http://pbx.example.nl/users/{id}"], {}, /must use https/],
    [["--apply", "--nexxt-user-url", "https://pbx.example.nl/users/{id}"], { NEXXT_API_TOKEN: "" }, /Environment variable NEXXT_API_TOKEN is empty or not set/],
    [["--concurrency", "0"], {}, /--concurrency '0'/],
    [["--email-column", "adres"], {}, /has no email column 'adres'/],
  ])("%j", async (args, env, message) => {
    const { code, io } = await mapUsers(args as string[], { env: { NEXXT_CLIENT_SECRET: SECRET, NEXXT_API_TOKEN, ...env } });
    expect(code).toBe(2);
    expect(io.err.join("\n")).toMatch(message);
    expect(ms!.stats.tokenRequests + ms!.stats.graphRequests).toBe(0);
  });

  it("names a missing export file", async () => {
    const io = testIo({ cwd: dir });
    expect(await run(["map-users", ...emulatorFlags(ms!.url), "--nexxt-users", "nope.csv"], io)).toBe(2);
    expect(io.err.join("\n")).toMatch(/--nexxt-users nope\.csv does not exist/);
  });

  it("has help with examples", async () => {
    const io = testIo();
    expect(await run(["map-users", "--help"], io)).toBe(0);
    expect(io.out.join("\n")).toMatch(/Examples:[\s\S]*--apply \\\n\s*--nexxt-user-url/);
  });
});
