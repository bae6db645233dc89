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

export function stackYaml(config: Record<string, unknown>): string {
  const lines = ["config:"];
  for (const [key, value] of Object.entries(config)) lines.push(`  ${key.includes(":") ? key : `nexxt:${key}`}: ${JSON.stringify(value)}`);
  return lines.join("\n") + "\n";
}
