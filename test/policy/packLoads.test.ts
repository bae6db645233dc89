import { spawn } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "../..");

/**
 * Loads the pack the way `pulumi preview --policy-pack policy` does: Pulumi's own
 * run-policy-pack entry, in the pack's directory, which registers ts-node with type checking
 * and starts the policy gRPC server, printing its port. A pack that does not compile there, or
 * misses what `new PolicyPack` reads (policy/package.json's version), never prints a port.
 */
function loadPack(): Promise<{ port?: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."], {
      cwd: path.join(ROOT, "policy"),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const finish = (port?: number) => {
      child.kill();
      resolve({ port, stderr });
    };
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) finish(Number(match[1]));
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", () => resolve({ stderr }));
  });
}

describe("policy pack", () => {
  it("loads under Pulumi's run-policy-pack and serves", async () => {
    const { port, stderr } = await loadPack();
    expect(stderr).toBe("");
    expect(port).toBeGreaterThan(0);
  }, 90_000);
});
