import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { memoryIo } from "../../src/cli/io";
import { run } from "../../src/cli/main";
import { commands } from "../../src/cli/commands";
import { nextSteps } from "../../src/cli/commands/newCustomer";
import { DEMO_PORT } from "../../src/cli/commands/demo";
import { demoCommands } from "../../src/demo/startDemo";
import { ExitCode } from "../../src/exitCodes";
import { RETRIED_FAILURES } from "../../src/http/retryPolicy";
import { DIR_FLAG_HELP } from "../../src/stacks/projectRoot";
import { DEFAULT_COLUMN_CANDIDATES } from "../../src/users/nexxtUserExport";

/** What the docs promise and what --help says are the same: flags, examples, columns, statuses, steps. */
const ROOT = path.join(__dirname, "..", "..");
/** The README and every page under docs/: a new page is covered at once. */
const DOCS = [
  "README.md",
  ...readdirSync(path.join(__dirname, "..", "..", "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];
/** Every registered command (the registry, not a list of our own: a new command is covered at once). */
const COMMANDS = commands.map((factory) => String(factory({ io: memoryIo(), setExitCode: () => undefined }).command).split(" ")[0]);
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

const helpCache = new Map<string, string>();
async function help(command: string): Promise<string> {
  if (!helpCache.has(command)) {
    const io = memoryIo({ columns: 80 });
    expect(await run([command, "--help"], io)).toBe(ExitCode.Ok);
    helpCache.set(command, io.out.join("\n"));
  }
  return helpCache.get(command)!;
}

const flagsOf = (text: string) => [...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((match) => match[1]);
const helpFlags = async (command: string) => new Set(flagsOf((await help(command)).split("Examples:")[0]));

/** Lines of a markdown file with shell continuations joined, so a command is one line. */
const joined = (text: string) => text.replace(/\\\n\s*/g, " ");

/**
 * Where the docs name flags of a command: after `nexxt-onboard <command>` on a line, and inside
 * a section whose heading names the command (its flag tables); "Common flags" serve verify and
 * map-users. In sections, only code spans that start with -- or with the command count, so
 * `pulumi config set --secret` in the same section is not taken for one of ours.
 */
function documentedFlags(): { command: string; flag: string; where: string }[] {
  const found: { command: string; flag: string; where: string }[] = [];
  for (const file of DOCS) {
    let sectionCommands: string[] = [];
    for (const line of joined(read(file)).split("\n")) {
      const heading = /^#+ (.*)$/.exec(line);
      if (heading) {
        sectionCommands = /common flags/i.test(heading[1]) ? ["verify", "map-users"] : COMMANDS.filter((command) => heading[1].includes(`nexxt-onboard ${command}`));
        continue;
      }
      for (const match of line.matchAll(/nexxt-onboard ([a-z-]+)((?: +[^`|#;&]*)?)/g)) {
        if (!COMMANDS.includes(match[1])) continue;
        for (const flag of flagsOf(match[2])) found.push({ command: match[1], flag, where: `${file}: ${line.trim().slice(0, 60)}` });
      }
      for (const span of line.matchAll(/`(--[^`]*)`/g)) {
        for (const command of sectionCommands) for (const flag of flagsOf(span[1])) found.push({ command, flag, where: `${file} (section): ${span[1]}` });
      }
    }
  }
  return found;
}

describe("help and docs agree", () => {
  it("every flag the README and docs mention for a command is in that command's --help", async () => {
    const mentioned = documentedFlags();
    expect(mentioned.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const { command, flag, where } of mentioned) if (!(await helpFlags(command)).has(flag)) missing.push(`${command} --${flag} (${where})`);
    expect(missing).toEqual([]);
  });

  it.each(COMMANDS)("%s --help: every example runs through the parser, starts with bin/nexxt-onboard, and no line is wrapped", async (command) => {
    const text = await help(command);
    const section = text.split("Examples:\n")[1];
    expect(section).toBeDefined();
    const lines = section.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("Exit codes"));
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    const examples = joined(lines.join("\n"))
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => !line.startsWith("#"));
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      // Environment assignments (VAR=...) and a pipe into another tool are the shell's, not ours.
      const words = (example.split(" | ")[0].match(/'[^']*'|\S+/g) ?? []).filter((word) => !/^[A-Z_]+=/.test(word));
      expect(words.slice(0, 2)).toEqual(["bin/nexxt-onboard", command]);
      const io = memoryIo();
      const code = await run(
        words.slice(1).map((word) => word.replace(/^'(.*)'$/, "$1")),
        io,
        { parseOnly: true },
      );
      expect({ example, code, err: io.err }).toEqual({ example, code: ExitCode.Ok, err: [] });
    }
  });

  it("map-users --help lists every column name the docs accept, as the code does", async () => {
    const text = (await help("map-users")).replace(/\s+/g, " ");
    const docs = read("docs/verify-and-map-users.md").replace(/\s+/g, " ");
    for (const [role, names] of Object.entries(DEFAULT_COLUMN_CANDIDATES)) {
      expect(text).toContain(names.join(", "));
      const listed = new RegExp(`\`--${role}-column\` \\(([^)]*)\\)`).exec(docs)?.[1] ?? "";
      expect([...listed.matchAll(/`([^`]+)`/g)].map((match) => match[1])).toEqual([...names]);
    }
  });

  it("validate --help says --dir is relative to the current directory", async () => {
    expect(DIR_FLAG_HELP).toContain("relative to the current directory");
    expect((await help("validate")).replace(/\s+/g, " ")).toContain(DIR_FLAG_HELP.replace(/\s+/g, " "));
  });

  it("--retries: help and docs list the same failures", async () => {
    for (const command of ["verify", "map-users", "push-config"]) expect((await help(command)).replace(/\s+/g, " ")).toContain(RETRIED_FAILURES);
    for (const file of ["docs/verify-and-map-users.md", "docs/nexxt-sink.md"]) {
      const line = read(file)
        .split("\n")
        .find((text) => text.includes("`--retries"));
      expect(line).toContain(RETRIED_FAILURES);
    }
  });

  it("new-customer's next steps are the README's commands", () => {
    const readme = joined(read("README.md"));
    const steps = nextSteps("acme", "stacks/Pulumi.acme.yaml", "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c", "out");
    const commands = steps
      .map(
        (step) =>
          step
            .replace(/^Or through a pull request instead of steps 3-5: /, "")
            .split(";")[0]
            .split("   (")[0],
      )
      .slice(1);
    for (const command of commands) expect(readme).toContain(command);
  });

  it("the README's first section is the demo, with the commands the demo prints", () => {
    const readme = read("README.md");
    expect(/^## (.*)$/m.exec(readme)?.[1]).toBe("Try it, without a tenant");
    const section = readme.slice(readme.indexOf("## Try it"), readme.indexOf("## Onboard one customer"));
    expect(section).toContain("npm ci\nnpm run demo\n");
    const dir = path.join(ROOT, "nexxt-demo");
    const files = {
      connectorFile: path.join(dir, "demo.nexxt.json"),
      nexxtUsersFile: path.join(dir, "nexxt-users.csv"),
      apiTokenFile: path.join(dir, "nexxt-api-token"),
      mappingFile: path.join(dir, "mapping.csv"),
    };
    const printed = demoCommands({ files, microsoftUrl: `http://127.0.0.1:${DEMO_PORT}`, nexxtUrl: `http://127.0.0.1:${DEMO_PORT + 1}` }, ROOT);
    for (const command of printed) expect(section).toContain(`${command}\n`);
  });

  /** Every `bin/nexxt-onboard …` line in a shell block of the docs, continuations joined. */
  function documentedCommands(): { file: string; line: string }[] {
    const found: { file: string; line: string }[] = [];
    for (const file of DOCS) {
      const blocks = [...read(file).matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((match) => joined(match[1]));
      for (const block of blocks) {
        for (const raw of block.split("\n")) {
          const line = raw.replace(/\s+#.*$/, "").trim();
          const at = line.search(/(?:^|\s)bin\/nexxt-onboard\s/);
          if (at >= 0) found.push({ file, line: line.slice(at).trim() });
        }
      }
    }
    return found;
  }

  it("every command the README and docs show exists, and parses as written (placeholders aside)", async () => {
    const examples = documentedCommands();
    expect(examples.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { file, line } of examples) {
      const words = (line.split(/ (?:\||&&|>) /)[0].match(/'[^']*'|"[^"]*"|\S+/g) ?? []).slice(1);
      const command = words[0];
      if (command === undefined || command.startsWith("-")) continue;
      if (!COMMANDS.includes(command)) {
        problems.push(`${file}: '${command}' is not a command (${line})`);
        continue;
      }
      // A template (<guid>, [--at …], …) shows the shape, not a command to run.
      if (/[<[…]|\.\.\./.test(line)) continue;
      const io = memoryIo();
      const code = await run(
        words.map((word) => word.replace(/^(['"])(.*)\1$/, "$2")),
        io,
        { parseOnly: true },
      );
      if (code !== ExitCode.Ok) problems.push(`${file}: ${line}: ${io.err.join(" ")}`);
    }
    expect(problems).toEqual([]);
  });
});
