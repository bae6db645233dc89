import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import YAML from "yaml";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "../..");

/**
 * The program as `pulumi up` really loads it (issue 9, item 9), not as jest does. What the
 * nodejs language host honours is read from @pulumi/pulumi/cmd/run/run.js (see
 * bin/pulumi-program.js): `typescript: false` means no ts-node, the entry is a plain require; with
 * no `main:` in Pulumi.yaml it is package.json `main`, run from the project root.
 */
describe("the Pulumi program's entry", () => {
  const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    main?: string;
    runtime: { name: string; options?: { typescript?: boolean } };
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string };

  it("is compiled JavaScript the host requires as is: typescript off, package.json main from the project root", () => {
    expect(project.runtime).toEqual({ name: "nodejs", options: expect.objectContaining({ typescript: false }) });
    expect(project.main).toBeUndefined();
    expect(pkg.main).toMatch(/\.js$/);
    expect(fs.existsSync(path.join(ROOT, pkg.main))).toBe(true);
  });

  it("is compiled with the project's compiler settings: tsconfig.build.json only narrows tsconfig.json to src/", () => {
    const effective = (file: string) => {
      const { config } = ts.readConfigFile(path.join(ROOT, file), ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, file);
      // Where the output goes, the incremental cache, and the ambient types (no jest in src/).
      const { configFilePath, rootDir, outDir, incremental, tsBuildInfoFile, types, ...options } = parsed.options;
      return { options, fileNames: parsed.fileNames, configFilePath, rootDir, outDir, incremental, tsBuildInfoFile, types };
    };
    const build = effective("tsconfig.build.json");
    const project = effective("tsconfig.json");
    expect(build.options).toEqual(project.options);
    expect(build.types).toEqual(["node"]);
    expect(build.fileNames.length).toBeGreaterThan(50);
    expect(build.fileNames.every((file) => file.startsWith(path.join(ROOT, "src") + path.sep) || file.startsWith(`${ROOT}/src/`))).toBe(true);
  });

  it("builds, loads without ts-node and runs the program to its outputs, in a plain node process", async () => {
    const { stdout } = await run(process.execPath, [path.join(__dirname, "fixtures/runPulumiEntry.js")], { cwd: ROOT });
    const result = JSON.parse(stdout.trim()) as { names: string[]; applicationId: string; loadedTsNode: boolean };
    expect(result.names).toEqual(expect.arrayContaining(["applicationId", "clientSecret", "tokenEndpoint", "handoff"]));
    expect(result.applicationId).toBe("string");
    expect(result.loadedTsNode).toBe(false);
  }, 60_000);
});
