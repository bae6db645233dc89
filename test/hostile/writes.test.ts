/**
 * Issue 18, "Files": every file the tool writes is written without following a link planted at
 * its path, also one planted after the checks (here: by a fake server, while the command waits
 * on it), and only as a regular file; `--dir` never makes a command write outside a project.
 */
import { execFileSync } from "node:child_process";
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { startDemo } from "../../src/demo/startDemo";
import { writeFileAtomic } from "../../src/util/atomicFile";
import { HostileServer, json, startHostile } from "./hostileServer";
import { CANARY_NEXXT_TOKEN, CANARY_SECRET, fakeFlags, startFakeMicrosoft } from "./fakeMicrosoft";
import { closedAfterEachTest, startCli, warmUp } from "./cliProcess";

const keep = closedAfterEachTest();

const ENTRA = [{ id: "obj-ann", mail: "ann@contoso.nl", userPrincipalName: "ann@contoso.nl", accountEnabled: true }];
const EXPORT = "id,email,name\n101,ann@contoso.nl,Ann\n";
const VICTIM = "the user's own file: must stay as it is\n";

function tempDir(files: Record<string, string> = { "users.csv": EXPORT }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-writes-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** A file elsewhere that a planted link points at. */
function victim(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "hostile-victim-")), "victim.txt");
  writeFileSync(file, VICTIM);
  return file;
}

/** A fake Microsoft whose Graph, when first asked for users (after every check of the command), runs `plant`. */
async function graphThatPlants(plant: () => void) {
  let planted = false;
  return keep(
    await startFakeMicrosoft((_req, res) => {
      if (!planted) {
        planted = true;
        plant();
      }
      json(res, 200, { value: ENTRA });
    }),
  );
}

async function nexxtAccepting(): Promise<HostileServer> {
  return keep(await startHostile((req, res) => json(res, 200, req.method === "GET" ? { id: "101" } : {})));
}

async function mapUsers(ms: HostileServer, dir: string, extra: string[]) {
  const io = memoryIo({ env: { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }, cwd: dir });
  const code = await run(["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv", ...extra], io);
  return { code, err: io.err.join("\n"), output: [...io.out, ...io.err].join("\n") };
}

describe("map-users: a link planted after the checks is never written through", () => {
  it("--out: a symlink planted at mapping.csv is replaced by the mapping; its target is untouched", async () => {
    const dir = tempDir();
    const target = victim();
    const ms = await graphThatPlants(() => symlinkSync(target, path.join(dir, "mapping.csv")));
    const { code, output } = await mapUsers(ms, dir, ["--out", "mapping.csv"]);
    expect(output).not.toMatch(/ELOOP/);
    expect(code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(VICTIM);
    expect(lstatSync(path.join(dir, "mapping.csv")).isFile()).toBe(true);
    expect(readFileSync(path.join(dir, "mapping.csv"), "utf8")).toMatch(/^nexxtUserId,.*\n101,Ann,ann@contoso\.nl,obj-ann,mail,matched,\n$/);
    expect(statSync(path.join(dir, "mapping.csv")).mode & 0o777).toBe(0o644);
    // No temporary file left behind.
    expect(readdirSync(dir).sort()).toEqual(["mapping.csv", "users.csv"]);
  });

  it("--out: a hard link to another file planted at mapping.csv is replaced, the other file untouched", async () => {
    const dir = tempDir();
    const target = victim();
    const ms = await graphThatPlants(() => linkSync(target, path.join(dir, "mapping.csv")));
    const { code } = await mapUsers(ms, dir, ["--out", "mapping.csv"]);
    expect(code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(VICTIM);
    expect(statSync(path.join(dir, "mapping.csv")).nlink).toBe(1);
  });

  it("the journal: a symlink planted at its path is refused; nothing is appended to its target, nothing sent", async () => {
    const dir = tempDir();
    const target = victim();
    const ms = await graphThatPlants(() => symlinkSync(target, path.join(dir, "mapping.journal.jsonl")));
    const nexxt = await nexxtAccepting();
    const { code, err } = await mapUsers(ms, dir, ["--out", "mapping.csv", "--apply", "--nexxt-user-url", nexxt.url("/api/users/{id}")]);
    expect(readFileSync(target, "utf8")).toBe(VICTIM);
    expect(code).toBe(2);
    expect(err).toMatch(/is a symbolic link/);
    expect(nexxt.requests).toHaveLength(0);
  });

  it("the journal: a dangling symlink planted at its path is refused with one sentence; no file is created where it points", async () => {
    const dir = tempDir();
    const target = path.join(mkdtempSync(path.join(tmpdir(), "hostile-victim-")), "created-through-the-link");
    const ms = await graphThatPlants(() => symlinkSync(target, path.join(dir, "mapping.journal.jsonl")));
    const nexxt = await nexxtAccepting();
    const { code, err } = await mapUsers(ms, dir, ["--out", "mapping.csv", "--apply", "--nexxt-user-url", nexxt.url("/api/users/{id}")]);
    expect(existsSync(target)).toBe(false);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: --journal mapping\.journal\.jsonl became a symbolic link after it was checked; nothing was written through it/);
    expect(nexxt.requests).toHaveLength(0);
  });

  it("the journal: a hard link to another file planted at its path is refused; the other file is not appended to", async () => {
    const dir = tempDir();
    const target = victim();
    const ms = await graphThatPlants(() => linkSync(target, path.join(dir, "j.jsonl")));
    const nexxt = await nexxtAccepting();
    const { code, err } = await mapUsers(ms, dir, ["--out", "mapping.csv", "--journal", "j.jsonl", "--apply", "--nexxt-user-url", nexxt.url("/api/users/{id}")]);
    expect(readFileSync(target, "utf8")).toBe(VICTIM);
    expect(code).toBe(2);
    expect(err).toMatch(/--journal j\.jsonl has 2 names \(a hard link to another file\); nothing was written to it/);
    expect(nexxt.requests).toHaveLength(0);
  });
});

describe("map-users, a real process: a FIFO planted at --out after the checks", () => {
  beforeAll(() => warmUp(tmpdir()), 120_000);

  it("is replaced by the mapping instead of blocking the process forever on open", async () => {
    const dir = tempDir();
    const ms = await graphThatPlants(() => execFileSync("mkfifo", [path.join(dir, "mapping.csv")]));
    const cli = startCli(["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv", "--out", "mapping.csv"], {
      cwd: dir,
      env: { NEXXT_CLIENT_SECRET: CANARY_SECRET },
    });
    const timer = setTimeout(() => cli.child.kill("SIGKILL"), 8_000);
    const done = await cli.done;
    clearTimeout(timer);
    expect(done.signal).toBeNull();
    expect(done.code).toBe(0);
    expect(lstatSync(path.join(dir, "mapping.csv")).isFile()).toBe(true);
  }, 20_000);
});

describe("the demo's files", () => {
  it("a symlink at nexxt-users.csv in the demo directory is replaced, its target untouched", async () => {
    const dir = tempDir({ "demo.nexxt.json": "{}" });
    const target = victim();
    symlinkSync(target, path.join(dir, "nexxt-users.csv"));
    const demo = await startDemo({ dir, port: 0, now: new Date("2026-12-01T00:00:00Z") });
    await demo.close();
    expect(readFileSync(target, "utf8")).toBe(VICTIM);
    expect(lstatSync(path.join(dir, "nexxt-users.csv")).isFile()).toBe(true);
    expect(readFileSync(path.join(dir, "nexxt-users.csv"), "utf8")).toMatch(/^\ufeffgebruikerId;naam;e-mailadres/);
  });

  it("a symlink at the token file is replaced: the token never lands in the link's target, which keeps its mode", async () => {
    const dir = tempDir({ "demo.nexxt.json": "{}" });
    const target = victim();
    execFileSync("chmod", ["644", target]);
    symlinkSync(target, path.join(dir, "nexxt-api-token"));
    const demo = await startDemo({ dir, port: 0, now: new Date("2026-12-01T00:00:00Z") });
    await demo.close();
    expect(readFileSync(target, "utf8")).toBe(VICTIM);
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(statSync(path.join(dir, "nexxt-api-token")).mode & 0o777).toBe(0o600);
  });
});

describe("the shared writer (connector files, demo, mapping, scripts)", () => {
  it("writes pieces as one regular 0600 file in place of a symlink, never through it", async () => {
    const dir = tempDir({});
    const target = victim();
    symlinkSync(target, path.join(dir, "acme.nexxt.json"));
    await writeFileAtomic(path.join(dir, "acme.nexxt.json"), ["{", '"a": 1', "}"]);
    expect(readFileSync(target, "utf8")).toBe(VICTIM);
    expect(lstatSync(path.join(dir, "acme.nexxt.json")).isFile()).toBe(true);
    expect(readFileSync(path.join(dir, "acme.nexxt.json"), "utf8")).toBe('{"a": 1}');
    expect(statSync(path.join(dir, "acme.nexxt.json")).mode & 0o777).toBe(0o600);
  });
});

describe("--dir never makes new-customer write outside a project", () => {
  const CUSTOMER_TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
  async function newCustomer(cwd: string, dir: string) {
    const io = memoryIo({ cwd, now: () => new Date("2026-12-01T00:00:00Z") });
    const code = await run(["new-customer", "x", "--tenant-id", CUSTOMER_TENANT, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl", "--dir", dir], io);
    return { code, err: io.err.join("\n") };
  }

  it("a directory in no project (as `--dir /` was) is refused; nothing is written there", async () => {
    const outside = mkdtempSync(path.join(tmpdir(), "hostile-noproject-"));
    const { code, err } = await newCustomer(tmpdir(), outside);
    expect(code).toBe(2);
    expect(err).toMatch(/is not inside a project \(no Pulumi\.yaml in it or in any directory above it\)/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("a project's stacks/ that is a symlink to a directory outside it is refused", async () => {
    const project = mkdtempSync(path.join(tmpdir(), "hostile-project-"));
    writeFileSync(path.join(project, "Pulumi.yaml"), "name: nexxt\nruntime: nodejs\nstackConfigDir: stacks\n");
    const outside = mkdtempSync(path.join(tmpdir(), "hostile-elsewhere-"));
    symlinkSync(outside, path.join(project, "stacks"));
    const { code, err } = await newCustomer(project, ".");
    expect(code).toBe(2);
    expect(err).toMatch(/leads outside the project/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("the project root and its stacks/ still work", async () => {
    const project = mkdtempSync(path.join(tmpdir(), "hostile-project-"));
    writeFileSync(path.join(project, "Pulumi.yaml"), "name: nexxt\nruntime: nodejs\nstackConfigDir: stacks\n");
    mkdirSync(path.join(project, "stacks"));
    const created = await newCustomer(tmpdir(), project);
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(existsSync(path.join(project, "stacks", "Pulumi.x.yaml"))).toBe(true);
  });
});
