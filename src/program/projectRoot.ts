import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The Pulumi project's root: the nearest directory at or above `start` holding Pulumi.yaml.
 * `pulumi up` starts the program in the directory `main:` names (src/program/, getPwdMain in
 * pulumi/pkg/workspace), not at the root, so paths in the config (nexxt:connectorConfigDir) are
 * resolved against this, never against the working directory. Falls back to `start`.
 */
export function findProjectRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}
