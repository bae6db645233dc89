import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changedStacksMatrix } from "../../scripts/changed-stacks";
import { stackYaml } from "../support/tempProject";

const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const T2 = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
const ROOT = path.join(__dirname, "../..");

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" }).trim();
}

function write(cwd: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
  fs.writeFileSync(path.join(cwd, file), text);
}

/** A repository with two customers and the example on main; returns it and the base commit. */
function repository(): { cwd: string; base: string } {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "changed-stacks-"));
  git(cwd, "init", "-q", "-b", "main");
  write(cwd, "stacks/Pulumi.example.yaml", fs.readFileSync(path.join(ROOT, "stacks/Pulumi.example.yaml"), "utf8"));
  write(cwd, "stacks/Pulumi.acme.yaml", stackYaml({ tenantId: T1, companyId: "1" }));
  write(cwd, "stacks/Pulumi.globex.yaml", stackYaml({ tenantId: T2, companyId: "2" }));
  write(cwd, "policy/config/default.json", "{}\n");
  write(cwd, "src/program/program.ts", "// program\n");
  git(cwd, "add", ".");
  git(cwd, "commit", "-q", "-m", "base");
  return { cwd, base: git(cwd, "rev-parse", "HEAD") };
}

describe("scripts/changed-stacks", () => {
  it("lists the stack a branch changed, with its tenant for ARM_TENANT_ID and its policy config", () => {
    const { cwd, base } = repository();
    git(cwd, "switch", "-q", "-c", "onboard/initech");
    write(cwd, "stacks/Pulumi.initech.yaml", stackYaml({ tenantId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", companyId: "3" }));
    write(cwd, "policy/config/initech.json", '{"nexxt-graph-permissions":{"allowHighPrivilege":true}}\n');
    git(cwd, "add", ".");
    git(cwd, "commit", "-q", "-m", "onboard initech");
    expect(changedStacksMatrix(["--base", base], cwd)).toEqual({
      include: [{ stack: "initech", tenantId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", policyConfig: "policy/config/initech.json" }],
    });
  });

  it("compares with the merge base, so commits on main since the branch started do not count", () => {
    const { cwd, base } = repository();
    git(cwd, "switch", "-q", "-c", "change-acme");
    write(cwd, "stacks/Pulumi.acme.yaml", stackYaml({ tenantId: T1, companyId: "1", url: "https://pbx.acme.nl" }));
    git(cwd, "commit", "-q", "-am", "acme url");
    git(cwd, "switch", "-q", "main");
    write(cwd, "stacks/Pulumi.globex.yaml", stackYaml({ tenantId: T2, companyId: "2", url: "https://pbx.globex.nl" }));
    git(cwd, "commit", "-q", "-am", "globex url");
    git(cwd, "switch", "-q", "change-acme");
    expect(changedStacksMatrix(["--base", "main"], cwd).include.map((entry) => entry.stack)).toEqual(["acme"]);
    expect(base).not.toBe(git(cwd, "rev-parse", "main"));
  });

  it("runs every customer stack when the program changed, and none when only the example did", () => {
    const { cwd, base } = repository();
    write(cwd, "src/program/program.ts", "// changed\n");
    git(cwd, "commit", "-q", "-am", "program");
    expect(changedStacksMatrix(["--base", base], cwd).include).toEqual([
      { stack: "acme", tenantId: T1, policyConfig: "policy/config/default.json" },
      { stack: "globex", tenantId: T2, policyConfig: "policy/config/default.json" },
    ]);
    const next = git(cwd, "rev-parse", "HEAD");
    write(cwd, "stacks/Pulumi.example.yaml", "# touched\n" + fs.readFileSync(path.join(cwd, "stacks/Pulumi.example.yaml"), "utf8"));
    git(cwd, "commit", "-q", "-am", "example");
    expect(changedStacksMatrix(["--base", next], cwd).include).toEqual([]);
  });

  it("selects every customer for --all and for a new branch's all-zero base", () => {
    const { cwd } = repository();
    expect(changedStacksMatrix(["--all"], cwd).include.map((e) => e.stack)).toEqual(["acme", "globex"]);
    expect(changedStacksMatrix(["--base", "0000000000000000000000000000000000000000"], cwd).include.map((e) => e.stack)).toEqual(["acme", "globex"]);
  });

  it("runs as the workflow runs it, writing the matrix to $GITHUB_OUTPUT", () => {
    const { cwd, base } = repository();
    write(cwd, "stacks/Pulumi.acme.yaml", stackYaml({ tenantId: T1, companyId: "1", displayName: "Nexxt" }));
    git(cwd, "commit", "-q", "-am", "acme");
    const output = path.join(cwd, "github-output");
    const stdout = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts/changed-stacks.ts"), "--base", base], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, GITHUB_OUTPUT: output, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), NODE_PATH: path.join(ROOT, "node_modules") },
    });
    const matrix = { include: [{ stack: "acme", tenantId: T1, policyConfig: "policy/config/default.json" }] };
    expect(JSON.parse(stdout)).toEqual(matrix);
    expect(fs.readFileSync(output, "utf8")).toBe(`matrix=${JSON.stringify(matrix)}\nany=true\n`);
  });
});
