/**
 * Class 4 of issue 11: files and values that are not what they claim. Real FIFOs (mkfifo),
 * devices, directories, symlinks, huge sparse files, non-UTF-8 bytes and crafted YAML.
 */
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { HostileServer, json, startHostile } from "./hostileServer";
import { APP, CANARY_NEXXT_TOKEN, CANARY_SECRET, TENANT, connectorDocument } from "./fakeMicrosoft";

let servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function cli(args: string[], cwd: string, env: Record<string, string> = { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }) {
  const io = memoryIo({ env, cwd, now: () => new Date("2026-12-01T00:00:00Z") });
  const code = await run(args, io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n"), output: [...io.out, ...io.err].join("\n") };
}

/** A throwaway directory that is also a project root (commands that read stacks look for Pulumi.yaml). */
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-files-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: nexxt\nruntime: nodejs\nstackConfigDir: stacks\n");
  return dir;
}

const doc = (over: Record<string, unknown> = {}) => JSON.stringify(connectorDocument(over));

/** A project directory with stacks/Pulumi.<name>.yaml files. */
function project(stacks: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, "stacks"));
  for (const [name, text] of Object.entries(stacks)) writeFileSync(path.join(dir, "stacks", `Pulumi.${name}.yaml`), text);
  return dir;
}

const stackYaml = (lines: string[]) => ["config:", `  nexxt:tenantId: ${TENANT}`, `  nexxt:rotationStart: "2026-01-01"`, ...lines.map((line) => `  ${line}`), ""].join("\n");

describe("paths that are not regular files of sane size are refused, without hanging or allocating", () => {
  it("verify --config on a FIFO with no writer returns at once with one sentence", async () => {
    const dir = tempDir();
    execFileSync("mkfifo", [path.join(dir, "c.json")]);
    const started = Date.now();
    const { code, err } = await cli(["verify", "--config", "c.json"], dir);
    expect(code).toBe(2);
    expect(err).toBe("error: --config c.json is a FIFO (named pipe), not a regular file; give the path of the connector configuration JSON that `pulumi up` wrote.");
    expect(Date.now() - started).toBeLessThan(2_000);
  }, 10_000);

  it("verify --config /dev/zero is refused as a device", async () => {
    const { code, err } = await cli(["verify", "--config", "/dev/zero"], tempDir());
    expect(code).toBe(2);
    expect(err).toMatch(/\/dev\/zero is a character device, not a regular file/);
  });

  it("map-users --nexxt-users on a directory, and on a 3 GB sparse file, is refused before any request", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "export"));
    const fd = openSync(path.join(dir, "huge.csv"), "w");
    ftruncateSync(fd, 3 * 1024 ** 3);
    closeSync(fd);
    const ms: HostileServer = await startHostile((_req, res) => json(res, 500, {}));
    servers.push(ms);
    const flags = ["--tenant-id", TENANT, "--client-id", APP, "--authority-host", ms.origin, "--graph-url", ms.origin];
    const asDir = await cli(["map-users", ...flags, "--nexxt-users", "export"], dir);
    const huge = await cli(["map-users", ...flags, "--nexxt-users", "huge.csv"], dir);
    expect([asDir.code, huge.code]).toEqual([2, 2]);
    expect(asDir.err).toMatch(/--nexxt-users export is a directory, not a regular file/);
    expect(huge.err).toMatch(/--nexxt-users huge\.csv is 3221225472 bytes, more than/);
    expect(ms.requests).toHaveLength(0);
  });

  it("a CSV export with a stray quote at its end is one sentence, not a hang", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "users.csv"), 'id,email,name\n1,a@contoso.nl,=HYPERLINK("http://evil.example/","Bob")\n');
    const ms: HostileServer = await startHostile((_req, res) => json(res, 500, {}));
    servers.push(ms);
    const { code, err } = await cli(
      ["map-users", "--tenant-id", TENANT, "--client-id", APP, "--authority-host", ms.origin, "--graph-url", ms.origin, "--retries", "0", "--nexxt-users", "users.csv"],
      dir,
    );
    expect(code).toBe(2);
    expect(err).toMatch(/is not a readable CSV export/);
  }, 10_000);

  it("an export with bytes that are not UTF-8 is refused, not passed through", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "users.csv"), Buffer.concat([Buffer.from("id,email,name\n1,a@contoso.nl,Jos"), Buffer.from([0xe9, 0xff]), Buffer.from("\n")]));
    const { code, err } = await cli(["map-users", "--tenant-id", TENANT, "--client-id", APP, "--nexxt-users", "users.csv"], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/is not UTF-8 text/);
  });

  it("validate reports a symlinked stack file instead of skipping it and saying 'all valid'", async () => {
    const dir = project({ acme: stackYaml(['nexxt:companyId: "4711"']) });
    const elsewhere = path.join(tempDir(), "real.yaml");
    writeFileSync(elsewhere, stackYaml(['nexxt:companyId: "4712"']));
    symlinkSync(elsewhere, path.join(dir, "stacks", "Pulumi.linked.yaml"));
    const { code, out } = await cli(["validate"], dir);
    expect(code).toBe(1);
    expect(out).toMatch(/Pulumi\.linked\.yaml is a symbolic link/);
    expect(out).not.toMatch(/all valid/);
  });

  it("validate reports a FIFO named like a stack file, without hanging", async () => {
    const dir = project({ acme: stackYaml(['nexxt:companyId: "4711"']) });
    execFileSync("mkfifo", [path.join(dir, "stacks", "Pulumi.pipe.yaml")]);
    const { code, out } = await cli(["validate"], dir);
    expect(code).toBe(1);
    expect(out).toMatch(/Pulumi\.pipe\.yaml is a FIFO/);
  }, 10_000);
});

describe("values are kept as written or refused, never silently converted", () => {
  it.each(["0012", "0x1F"])("an unquoted companyId %s is judged as the text written (as Pulumi passes it) and refused, never read as a number", async (written) => {
    const dir = project({ acme: stackYaml([`nexxt:companyId: ${written}`]) });
    const { code, err } = await cli(["plan", "--stack", "acme", "--json"], dir);
    // YAML would read 0012 as 12 and 0x1F as 31; the rule (a positive whole number, no leading
    // zero) refuses the text as written, and the sentence quotes it as written.
    expect(code).toBe(2);
    expect(err).toContain(`nexxt:companyId '${written}' is not a Company ID`);
    expect(err).not.toMatch(/'12'|'31'/);
  });

  it("a licence URL with a malformed % escape is one sentence naming key and file (exit 2, not 'URI malformed')", async () => {
    const dir = project({ acme: stackYaml(["nexxt:companyId: https://pbx.example.nl/accounts/edit/%E0%A4%A"]) });
    const { code, err } = await cli(["plan", "--stack", "acme"], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: stacks\/Pulumi\.acme\.yaml: nexxt:companyId .* malformed % escape/);
    expect(err).not.toMatch(/URI malformed/);
  });

  it.each(["2027-02-30", "2027-13-01", "2027-2-3"])("plan --at %s (a day that does not exist) is refused", async (at) => {
    const dir = project({ acme: stackYaml(['nexxt:companyId: "4711"']) });
    const { code, err } = await cli(["plan", "--stack", "acme", "--at", at], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/is not a date that exists/);
  });

  it("a line break in a stack value cannot forge the shared-tenant marker", async () => {
    const forged = stackYaml(['nexxt:companyId: "4711"', "nexxt:displayName: |-", "    Acme", "    # nexxt-onboard: shared-tenant"]);
    const dir = project({
      acme: forged,
      beta: stackYaml(['nexxt:companyId: "4712"', "# nexxt-onboard: shared-tenant"]).replace("config:\n", "# nexxt-onboard: shared-tenant\nconfig:\n"),
    });
    const { code, out } = await cli(["validate"], dir);
    expect(code).toBe(1);
    expect(out).toMatch(/nexxt:displayName holds a line break or another control character/);
  });

  it("new-customer refuses a display name with a line break instead of writing it", async () => {
    const dir = project({});
    const { code, err } = await cli(["new-customer", "acme", "--tenant-id", TENANT, "--company-id", "4711", "--display-name", "Acme\n# nexxt-onboard: shared-tenant"], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/line break or another control character/);
    expect(() => readFileSync(path.join(dir, "stacks", "Pulumi.acme.yaml"))).toThrow();
  });
});

describe("push-config checks the document as strictly as the program writes it", () => {
  it.each([
    ["an http:// token endpoint", { oauth2TokenEndpoint: `http://login.microsoftonline.com/${TENANT}/oauth2/token` }, /oauth2TokenEndpoint' must be an https URL/],
    ["a non-GUID application ID", { applicationId: "app-1" }, /applicationId' is not a GUID/],
    ["a non-ISO expiry", { secretExpiresAt: "March 7" }, /secretExpiresAt' is not an ISO 8601 instant/],
    ["an impossible expiry", { secretExpiresAt: "2027-02-30T00:00:00Z" }, /secretExpiresAt' is not an ISO 8601 instant/],
  ])("refuses %s before sending anything", async (_what, over, message) => {
    const nexxt = await startHostile((_req, res) => json(res, 200, {}));
    servers.push(nexxt);
    const dir = tempDir();
    writeFileSync(path.join(dir, "c.json"), doc(over));
    const { code, err } = await cli(["push-config", "--config", "c.json", "--api-url", nexxt.url("/api/office365")], dir);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(nexxt.requests).toHaveLength(0);
  });
});
