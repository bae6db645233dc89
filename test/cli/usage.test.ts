import { readFileSync } from "node:fs";
import * as path from "node:path";
import { memoryIo } from "../../src/cli/io";
import { run } from "../../src/cli/main";
import { ExitCode } from "../../src/exitCodes";

/** What a newcomer types first, and the mistakes they make: each answer is one sentence that says what to type. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = memoryIo({ env });
  const code = await run(argv, io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

const VERSION = (JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;

describe("no command, --version, -v", () => {
  it("with no command at all, shows the help with the list of commands (exit 0)", async () => {
    const { code, out, err } = await cli([]);
    expect(code).toBe(ExitCode.Ok);
    expect(out).toMatch(/^bin\/nexxt-onboard <command> \[options\]/);
    expect(out).toMatch(/Commands:[\s\S]*verify[\s\S]*map-users[\s\S]*demo/);
    expect(err).toBe("");
  });

  it("with flags but no command, shows the help and says to name a command (exit 2)", async () => {
    const { code, out, err } = await cli(["--json"]);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(out).toContain("Commands:");
    expect(err).toBe("error: name a command from the list above, e.g. `bin/nexxt-onboard verify --help`.");
  });

  it.each([["--version"], ["-v"]])("%s prints the version of package.json", async (flag) => {
    const { code, out } = await cli([flag]);
    expect(code).toBe(ExitCode.Ok);
    expect(out.trim()).toBe(VERSION);
  });
});

describe("flag typos get a suggestion, as commands do", () => {
  it.each([
    [["verify", "--jsn"], "error: --jsn is not a flag of verify; did you mean --json?"],
    [["plan", "--stak", "acme"], "error: --stak is not a flag of plan; did you mean --stack?"],
    [["map-users", "--nexxt-user", "x.csv"], "error: --nexxt-user is not a flag of map-users; did you mean --nexxt-users?"],
    [["verfy"], "error: 'verfy' is not a command; did you mean verify?"],
  ])("%j", async (argv, message) => {
    const { code, err } = await cli(argv);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err.split("\n")[0]).toContain(message);
  });
});

describe("a secret given as a flag is never echoed, and the right flag is named", () => {
  const SECRET = "FAKE~pasted-secret-value-0123";
  it.each([
    [["verify", "--client-secret", SECRET], "--client-secret-env"],
    [["verify", `--client-secret=${SECRET}`], "--client-secret-env"],
    [["push-config", "--config", "c.json", "--api-url", "https://pbx.example.nl/api", "--api-token", SECRET], "--api-token-env"],
    [["map-users", "--nexxt-users", "u.csv", "--api-token", SECRET], "--api-token-env"],
    [["verify", "--client-secret-env", SECRET], "--client-secret-env"],
    [["verify", "--json", SECRET], "not shown"],
  ])("%j", async (argv, named) => {
    const { code, out, err } = await cli(argv);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain(named);
    expect(out + err).not.toContain(SECRET);
    expect(err.split("\n")).toHaveLength(1);
  });
});

describe("numbers are whole, in range and never NaN", () => {
  const tenant = ["--tenant-id", "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c", "--client-id", "0d9c7b4e-2f1a-4c3b-8e5d-6a7b8c9d0e1f"];
  it.each([
    [["verify", ...tenant, "--wait", "ten"], "--wait 'ten' must be a whole number of seconds from 0 to 86400, for example --wait 600."],
    [["verify", ...tenant, "--wait", "0.5"], "--wait '0.5' must be a whole number of seconds"],
    [["verify", ...tenant, "--wait", "-5"], "--wait '-5' must be a whole number of seconds"],
    [["verify", ...tenant, "--wait", "1e3"], "--wait '1e3' must be a whole number of seconds"],
    [["verify", ...tenant, "--timeout-ms", "2147483648"], "--timeout-ms '2147483648' must be a whole number of milliseconds 1 or more (at most 2147483647)"],
    [["verify", ...tenant, "--retry-base-ms", "0"], "--retry-base-ms '0' must be a whole number of milliseconds"],
    [["verify", ...tenant, "--wait-step-ms", "60001"], "--wait-step-ms '60001' must be a whole number of milliseconds from 1 to 60000"],
    [["verify", ...tenant, "--retries", "0x5"], "--retries '0x5' must be a whole number of retries from 0 to 10"],
    [["map-users", ...tenant, "--nexxt-users", "u.csv", "--concurrency", "0.5"], "--concurrency '0.5' must be a whole number of requests from 1 to 32"],
    [["secrets-report", "--within", "abc"], "--within 'abc' must be a whole number of days from 0 to 730, for example --within 30."],
    [["secrets-report", "--within", "-5"], "--within '-5' must be a whole number of days"],
    [["verify", ...tenant, "--wait"], "--wait needs a value"],
  ])("%j", async (argv, message) => {
    const { code, err } = await cli(argv, { NEXXT_CLIENT_SECRET: "FAKE~x" });
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain(message);
    expect(err).not.toContain("NaN");
  });

  it("the largest timer setTimeout keeps is accepted", async () => {
    expect(await run(["verify", ...tenant, "--timeout-ms", "2147483647"], memoryIo(), { parseOnly: true })).toBe(ExitCode.Ok);
  });
});

describe("a choice is refused in one sentence", () => {
  it("verify --cloud azure", async () => {
    const { code, err } = await cli(["verify", "--cloud", "azure"]);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toBe("error: --cloud 'azure' is not a Microsoft cloud this tool knows; use one of public, usgovernmentl4, usgovernmentl5, china, for example --cloud public.");
  });
});

describe("--nexxt-user-url without --apply", () => {
  it("is refused: a URL means the user meant to send, and a silent dry run would look like success", async () => {
    const { code, err } = await cli(["map-users", "--config", "c.json", "--nexxt-users", "u.csv", "--nexxt-user-url", "https://pbx.acme.nl/api/users/{id}"]);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toBe("error: --nexxt-user-url is only used with --apply; add --apply to send the links to Nexxt, or drop --nexxt-user-url for a dry run.");
  });
});

describe("run's parseOnly", () => {
  it("runs every check yargs makes (coerce, strict, .check) and no handler", async () => {
    const parse = (argv: string[]) => run(argv, memoryIo(), { parseOnly: true });
    expect(await parse(["verify", "--jsn"])).toBe(ExitCode.InvalidInput);
    expect(await parse(["verify", "--wait", "x"])).toBe(ExitCode.InvalidInput);
    expect(await parse(["map-users", "--nexxt-users", "u.csv", "--nexxt-user-url", "https://pbx.acme.nl/users/{id}"])).toBe(ExitCode.InvalidInput);
    // Would fail in the handler (no --config, no tenant): the handler never runs.
    expect(await parse(["verify"])).toBe(ExitCode.Ok);
  });
});

describe("a missing argument and an out-of-range port, in words", () => {
  it("new-customer without a stack name says what to give, not yargs' count of non-option arguments", async () => {
    const { code, err } = await cli(["new-customer", "--tenant-id", "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c"]);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toBe(
      "error: new-customer needs the stack name, --company-id (or --from with a list of customers): `bin/nexxt-onboard new-customer <stack> --tenant-id <guid> --company-id <id>`; `bin/nexxt-onboard new-customer --help` shows an example.",
    );
  });

  it("demo --port 99999 says it must be a port number, and why the top is 65534", async () => {
    const { code, err } = await cli(["demo", "--port", "99999"]);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toBe("error: --port '99999' must be a port number from 0 to 65534 (the Nexxt stand-in listens on the next one), for example --port 47110.");
  });
});
