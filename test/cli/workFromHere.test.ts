import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo } from "../../src/cli/io";
import { run } from "../../src/cli/main";
import { ExitCode } from "../../src/exitCodes";
import { findProjectRoot } from "../../src/stacks/projectRoot";
import { tempProject } from "../support/tempProject";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const OTHER_TENANT = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";

async function cli(argv: string[], cwd: string) {
  const io = memoryIo({ cwd, now: () => new Date("2026-11-27T10:00:00Z") });
  const code = await run(argv, io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

/** A project with src/, test/ and docs/ below it, as a clone has. */
function project(): string {
  const root = tempProject();
  for (const dir of ["src/cli", "test", "docs"]) fs.mkdirSync(path.join(root, dir), { recursive: true });
  return root;
}

const stackFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith(".yaml")) : []);

describe("the project root is found from anywhere inside it", () => {
  it("findProjectRoot walks up to the directory with Pulumi.yaml", () => {
    const root = project();
    expect(findProjectRoot(path.join(root, "src", "cli"))).toBe(root);
    expect(findProjectRoot(root)).toBe(root);
  });

  it.each(["src", "test", "src/cli"])("new-customer from %s writes <root>/stacks, never a source folder", async (below) => {
    const root = project();
    const cwd = path.join(root, below);
    const { code, out } = await cli(["new-customer", "acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], cwd);
    expect(code).toBe(ExitCode.Ok);
    expect(stackFiles(path.join(root, "stacks"))).toEqual(["Pulumi.acme.yaml"]);
    expect(stackFiles(cwd)).toEqual([]);
    // Paths as the user types them from where they stand.
    const shown = path.relative(cwd, path.join(root, "stacks", "Pulumi.acme.yaml"));
    expect(out).toContain(`Wrote ${shown}:`);
    expect(out).toContain(`git add ${shown}`);
  });

  it("plan and validate from docs/ read <root>/stacks", async () => {
    const root = project();
    const docs = path.join(root, "docs");
    expect((await cli(["new-customer", "acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], docs)).code).toBe(ExitCode.Ok);
    const plan = await cli(["plan", "--stack", "acme"], docs);
    expect(plan.err).toBe("");
    expect(plan.code).toBe(ExitCode.Ok);
    expect(plan.out).toContain("Offline plan for stack 'acme' (../stacks/Pulumi.acme.yaml)");
    const validate = await cli(["validate"], docs);
    expect(validate.out).toContain("Checked 1 stack file in ../stacks: all valid.");
  });

  it("outside any project, says so and names --dir", async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "nowhere-"));
    const { code, err } = await cli(["validate"], outside);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain(`No Pulumi.yaml in ${outside} or any directory above it`);
  });
});

describe("--dir: the stack directory, or a project root", () => {
  it.each([
    ["the project root", (root: string) => root],
    ["the stack directory", (root: string) => path.join(root, "stacks")],
    ["a path relative to the current directory", () => "project/stacks"],
  ])("new-customer, plan and validate take %s", async (_what, dirOf) => {
    const root = project();
    const parent = path.dirname(root);
    const linked = path.join(parent, "project");
    fs.rmSync(linked, { force: true, recursive: true });
    fs.symlinkSync(root, linked);
    try {
      const dir = dirOf(root);
      expect((await cli(["new-customer", "acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl", "--dir", dir], parent)).code).toBe(ExitCode.Ok);
      expect(stackFiles(path.join(root, "stacks"))).toEqual(["Pulumi.acme.yaml"]);
      expect((await cli(["plan", "--stack", "acme", "--dir", dir], parent)).code).toBe(ExitCode.Ok);
      expect((await cli(["validate", "--dir", dir], parent)).out).toMatch(/Checked 1 stack file in .*stacks: all valid\./);
    } finally {
      fs.rmSync(linked, { force: true });
    }
  });

  it("a --dir that does not exist is named", async () => {
    const root = project();
    const { code, err } = await cli(["validate", "--dir", "nope"], root);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain("The stack directory 'nope' does not exist");
  });
});

describe("stack names as typed", () => {
  it.each([
    ["a.yaml", "a"],
    ["Pulumi.acme.yaml", "acme"],
    ["acme.yml", "acme"],
  ])("new-customer %s is refused, naming the stack %s; nothing is written", async (typed, meant) => {
    const root = project();
    const { code, err } = await cli(["new-customer", typed, "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], root);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain(`'${typed}' is a file name; new-customer takes the stack name and writes stacks/Pulumi.<stack>.yaml itself: use \`new-customer ${meant}\`.`);
    expect(stackFiles(path.join(root, "stacks"))).toEqual([]);
  });

  it("ACME next to acme is refused (case-insensitive file systems hold only one)", async () => {
    const root = project();
    expect((await cli(["new-customer", "acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], root)).code).toBe(ExitCode.Ok);
    const { code, err } = await cli(["new-customer", "ACME", "--tenant-id", OTHER_TENANT, "--company-id", "4712", "--nexxt-host", "pbx.acme.nl"], root);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain("Stack 'ACME' differs only in case from the existing stack 'acme' (stacks/Pulumi.acme.yaml)");
    expect(stackFiles(path.join(root, "stacks"))).toEqual(["Pulumi.acme.yaml"]);
  });

  it("validate reports two files that differ only in case", async () => {
    const root = project();
    expect((await cli(["new-customer", "acme", "--tenant-id", TENANT, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], root)).code).toBe(ExitCode.Ok);
    fs.copyFileSync(path.join(root, "stacks", "Pulumi.acme.yaml"), path.join(root, "stacks", "Pulumi.Acme.yaml"));
    const { code, out } = await cli(["validate"], root);
    expect(code).toBe(ExitCode.CheckFailed);
    expect(out).toContain("stacks/Pulumi.Acme.yaml: stack 'Acme' differs only in case from stacks/Pulumi.acme.yaml");
  });
});

describe("the GUID an error offers as an example", () => {
  it("is one new-customer then accepts", async () => {
    const root = project();
    const refused = await cli(["new-customer", "acme", "--tenant-id", "not-a-guid", "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], root);
    const offered = /for example ([0-9a-f-]{36})/.exec(refused.err)?.[1];
    expect(offered).toBeDefined();
    expect((await cli(["new-customer", "acme", "--tenant-id", offered!, "--company-id", "4711", "--nexxt-host", "pbx.acme.nl"], root)).code).toBe(ExitCode.Ok);
  });
});
