import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRIVATE_FILE_MODE, removeFileIfPresent, writeFileAtomic } from "../../src/util/atomicFile";
import { UserError } from "../../src/errors";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "atomic-"));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("creates the file with mode 0600 even under a permissive umask", async () => {
    const previous = process.umask(0);
    try {
      await writeFileAtomic(path.join(dir, "a.json"), "{}\n");
    } finally {
      process.umask(previous);
    }
    const stat = await fs.stat(path.join(dir, "a.json"));
    expect(stat.mode & 0o777).toBe(PRIVATE_FILE_MODE);
    expect(await fs.readFile(path.join(dir, "a.json"), "utf8")).toBe("{}\n");
  });

  it("replaces an existing file whole by rename (new inode), tightens its mode, and leaves no temporary file", async () => {
    const target = path.join(dir, "a.json");
    await fs.writeFile(target, "old content that is much longer than the new one\n", { mode: 0o644 });
    const before = await fs.stat(target);
    await writeFileAtomic(target, "new\n");
    const after = await fs.stat(target);
    expect(await fs.readFile(target, "utf8")).toBe("new\n");
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(await fs.readdir(dir)).toEqual(["a.json"]);
  });

  it("creates a missing directory, private to its owner", async () => {
    const target = path.join(dir, "out", "nested", "a.json");
    await writeFileAtomic(target, "x");
    expect(await fs.readFile(target, "utf8")).toBe("x");
    expect((await fs.stat(path.dirname(target))).mode & 0o777).toBe(0o700);
  });

  it("names the directory and the setting when a part of its path is a file (fails even for root)", async () => {
    await fs.writeFile(path.join(dir, "plain-file"), "");
    const badDir = path.join(dir, "plain-file", "out");
    const error = await writeFileAtomic(path.join(badDir, "a.json"), "secret-content", { directorySetting: "nexxt:connectorConfigDir" }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `The connector configuration directory '${badDir}' cannot be created (a part of its path is a file); create it as a writable directory or set nexxt:connectorConfigDir to one that is.`,
    );
    expect(error.message).not.toContain("secret-content");
  });

  it("says so when the directory is itself a file", async () => {
    const fileAsDir = path.join(dir, "out");
    await fs.writeFile(fileAsDir, "");
    await expect(writeFileAtomic(path.join(fileAsDir, "a.json"), "x")).rejects.toThrow(/'.*\/out' cannot be created \(a file of that name exists\)/);
  });

  it("cleans up its temporary file when the rename fails", async () => {
    const target = path.join(dir, "target");
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, "keep"), "");
    await expect(writeFileAtomic(target, "x")).rejects.toThrow();
    expect((await fs.readdir(dir)).sort()).toEqual(["target"]);
  });
});

describe("removeFileIfPresent", () => {
  it("removes a file, and counts a missing one as removed", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "atomic-"));
    const target = path.join(dir, "a");
    await fs.writeFile(target, "x");
    expect(await removeFileIfPresent(target)).toBe(true);
    expect(await removeFileIfPresent(target)).toBe(false);
    await expect(fs.stat(target)).rejects.toMatchObject({ code: "ENOENT" });
    await fs.rm(dir, { recursive: true });
  });
});
