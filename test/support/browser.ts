import * as path from "node:path";
import type { Browser } from "puppeteer-core";

/**
 * The variable that names a local Chrome or Chromium for the browser tests, where the one from
 * the npm registry does not fit the machine (documented in docs/testing.md).
 */
export const CHROME_PATH_VARIABLE = "CHROME_PATH";

/** Where the browser comes from: a local executable the user named, or the packaged Chromium. */
export type BrowserSource = { kind: "local"; executable: string } | { kind: "packaged" };

/**
 * Which browser the tests use, or one sentence saying why there is none. The npm registry's
 * @sparticuz/chromium ships a headless Chromium for Linux x64 only (its bin/*.br files are an
 * x86-64 Linux build), so `npm ci` alone gives Linux x64 machines a browser with no system
 * package; elsewhere (macOS, Windows, arm64 Linux) CHROME_PATH must name one. CHROME_PATH wins
 * everywhere, so a developer can test with the Chrome they have.
 */
export function browserSource(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform, arch: string = process.arch): BrowserSource {
  const local = env[CHROME_PATH_VARIABLE];
  if (local) return { kind: "local", executable: local };
  if (platform === "linux" && arch === "x64") return { kind: "packaged" };
  throw new Error(
    `The browser tests need Chrome or Chromium, and the one npm installs (@sparticuz/chromium) runs on Linux x64 only: on ${platform}-${arch}, set ${CHROME_PATH_VARIABLE} to a local Chrome or Chromium executable (see docs/testing.md).`,
  );
}

/**
 * A headless browser over puppeteer-core. The packaged Chromium is unpacked (about 3.5 s) into
 * os.tmpdir(), which under jest is the test file's own directory, removed after the file.
 * Nothing of the process's own state changes: the font configuration goes to the browser's
 * environment, not to process.env.
 */
export async function launchBrowser(): Promise<Browser> {
  const source = browserSource();
  const puppeteer = await import("puppeteer-core");
  if (source.kind === "local") {
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. The pages are ours.
    return puppeteer.launch({ executablePath: source.executable, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  }
  const { default: chromium } = await import("@sparticuz/chromium");
  const executablePath = await chromium.executablePath();
  return puppeteer.launch({
    executablePath,
    headless: "shell",
    args: chromium.args,
    // The package unpacks fonts.conf and its fonts next to the binary; a machine without fonts renders with them.
    env: { ...process.env, FONTCONFIG_PATH: path.join(path.dirname(executablePath), "fonts") },
  });
}
