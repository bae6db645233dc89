import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConnectorFileInputs, ConnectorFileOutputs, ConnectorFileProvider } from "../../src/connector/sinks/connectorFile";
import { parseConnectorDocument, serializeConnectorDocument } from "../../src/nexxt/connectorDocument";
import { renderHandoff } from "../../src/nexxt/handoff";
import { UserError } from "../../src/errors";
import { allText, CLIENT_SECRET, sampleDocument } from "../fakes/secrets";

describe("ConnectorFileProvider", () => {
  let dir: string;
  const provider = new ConnectorFileProvider();
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "connector-file-"));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const inputs = (overrides: Partial<ConnectorFileInputs> = {}): ConnectorFileInputs => {
    const document = overrides.document ?? sampleDocument();
    return { directory: dir, stackName: "acme", document, handoff: renderHandoff({ stack: "acme", document }), ...overrides };
  };
  const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;

  it("creates <stack>.nexxt.json and <stack>.handoff.md, both 0600, and nothing else", async () => {
    const { id, outs } = await provider.create(inputs());
    const jsonPath = path.join(dir, "acme.nexxt.json");
    const handoffPath = path.join(dir, "acme.handoff.md");
    expect(id).toBe(jsonPath);
    expect(outs).toMatchObject({ connectorFilePath: jsonPath, handoffFilePath: handoffPath });
    expect(await fs.readFile(jsonPath, "utf8")).toBe(serializeConnectorDocument(sampleDocument()));
    expect(parseConnectorDocument(JSON.parse(await fs.readFile(jsonPath, "utf8")), jsonPath)).toEqual(sampleDocument());
    expect(await fs.readFile(handoffPath, "utf8")).toContain("# Nexxt Office 365 link: acme");
    expect(await fs.readFile(handoffPath, "utf8")).not.toContain(CLIENT_SECRET);
    expect(await modeOf(jsonPath)).toBe(0o600);
    expect(await modeOf(handoffPath)).toBe(0o600);
    expect((await fs.readdir(dir)).sort()).toEqual(["acme.handoff.md", "acme.nexxt.json"]);
  });

  it("diff: a new secret or hand-off is an update; nothing changed is no change", async () => {
    const { outs } = await provider.create(inputs());
    expect(await provider.diff("id", outs!, inputs())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await provider.diff("id", outs!, inputs({ document: sampleDocument({ apiKey: "rotated-secret-value" }) }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await provider.diff("id", outs!, inputs({ handoff: "other" }))).changes).toBe(true);
  });

  it("diff: another directory or stack name replaces, deleting the old files first", async () => {
    const { outs } = await provider.create(inputs());
    expect(await provider.diff("id", outs!, inputs({ directory: path.join(dir, "elsewhere") }))).toEqual({
      changes: true,
      replaces: ["directory"],
      deleteBeforeReplace: true,
    });
    expect((await provider.diff("id", outs!, inputs({ stackName: "acme2" }))).replaces).toEqual(["stackName"]);
  });

  it("update rewrites the file whole with the new secret, atomically, still 0600", async () => {
    const { outs } = await provider.create(inputs());
    const jsonPath = outs!.connectorFilePath;
    const before = await fs.stat(jsonPath);
    const rotated = sampleDocument({ apiKey: "rotated-secret-value", secretExpiresAt: "2028-05-27T00:00:00.000Z" });
    const { outs: updated } = await provider.update("id", outs!, inputs({ document: rotated }));
    expect(updated?.document.apiKey).toBe("rotated-secret-value");
    const text = await fs.readFile(jsonPath, "utf8");
    expect(text).toBe(serializeConnectorDocument(rotated));
    expect(text).not.toContain(CLIENT_SECRET);
    expect((await fs.stat(jsonPath)).ino).not.toBe(before.ino);
    expect(await modeOf(jsonPath)).toBe(0o600);
    expect((await fs.readdir(dir)).sort()).toEqual(["acme.handoff.md", "acme.nexxt.json"]);
  });

  it("delete removes both files on destroy, and a second destroy is harmless", async () => {
    const { outs } = await provider.create(inputs());
    await fs.writeFile(path.join(dir, "unrelated.txt"), "keep me");
    await provider.delete("id", outs!);
    expect(await fs.readdir(dir)).toEqual(["unrelated.txt"]);
    await expect(provider.delete("id", outs!)).resolves.toBeUndefined();
  });

  it("delete finds the files from directory and stack name when older state lacks the paths", async () => {
    const { outs } = await provider.create(inputs());
    const { connectorFilePath: _a, handoffFilePath: _b, ...older } = outs!;
    await provider.delete("id", older as ConnectorFileOutputs);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it("fails clearly when the directory cannot be written, and never shows the secret", async () => {
    await fs.writeFile(path.join(dir, "a-file"), "");
    const badDirectory = path.join(dir, "a-file", "out");
    const error = await provider.create(inputs({ directory: badDirectory })).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(`The connector configuration directory '${badDirectory}' cannot be created`);
    expect(error.message).toContain("set nexxt:connectorConfigDir");
    expect(allText(error)).not.toContain(CLIENT_SECRET);
  });
});
