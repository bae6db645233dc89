/**
 * Issue 18, "echo from argument checks": a value put where an ID, a URL, a variable name, a file
 * or a positional belongs may be a secret pasted in the wrong place. The refusal names the flag
 * and what was expected, and quotes the value only when it cannot be a secret (quoteRejected in
 * src/util/redact.ts); secrets the environment holds are masked before any flag is judged
 * (src/cli/environmentSecrets.ts). Real files; the CLI runs in-process as in the other hostile
 * tests, through the same entry point and redacting io as a user's run.
 */
import { readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { tempProject } from "../support/tempProject";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { clearSecretRegistry } from "../../src/util/redact";
import { APP, CANARY_NEXXT_TOKEN, CANARY_SECRET, TENANT, connectorDocument } from "./fakeMicrosoft";

/** A token as an API might issue it: letters and digits only, so it passes for a word, a name, a path. */
const WORDLIKE_TOKEN = "apiTok7a1b2c3d4e5f6071QWERzy";

async function cli(args: string[], env: Record<string, string>, cwd = process.cwd()) {
  const io = memoryIo({ env, cwd });
  const code = await run(args, io);
  return { code, output: [...io.out, ...io.err].join("\n") };
}

/** Not the value, nor any 12-character piece of it. */
function expectNotEchoed(output: string, value: string): void {
  const pieces = Array.from({ length: Math.max(1, value.length - 11) }, (_, at) => value.slice(at, at + 12));
  expect(pieces.filter((piece) => output.includes(piece))).toEqual([]);
}

/** A project directory (Pulumi.yaml, stacks/), so new-customer has somewhere to write; the other commands ignore it. */
const project = () => tempProject();
const graph = (...extra: string[]) => ["verify", "--tenant-id", TENANT, "--client-id", APP, ...extra];
const apply = ["--nexxt-users", "users.csv", "--apply", "--nexxt-user-url"];

// The registry is process-wide: each case starts from a process that has registered nothing,
// as a user's run does, so only the mechanism under test can mask the value.
beforeEach(() => clearSecretRegistry());

describe.each([
  ["a token no variable holds", WORDLIKE_TOKEN, {} as Record<string, string>],
  ["the client secret the environment holds", CANARY_SECRET, { NEXXT_CLIENT_SECRET: CANARY_SECRET }],
])("%s, put where something else belongs, is never quoted back", (_what, value, env) => {
  it.each([
    ["--client-id", () => ["verify", "--tenant-id", TENANT, "--client-id", value], /--client-id .*is not a GUID/],
    ["--tenant-id", () => ["verify", "--tenant-id", value, "--client-id", APP], /--tenant-id .*is not a tenant ID/],
    ["--client-secret-env", () => graph("--client-secret-env", value), /--client-secret-env|Environment variable/],
    ["--api-token-env", () => ["push-config", "--config", "c.json", "--api-url", "https://pbx.example.nl/api", "--api-token-env", value], /--api-token-env|Environment variable/],
    ["--nexxt-user-url (not a URL)", () => ["map-users", "--tenant-id", TENANT, "--client-id", APP, ...apply, value], /--nexxt-user-url/],
    ["--nexxt-user-url (no {id})", () => ["map-users", "--tenant-id", TENANT, "--client-id", APP, ...apply, `https://pbx.example.nl/api/users/${value}`], /no \{id\} placeholder/],
    ["--nexxt-user-url (plain http)", () => ["map-users", "--tenant-id", TENANT, "--client-id", APP, ...apply, `http://pbx.example.nl/${value}/{id}`], /must use https/],
    ["--api-url", () => ["push-config", "--config", "c.json", "--api-url", value], /--api-url .*is not a URL/],
    ["--authority-host", () => graph("--authority-host", value), /--authority-host .*is not a URL/],
    ["--timeout-ms", () => graph("--timeout-ms", value), /--timeout-ms .*must be a whole number/],
    ["--cloud", () => graph("--cloud", value), /--cloud .*is not a Microsoft cloud/],
    ["--at", () => ["due", "--at", value], /--at .*is not a date/],
    ["secrets-report --dir", () => ["secrets-report", "--dir", value], /--dir /],
    ["--config", () => ["verify", "--config", value], /--config/],
    ["a stray positional", () => ["verify", value, "--tenant-id", TENANT, "--client-id", APP], /does not take|unexpected value/],
    ["plan --stack", () => ["plan", "--stack", value], /Stack name .*is not allowed|There is no stack file for \(/],
    ["validate --dir", () => ["validate", "--dir", value], /The stack directory .*does not exist|--dir/],
    ["new-customer <name>.yaml", () => ["new-customer", `${value}.yaml`, "--tenant-id", TENANT, "--company-id", "4711"], /is a file name|Stack name/],
    ["new-customer --tenant-id", () => ["new-customer", "acme", "--tenant-id", value, "--company-id", "4711"], /nexxt:tenantId .*is not a GUID/],
    ["new-customer --company-id", () => ["new-customer", "acme", "--tenant-id", TENANT, "--company-id", value], /nexxt:companyId .*is not/],
    ["new-customer --nexxt-url", () => ["new-customer", "acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-url", value], /nexxt:url .*is not an https base URL/],
  ])("%s", async (_flag, args, message) => {
    const dir = project();
    writeFileSync(path.join(dir, "c.json"), JSON.stringify(connectorDocument({ apiKey: "another-fake-key-000" })));
    writeFileSync(path.join(dir, "users.csv"), "id,email\n101,u-1@contoso.nl\n");
    const { code, output } = await cli(args(), { NEXXT_CLIENT_SECRET: "x-other-secret-000", NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN, ...env }, dir);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expectNotEchoed(output, value);
    // Refused before anything was written.
    expect(readdirSync(path.join(dir, "stacks"))).toEqual([]);
  });
});

describe("a secret file given as the export", () => {
  it.each([
    ["the client secret", CANARY_SECRET],
    ["a word-like API token", WORDLIKE_TOKEN],
    ["two secrets on one line", `${WORDLIKE_TOKEN},${CANARY_NEXXT_TOKEN}`],
  ])("holding %s is not quoted as its columns", async (_what, content) => {
    const dir = project();
    writeFileSync(path.join(dir, "secret.txt"), `${content}\n`);
    const { code, output } = await cli(["map-users", "--tenant-id", TENANT, "--client-id", APP, "--nexxt-users", "secret.txt"], { NEXXT_CLIENT_SECRET: "x-other-secret-000" }, dir);
    expect(code).toBe(2);
    expect(output).toMatch(/has no id column .*not shown, as (it does|they do) not look like column names \(is this the export\?\)/);
    for (const value of content.split(",")) expectNotEchoed(output, value);
  });

  it("still names the columns of a real export that lacks the one asked for", async () => {
    const dir = project();
    writeFileSync(path.join(dir, "users.csv"), "Gebruiker ID;E-mailadres;Naam\n101;u-1@contoso.nl;U\n");
    const { code, output } = await cli(
      ["map-users", "--tenant-id", TENANT, "--client-id", APP, "--nexxt-users", "users.csv", "--id-column", "id"],
      { NEXXT_CLIENT_SECRET: "x-other-secret-000" },
      dir,
    );
    expect(code).toBe(2);
    expect(output).toContain("its columns are 'Gebruiker ID', 'E-mailadres', 'Naam'");
  });
});

describe("values that passed the check, or cannot be secrets, are still quoted", () => {
  it.each([
    [["verify", "--tenant-id", TENANT, "--client-id", "1234"], "--client-id '1234' is not a GUID"],
    [["verify", "--tenant-id", TENANT, "--client-id", APP, "--timeout-ms", "ten"], "--timeout-ms 'ten' must be a whole number"],
    [["verify", "--tenant-id", TENANT, "--client-id", APP, "--cloud", "publik"], "--cloud 'publik' is not a Microsoft cloud"],
    [["due", "--at", "2027-02-30"], "--at '2027-02-30' is not a date that exists"],
    [["verify", "--tenant-id", TENANT, "--client-id", APP, "--client-secret-env", "MY_SECRET_VAR"], "Environment variable MY_SECRET_VAR is empty or not set"],
    [["verify", "acme", "--tenant-id", TENANT, "--client-id", APP], "verify does not take 'acme' here"],
  ])("%j", async (args, message) => {
    const { code, output } = await cli(args, {}, project());
    expect(code).toBe(2);
    expect(output).toContain(message);
  });
});
