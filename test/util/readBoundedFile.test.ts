import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { FileRefused, readBoundedFile } from "../../src/util/readBoundedFile";

const dir = mkdtempSync(path.join(tmpdir(), "bounded-"));
const options = { what: "--file", maxBytes: 1024, hint: "give a small text file" };
const refusal = (file: string, over = {}) => {
  try {
    readBoundedFile(file, { ...options, ...over });
  } catch (err) {
    expect(err).toBeInstanceOf(FileRefused);
    return err as FileRefused;
  }
  throw new Error("not refused");
};

describe("readBoundedFile", () => {
  it("reads a small UTF-8 file, BOM kept for the caller", () => {
    writeFileSync(path.join(dir, "ok.txt"), "\uFEFFZoë");
    expect(readBoundedFile(path.join(dir, "ok.txt"), options)).toBe("\uFEFFZoë");
  });

  it("refuses a FIFO without blocking, a device, a directory and a missing path", () => {
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    mkdirSync(path.join(dir, "sub"));
    expect(refusal(path.join(dir, "pipe")).refusal).toBe("not-regular");
    expect(refusal("/dev/zero").message).toBe("--file /dev/zero is a character device, not a regular file; give a small text file.");
    expect(refusal(path.join(dir, "sub")).message).toMatch(/is a directory/);
    expect(refusal(path.join(dir, "nope")).refusal).toBe("missing");
  });

  it("refuses a symlink unless allowed, and then checks its target", () => {
    writeFileSync(path.join(dir, "target.txt"), "hi");
    symlinkSync(path.join(dir, "target.txt"), path.join(dir, "link.txt"));
    symlinkSync("/dev/zero", path.join(dir, "zero-link"));
    expect(refusal(path.join(dir, "link.txt")).refusal).toBe("symlink");
    expect(readBoundedFile(path.join(dir, "link.txt"), { ...options, allowSymlink: true })).toBe("hi");
    expect(refusal(path.join(dir, "zero-link"), { allowSymlink: true }).refusal).toBe("not-regular");
  });

  it("refuses a huge sparse file by its size, before reading it", () => {
    const fd = openSync(path.join(dir, "sparse"), "w");
    ftruncateSync(fd, 5 * 1024 ** 3);
    closeSync(fd);
    expect(refusal(path.join(dir, "sparse")).message).toMatch(/is 5368709120 bytes, more than the 1024/);
  });

  it("refuses bytes that are not UTF-8, naming the file as the user wrote it", () => {
    writeFileSync(path.join(dir, "latin1.txt"), Buffer.from([0x4a, 0x6f, 0x73, 0xe9]));
    expect(refusal(path.join(dir, "latin1.txt"), { shownAs: "latin1.txt" }).message).toBe(
      "--file latin1.txt is not UTF-8 text (it holds bytes that are not UTF-8); save it as UTF-8 and give a small text file.",
    );
  });
});
