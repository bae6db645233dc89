import * as fs from "node:fs";
import * as path from "node:path";

const PACKAGE_NAME = "nexxt-office365";

/**
 * The version in this package's package.json, found by walking up from this file: the same
 * answer from the sources (src/cli) and from a compiled build (dist/src/cli). Read when asked,
 * not at module load.
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (parsed.name === PACKAGE_NAME && typeof parsed.version === "string") return parsed.version;
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
