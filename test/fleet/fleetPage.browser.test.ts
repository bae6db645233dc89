import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inflateSync } from "node:zlib";
import { fleetReport } from "../../scripts/fleet-report";
import { CLIENT_SECRET } from "../fakes/secrets";
import { SAMPLE_AT, sampleFleet } from "../support/sampleFleet";

/**
 * The fleet page in a real browser: Debian's chromium, headless (.ci/run installs it). Missing
 * chromium fails the test with how to install it; it never skips.
 */
function chromium(): string {
  const found = spawnSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).stdout.trim().split("\n")[0];
  if (!found) throw new Error("chromium is not installed; install it with `apt-get install -y --no-install-recommends chromium` (.ci/run does this).");
  return found;
}

function headless(args: string[]): string {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. The page is ours.
  return execFileSync(chromium(), ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions", ...args], {
    encoding: "utf8",
    timeout: 90_000,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

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
  beforeAll(async () => {
    const fleet = sampleFleet();
    await fleetReport(["--deployed", "report-in", "--runs", "fleet-runs", "--results", "results", "--html", "fleet-view/index.html"], fleet.dir, SAMPLE_AT);
    page = path.join(fleet.dir, "fleet-view/index.html");
    out = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-shot-"));
  });

  it("parses into one row per customer, with the timeline, and no element from a message", () => {
    const dom = headless(["--dump-dom", `file://${page}`]);
    expect(dom.match(/<tr>/g)?.length).toBe(41);
    expect(dom).toContain("<svg");
    expect(dom.match(/class="rotation"/g)?.length).toBeGreaterThan(0);
    expect(dom).toContain("customer-0003");
    expect(dom).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(dom).not.toMatch(/<img|<script/);
    expect(dom).not.toContain(CLIENT_SECRET);
  });

  it("renders a screenshot that is not blank", () => {
    const shot = path.join(out, "fleet-view.png");
    headless([`--screenshot=${shot}`, "--window-size=1400,1100", `file://${page}`]);
    const { width, height, pixels } = readPng(shot);
    expect([width, height]).toEqual([1400, 1100]);
    // A blank page inflates to a handful of byte values; text, badges and bars to many.
    expect(new Set(pixels).size).toBeGreaterThan(64);
    if (process.env.FLEET_SCREENSHOT) fs.copyFileSync(shot, process.env.FLEET_SCREENSHOT);
  });
});
