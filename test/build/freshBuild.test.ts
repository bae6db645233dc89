import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// bin/build.js is plain JavaScript (it runs before anything is compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build, ensureFreshBuild } = require("../../bin/build.js") as {
  build(options: { root: string; clean?: boolean }): void;
  ensureFreshBuild(root: string): boolean;
};

/** A scratch project laid out like this one: src/, tsconfig.json and tsconfig.build.json. */
function scratchProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-build-"));
  fs.mkdirSync(path.join(root, "src"));
  fs.writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify(tsconfig({ removeComments: false })));
  fs.writeFileSync(
    path.join(root, "tsconfig.build.json"),
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { rootDir: "src", outDir: "dist" }, include: ["src/**/*.ts"] }),
  );
  fs.writeFileSync(path.join(root, "src", "greeting.ts"), '// kept unless removeComments\nexport const greeting: string = "old";\n');
  return root;
}

/** The smallest lib keeps each tsc run well under a second. */
function tsconfig(options: { removeComments: boolean }) {
  return { compilerOptions: { target: "ES2022", module: "commonjs", strict: true, lib: ["es5"], types: [], skipLibCheck: true, ...options } };
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
  beforeEach(() => {
    root = scratchProject();
    build({ root, clean: true });
  }, 30_000);
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const compiled = (name: string) => path.join(root, "dist", `${name}.js`);

  it("does nothing when no source changed since the build", () => {
    expect(ensureFreshBuild(root)).toBe(false);
    expect(fs.readFileSync(compiled("greeting"), "utf8")).toContain('"old"');
  });

  it("rebuilds when a source is newer than the build, and then is fresh", () => {
    edit(root, "src/greeting.ts", 'export const greeting: string = "new";\n');
    expect(ensureFreshBuild(root)).toBe(true);
    expect(fs.readFileSync(compiled("greeting"), "utf8")).toContain('"new"');
    expect(ensureFreshBuild(root)).toBe(false);
  }, 30_000);

  it("rebuilds when a tsconfig changed", () => {
    expect(fs.readFileSync(compiled("greeting"), "utf8")).toContain("kept unless");
    edit(root, "tsconfig.json", JSON.stringify(tsconfig({ removeComments: true })));
    expect(ensureFreshBuild(root)).toBe(true);
    expect(fs.readFileSync(compiled("greeting"), "utf8")).not.toContain("kept unless");
  }, 30_000);

  it("removes the compiled copy of a deleted source, so nothing can still load it", () => {
    edit(root, "src/extra.ts", "export const extra = 1;\n");
    ensureFreshBuild(root);
    expect(fs.existsSync(compiled("extra"))).toBe(true);
    fs.rmSync(path.join(root, "src", "extra.ts"));
    edit(root, "src/greeting.ts", 'export const greeting: string = "again";\n');
    ensureFreshBuild(root);
    expect(fs.existsSync(compiled("extra"))).toBe(false);
  }, 30_000);

  it("refuses to run sources that do not compile, naming the fix", () => {
    edit(root, "src/greeting.ts", "export const greeting: string = 42;\n");
    expect(() => ensureFreshBuild(root)).toThrow(/do not compile .*npm run build/);
    // Still stale: the next start tries again instead of running the old build.
    expect(() => ensureFreshBuild(root)).toThrow(/do not compile/);
  }, 30_000);
});
