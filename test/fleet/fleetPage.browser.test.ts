import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inflateSync } from "node:zlib";
import type { Browser } from "puppeteer-core";
import { fleetReport } from "../../scripts/fleet-report";
import { CLIENT_SECRET } from "../fakes/secrets";
import { launchBrowser } from "../support/browser";
import { SAMPLE_AT, sampleFleet } from "../support/sampleFleet";

/*
 * The fleet page in a real browser, headless, over puppeteer-core: the Chromium that npm installs
 * (@sparticuz/chromium) on Linux x64, else the one CHROME_PATH names (test/support/browser.ts).
 * No browser fails the test with what to set; it never skips.
 */

/** Width, height and the inflated scanlines of a PNG (enough to see it is not blank). */
function readPng(file: string): { width: number; height: number; pixels: Buffer } {
  const png = fs.readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    if (type === "IDAT") idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), pixels: inflateSync(Buffer.concat(idat)) };
}

describe("the fleet page in headless Chromium", () => {
  let page: string;
  let out: string;
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    const fleet = sampleFleet();
    await fleetReport(["--deployed", "report-in", "--runs", "fleet-runs", "--results", "results", "--html", "fleet-view/index.html"], fleet.dir, SAMPLE_AT);
    page = path.join(fleet.dir, "fleet-view/index.html");
    out = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-shot-"));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("parses into one row per customer, with the timeline, and no element from a message", async () => {
    const tab = await browser.newPage();
    await tab.goto(`file://${page}`, { waitUntil: "load" });
    const dom = await tab.content();
    await tab.close();
    expect(dom.match(/<tr>/g)?.length).toBe(41);
    expect(dom).toContain("<svg");
    expect(dom.match(/class="rotation"/g)?.length).toBeGreaterThan(0);
    expect(dom).toContain("customer-0003");
    expect(dom).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(dom).not.toMatch(/<img|<script/);
    expect(dom).not.toContain(CLIENT_SECRET);
  });

  it("renders a screenshot that is not blank", async () => {
    const shot = path.join(out, "fleet-view.png");
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1400, height: 1100 });
    await tab.goto(`file://${page}`, { waitUntil: "load" });
    await tab.screenshot({ path: shot as `${string}.png` });
    await tab.close();
    const { width, height, pixels } = readPng(shot);
    expect([width, height]).toEqual([1400, 1100]);
    // A blank page inflates to a handful of byte values; text, badges and bars to many.
    expect(new Set(pixels).size).toBeGreaterThan(64);
    if (process.env.FLEET_SCREENSHOT) fs.copyFileSync(shot, process.env.FLEET_SCREENSHOT);
  });
});
