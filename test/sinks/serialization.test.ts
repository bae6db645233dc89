import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { serializeConnectorDocument } from "../../src/nexxt/connectorDocument";
import { FakeNexxt, startFakeNexxt } from "../fakes/nexxtServer";
import { CLIENT_SECRET, NEXXT_TOKEN, sampleDocument } from "../fakes/secrets";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const FIXTURES = path.join(__dirname, "fixtures");

/**
 * What `pulumi up` does with a dynamic provider: serialize it in the program's process, then load
 * the text in the dynamic-provider host, another process, and call it there. Both steps run here
 * in real child processes; the second has neither ts-node nor the project's sources loaded.
 */
describe("sink providers survive Pulumi's serialization into another process", () => {
  let nexxt: FakeNexxt;
  let scratch: string;
  let providers: Record<string, unknown>;

  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), "serialized-"));
    nexxt = await startFakeNexxt([]);
    const { stdout } = await run(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(FIXTURES, "serializeProviders.ts"), nexxt.url(), scratch, CLIENT_SECRET, NEXXT_TOKEN],
      { cwd: ROOT, timeout: 60_000 },
    );
    providers = JSON.parse(stdout) as Record<string, unknown>;
  }, 90_000);

  afterAll(async () => {
    await nexxt.close();
    await fs.rm(scratch, { recursive: true, force: true });
  });

  async function callSerialized(type: string, method: string, args: unknown[]): Promise<{ result?: unknown; error?: string }> {
    const providerFile = path.join(scratch, `${type.replace(/\W/g, "_")}.js`);
    const argsFile = path.join(scratch, `${method}-args.json`);
    await fs.writeFile(providerFile, String(providers[type]));
    await fs.writeFile(argsFile, JSON.stringify(args));
    // The host runs in the project directory and resolves node_modules from there.
    const { stdout } = await run(process.execPath, [path.join(FIXTURES, "runSerializedProvider.js"), providerFile, method, argsFile], {
      cwd: ROOT,
      timeout: 30_000,
    });
    await fs.rm(argsFile);
    return JSON.parse(stdout);
  }

  const FILE = "pulumi-nodejs:dynamic/nexxt:ConnectorFile";
  const PUSH = "pulumi-nodejs:dynamic/nexxt:NexxtConfigPush";

  it("serializes each provider as plain text that holds neither the secret nor the token", () => {
    for (const type of [FILE, PUSH]) {
      const text = providers[type];
      expect(typeof text).toBe("string");
      expect(text).toContain("exports.handler");
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(NEXXT_TOKEN);
    }
    // Node's own modules and packages are required by name, not copied; the project's own code
    // is copied by value. Where the provider runs, the one package it needs from node_modules is
    // axios (a run-time dependency, so `npm ci --omit=dev` keeps it), required when the first
    // request goes out; axios' own code is not in the copy.
    const push = String(providers[PUSH]);
    expect(push.match(/require\("[^"]*"\)/g)?.sort()).toEqual(['require("axios")', 'require("http")', 'require("https")']);
    expect(push).not.toMatch(/class AxiosError|require\("\.\.?\//);
  });

  it("the deserialized push provider PUTs and DELETEs", async () => {
    const before = nexxt.requests.length;
    const inputs = { url: nexxt.url("/api/acme"), apiToken: NEXXT_TOKEN, document: sampleDocument(), retainOnDelete: false, timeoutMs: 2_000, retries: 2 };
    const created = await callSerialized(PUSH, "create", [inputs]);
    expect(created.error).toBeUndefined();
    expect(created.result).toMatchObject({ id: nexxt.url("/api/acme"), outs: { status: 200 } });
    const deleted = await callSerialized(PUSH, "delete", ["id", { ...inputs, status: 200 }]);
    expect(deleted).toEqual({ result: null });
    const seen = nexxt.requests.slice(before);
    expect(seen.map((r) => [r.method, r.url])).toEqual([
      ["PUT", "/api/acme"],
      ["DELETE", "/api/acme"],
    ]);
    expect(seen[0].body).toBe(serializeConnectorDocument(sampleDocument()));
    expect(seen[0].headers.authorization).toBe(`Bearer ${NEXXT_TOKEN}`);
  });

  it("the deserialized push provider retries network errors and reports a refusal without the token", async () => {
    const dropping = await startFakeNexxt([{ drop: true }, { status: 401, body: { message: `bad token ${NEXXT_TOKEN}` } }]);
    try {
      const inputs = { url: dropping.url(), apiToken: NEXXT_TOKEN, document: sampleDocument(), timeoutMs: 2_000, retries: 2 };
      const outcome = await callSerialized(PUSH, "create", [inputs]);
      expect(outcome.error).toMatch(
        /^Nexxt did not accept the connector configuration: PUT .* failed with HTTP 401 after 2 attempts: bad token \[redacted\]; check the API token \(nexxt:apiToken\)/,
      );
      expect(outcome.error).not.toContain(NEXXT_TOKEN);
      expect(dropping.requests).toHaveLength(2);
    } finally {
      await dropping.close();
    }
  });

  it("the deserialized file provider writes 0600 files and removes them", async () => {
    const directory = path.join(scratch, "out");
    const inputs = { directory, stackName: "acme", document: sampleDocument(), handoff: "# hand-off\n" };
    const created = await callSerialized(FILE, "create", [inputs]);
    expect(created.error).toBeUndefined();
    const jsonPath = path.join(directory, "acme.nexxt.json");
    expect(await fs.readFile(jsonPath, "utf8")).toBe(serializeConnectorDocument(sampleDocument()));
    expect((await fs.stat(jsonPath)).mode & 0o777).toBe(0o600);
    const outs = (created.result as { outs: unknown }).outs;
    expect(await callSerialized(FILE, "delete", [jsonPath, outs])).toEqual({ result: null });
    expect(await fs.readdir(directory)).toEqual([]);
  });

  it("the deserialized file provider reports an unwritable directory in one clear sentence", async () => {
    const blocker = path.join(scratch, "a-file");
    await fs.writeFile(blocker, "");
    const inputs = { directory: path.join(blocker, "out"), stackName: "acme", document: sampleDocument(), handoff: "x" };
    const outcome = await callSerialized(FILE, "create", [inputs]);
    expect(outcome.error).toBe(
      `The connector configuration directory '${path.join(blocker, "out")}' cannot be created (a part of its path is a file); create it as a writable directory or set nexxt:connectorConfigDir to one that is.`,
    );
    expect(JSON.stringify(outcome)).not.toContain(CLIENT_SECRET);
  });
});
