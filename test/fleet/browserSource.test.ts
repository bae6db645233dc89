import { browserSource, CHROME_PATH_VARIABLE } from "../support/browser";

describe("which browser the browser tests use", () => {
  it("is the Chromium npm installs on Linux x64, with nothing set", () => {
    expect(browserSource({}, "linux", "x64")).toEqual({ kind: "packaged" });
  });

  it("is the local one CHROME_PATH names, on any platform", () => {
    expect(browserSource({ [CHROME_PATH_VARIABLE]: "/opt/chrome" }, "linux", "x64")).toEqual({ kind: "local", executable: "/opt/chrome" });
    expect(browserSource({ [CHROME_PATH_VARIABLE]: "C:\\Chrome\\chrome.exe" }, "win32", "x64")).toEqual({ kind: "local", executable: "C:\\Chrome\\chrome.exe" });
  });

  it.each([
    ["darwin", "arm64"],
    ["win32", "x64"],
    ["linux", "arm64"],
  ])("fails in one sentence naming CHROME_PATH on %s-%s, where the packaged one cannot run", (platform, arch) => {
    expect(() => browserSource({}, platform, arch)).toThrow(
      `The browser tests need Chrome or Chromium, and the one npm installs (@sparticuz/chromium) runs on Linux x64 only: on ${platform}-${arch}, set CHROME_PATH to a local Chrome or Chromium executable (see docs/testing.md).`,
    );
  });
});
