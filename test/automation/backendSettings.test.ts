import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMBEDDED_STATE_DIR, defaultPassphraseFile, resolveBackend } from "../../src/automation/backendSettings";
import { ensureStack } from "../../src/automation/ensureStack";

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "backend-"));

describe("resolveBackend", () => {
  it("never replaces a passphrase file that exists, and hands the CLI only its name", () => {
    const home = scratch();
    const project = scratch();
    const env = { HOME: home };
    const first = resolveBackend({ projectDir: project, env, embeddedDefaults: true });
    const file = defaultPassphraseFile(env);
    expect(first.createdPassphraseFile).toBe(file);
    const phrase = fs.readFileSync(file, "utf8");
    expect(phrase.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = resolveBackend({ projectDir: project, env, embeddedDefaults: true });
    expect(second.createdPassphraseFile).toBeUndefined();
    expect(fs.readFileSync(file, "utf8")).toBe(phrase);
    expect(JSON.stringify(second)).not.toContain(phrase.trim());
    expect(second.env).toMatchObject({ PULUMI_CONFIG_PASSPHRASE_FILE: file, PULUMI_BACKEND_URL: `file://${path.join(project, EMBEDDED_STATE_DIR)}` });
  });

  it("refuses a default passphrase file inside the project (a HOME inside the repository)", () => {
    const project = scratch();
    expect(() => resolveBackend({ projectDir: project, env: { HOME: path.join(project, "home") }, embeddedDefaults: true })).toThrow("would be inside the project");
  });

  it("in the pipeline, never a local default: both the backend and the passphrase must come from the job", () => {
    const project = scratch();
    expect(() => resolveBackend({ projectDir: project, env: {}, embeddedDefaults: false })).toThrow("PULUMI_BACKEND_URL is not set");
    expect(() => resolveBackend({ projectDir: project, env: { PULUMI_BACKEND_URL: "azblob://state" }, embeddedDefaults: false })).toThrow(
      "Neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set",
    );
    const ok = resolveBackend({ projectDir: project, env: { PULUMI_BACKEND_URL: "azblob://state", PULUMI_CONFIG_PASSPHRASE: "x" }, embeddedDefaults: false });
    expect(ok).toMatchObject({ backendUrl: "azblob://state", embeddedBackend: false });
    expect(ok.passphraseFile).toBeUndefined();
    expect(ok.env.PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER).toBe("true");
    expect(fs.existsSync(path.join(project, EMBEDDED_STATE_DIR))).toBe(false);
  });
});

describe("ensureStack", () => {
  const notFound = Object.assign(new Error("code: 1\n stderr: error: no stack named 'acme' found"), { name: "StackNotFoundError" });

  it("creates only when the backend says there is no such stack, and only when asked to", async () => {
    const calls: string[] = [];
    const workspace = {
      selectStack: async (name: string) => {
        calls.push(`select ${name}`);
        throw notFound;
      },
      createStack: async (name: string) => {
        calls.push(`create ${name}`);
      },
    };
    expect(await ensureStack(workspace, "acme", { create: false })).toBe("missing");
    expect(await ensureStack(workspace, "acme", { create: true })).toBe("created");
    expect(calls).toEqual(["select acme", "select acme", "create acme"]);
  });

  it("gives up on a backend that does not answer, and creates nothing", async () => {
    const created: string[] = [];
    const workspace = {
      selectStack: () => new Promise<void>(() => undefined),
      createStack: async (name: string) => {
        created.push(name);
      },
    };
    await expect(ensureStack(workspace, "acme", { create: true, timeoutMs: 20 })).rejects.toThrow("pulumi stack select --stack acme did not answer within 0 s");
    expect(created).toEqual([]);
  });

  it("never creates a stack because its lookup failed for another reason", async () => {
    const created: string[] = [];
    const workspace = {
      selectStack: async () => {
        throw Object.assign(new Error("error: incorrect passphrase"), { name: "CommandError" });
      },
      createStack: async (name: string) => {
        created.push(name);
      },
    };
    await expect(ensureStack(workspace, "acme", { create: true })).rejects.toThrow("incorrect passphrase");
    expect(created).toEqual([]);
  });
});
