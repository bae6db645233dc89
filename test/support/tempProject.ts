import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A throwaway project directory (Pulumi.yaml and a stacks/ folder), for commands that read stack files. */
export function tempProject(stacks: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-project-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: nexxt\nruntime: nodejs\nstackConfigDir: stacks\n");
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const [stack, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), text);
  return dir;
}

/**
 * A stack file's text. nexxt:rotationStart is required, so it is "2026-01-01" unless the config
 * names it (`rotationStart: undefined` leaves the key out).
 */
export function stackYaml(config: Record<string, unknown>): string {
  const lines = ["config:"];
  const withStart = "rotationStart" in config ? config : { ...config, rotationStart: "2026-01-01" };
  for (const [key, value] of Object.entries(withStart)) if (value !== undefined) lines.push(`  ${key.includes(":") ? key : `nexxt:${key}`}: ${JSON.stringify(value)}`);
  return lines.join("\n") + "\n";
}
