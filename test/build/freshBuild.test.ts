import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

interface BuildOptions {
  root: string;
  clean?: boolean;
  compiler?: string;
}
// bin/build.js is plain JavaScript (it runs before anything is compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build, ensureFreshBuild } = require("../../bin/build.js") as {
  build(options: BuildOptions): void;
  ensureFreshBuild(root: string, options?: { compiler?: string }): boolean;
};

/** Most cases use a stand-in compiler (fixtures/fakeTsc.js); the last runs the real tsc. */
const FAKE_TSC = path.join(__dirname, "fixtures", "fakeTsc.js");

/** A scratch project laid out like this one: src/, tsconfig.json and tsconfig.build.json. */
function scratchProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-build-"));
  fs.mkdirSync(path.join(root, "src"));
  fs.writeFileSync(
    path.join(root, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "commonjs", strict: true, lib: ["es5"], types: [], skipLibCheck: true } }),
  );
  fs.writeFileSync(
    path.join(root, "tsconfig.build.json"),
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { rootDir: "src", outDir: "dist" }, include: ["src/**/*.ts"] }),
  );
  fs.writeFileSync(path.join(root, "src", "greeting.ts"), 'export const greeting: string = "old";\n');
  return root;
}

/** Dates the last build a minute back, so that an edit made now is newer than it. */
function buildWasEarlier(root: string): void {
  const earlier = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(root, "dist", ".build-stamp"), earlier, earlier);
}

function edit(root: string, file: string, text: string): void {
  buildWasEarlier(root);
  fs.writeFileSync(path.join(root, file), text);
}

describe("the compiled build never runs stale (bin/build.js)", () => {
  let root: string;
  const compiled = (name: string) => fs.readFileSync(path.join(root, "dist", `${name}.js`), "utf8");
  const fresh = () => ensureFreshBuild(root, { compiler: FAKE_TSC });

  beforeEach(() => {
    root = scratchProject();
    build({ root, clean: true, compiler: FAKE_TSC });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("does nothing when no source changed since the build", () => {
    expect(fresh()).toBe(false);
    expect(compiled("greeting")).toContain('"old"');
  });

  it("rebuilds when a source is newer than the build, and then is fresh", () => {
    edit(root, "src/greeting.ts", 'export const greeting: string = "new";\n');
    expect(fresh()).toBe(true);
    expect(compiled("greeting")).toContain('"new"');
    expect(fresh()).toBe(false);
  });

  it("rebuilds when a tsconfig changed", () => {
    edit(root, "tsconfig.json", JSON.stringify({ compilerOptions: { target: "ES5" } }));
    expect(fresh()).toBe(true);
  });

  it("takes over the lock of a build that crashed, instead of waiting for it forever", () => {
    edit(root, "src/greeting.ts", 'export const greeting: string = "locked";\n');
    const lock = path.join(root, ".build.lock");
    fs.mkdirSync(lock);
    const stale = new Date(Date.now() - 10 * 60_000);
    // Older than the longest wait: its build is gone.
    fs.utimesSync(lock, stale, stale);
    expect(fresh()).toBe(true);
    expect(compiled("greeting")).toContain('"locked"');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it("rebuilds when a source was only deleted", () => {
    edit(root, "src/extra.ts", "export const extra = 1;\n");
    fresh();
    buildWasEarlier(root);
    fs.rmSync(path.join(root, "src", "extra.ts"));
    expect(fresh()).toBe(true);
    expect(fs.existsSync(path.join(root, "dist", "extra.js"))).toBe(false);
  });

  it("removes the compiled copy of a deleted source, so nothing can still load it", () => {
    edit(root, "src/extra.ts", "export const extra = 1;\n");
    fresh();
    expect(fs.existsSync(path.join(root, "dist", "extra.js"))).toBe(true);
    fs.rmSync(path.join(root, "src", "extra.ts"));
    edit(root, "src/greeting.ts", 'export const greeting: string = "again";\n');
    fresh();
    expect(fs.existsSync(path.join(root, "dist", "extra.js"))).toBe(false);
  });

  it("refuses to run sources that tsc rejects, naming the fix, and stays stale", () => {
    build({ root, clean: true });
    expect(compiled("greeting")).toContain('exports.greeting = "old"');
    edit(root, "src/greeting.ts", "export const greeting: string = 42;\n");
    expect(() => ensureFreshBuild(root)).toThrow(/do not compile .*npm run build/);
    // Still stale: the next start compiles again instead of running the old build.
    expect(fresh()).toBe(true);
    edit(root, "src/greeting.ts", "COMPILE_ERROR\n");
    expect(() => fresh()).toThrow(/do not compile/);
    expect(() => fresh()).toThrow(/do not compile/);
  }, 30_000);
});

describe("bin/nexxt-onboard, the user's executable, never compiles behind the user's back", () => {
  let root: string;
  /** The scratch project gets this project's bin/ and a compiled CLI that only says it ran. */
  const cli = (args: string[] = []) => spawnSync(path.join(root, "bin", "nexxt-onboard"), args, { cwd: root, encoding: "utf8" });

  beforeEach(() => {
    root = scratchProject();
    fs.mkdirSync(path.join(root, "bin"));
    for (const file of ["nexxt-onboard", "build.js"]) fs.copyFileSync(path.join(__dirname, "..", "..", "bin", file), path.join(root, "bin", file));
    fs.chmodSync(path.join(root, "bin", "nexxt-onboard"), 0o755);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A build whose dist/cli/main.js prints its arguments (the stand-in compiler copies sources). */
  function builtCli(): void {
    fs.mkdirSync(path.join(root, "src", "cli"));
    fs.writeFileSync(path.join(root, "src", "cli", "main.ts"), 'exports.main = (argv) => console.log("ran " + argv.join(" "));\n');
    build({ root, clean: true, compiler: FAKE_TSC });
  }

  it("runs the compiled CLI with the user's arguments when the build is current", () => {
    builtCli();
    const result = cli(["plan", "--stack", "acme"]);
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: "ran plan --stack acme\n", stderr: "" });
  });

  it("refuses a build older than src/ in one sentence naming npm run build, and leaves dist/ alone", () => {
    builtCli();
    edit(root, "src/greeting.ts", 'export const greeting: string = "edited";\n');
    const stampBefore = fs.statSync(path.join(root, "dist", ".build-stamp")).mtimeMs;
    const result = cli(["--version"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`error: src/ changed since dist/ was built; run \`npm run build\` in ${root} and try again.\n`);
    expect(fs.statSync(path.join(root, "dist", ".build-stamp")).mtimeMs).toBe(stampBefore);
    expect(fs.readFileSync(path.join(root, "dist", "greeting.js"), "utf8")).toContain('"old"');
  });

  it("refuses to start when dist/ was never built (npm ci --ignore-scripts), naming the fix", () => {
    const result = cli(["--help"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: dist\/ has not been built in .*; run `npm run build` there \(npm ci does it too\)\.\n$/);
  });
});
