import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import * as path from "node:path";
import { CliIo, memoryIo } from "../../src/cli/io";
import { run } from "../../src/cli/main";
import { DEMO_USER_COUNT, demoEntraUsers, demoNexxtUsers } from "../../src/demo/demoDirectory";
import { RunningDemo, demoCommands, startDemo } from "../../src/demo/startDemo";
import { ExitCode } from "../../src/exitCodes";

const ROOT = path.join(__dirname, "..", "..");

/** The printed command as argv: drops `bin/nexxt-onboard`, honours '…' quoting (the only quoting the demo prints). */
function argvOf(command: string): string[] {
  const words = command.match(/'[^']*'|\S+/g) ?? [];
  expect(words[0]).toBe("bin/nexxt-onboard");
  return words.slice(1).map((word) => (word.startsWith("'") ? word.slice(1, -1) : word));
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe("the demo directory", () => {
  it("has a few hundred users, proxy addresses, one disabled account and one ambiguous address", () => {
    const users = demoEntraUsers();
    expect(users).toHaveLength(DEMO_USER_COUNT);
    expect(new Set(users.map((user) => user.id)).size).toBe(DEMO_USER_COUNT);
    expect(users.filter((user) => user.accountEnabled === false)).toHaveLength(1);
    expect(users.filter((user) => (user.proxyAddresses ?? []).some((address) => address.startsWith("smtp:"))).length).toBeGreaterThan(50);
    expect(new Set(demoNexxtUsers().map((user) => user.id)).size).toBe(demoNexxtUsers().length);
  });
});

describe("bin/nexxt-onboard demo", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "nexxt-demo-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("listens on 127.0.0.1 only, and writes the secret files 0600", async () => {
    const demo: RunningDemo = await startDemo({ dir, port: 0, now: new Date() });
    try {
      expect(demo.microsoft.address().address).toBe("127.0.0.1");
      expect(demo.nexxt.address().address).toBe("127.0.0.1");
      // Not reachable on any other address of this machine.
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((info) => info !== undefined && !info.internal && info.family === "IPv4")
        .map((info) => info!.address);
      for (const address of others) expect(await canConnect(address, demo.microsoft.address().port)).toBe(false);
      expect(statSync(demo.files.connectorFile).mode & 0o777).toBe(0o600);
      expect(statSync(demo.files.apiTokenFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(demo.files.nexxtUsersFile, "utf8")).toMatch(/^\ufeffgebruikerId;naam;e-mailadres\r\n/);
    } finally {
      await demo.close();
    }
  });

  it("prints commands that work against it as printed, then stops on Ctrl-C", async () => {
    let interrupt: ((signal: NodeJS.Signals) => void) | undefined;
    const io = memoryIo({ cwd: dir, columns: 120, onInterrupt: (listener) => ((interrupt = listener), () => (interrupt = undefined)) });
    const running = run(["demo", "--dir", "files", "--port", "0"], io);
    while (interrupt === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    const printed = io.out.join("\n").replace(/ \\\n +/g, " ");
    expect(
      io.out
        .join("\n")
        .split("\n")
        .filter((line) => line.length > 80),
    ).toEqual([]);
    const commands = printed
      .split("\n")
      .filter((line) => line.startsWith("  bin/nexxt-onboard "))
      .map((line) => line.trim());
    expect(commands.map((command) => argvOf(command)[0])).toEqual(["verify", "map-users", "map-users", "push-config"]);
    expect(printed).toContain('export NEXXT_API_TOKEN="$(cat files/nexxt-api-token)"');
    const token = readFileSync(path.join(dir, "files", "nexxt-api-token"), "utf8").trim();
    // The demo's secret and token are never printed; they live in the 0600 files only.
    const secret = (JSON.parse(readFileSync(path.join(dir, "files", "demo.nexxt.json"), "utf8")) as { apiKey: string }).apiKey;
    expect(printed).not.toContain(token);
    expect(printed).not.toContain(secret);

    const results: { code: ExitCode; io: CliIo & { out: string[]; err: string[] } }[] = [];
    for (const command of commands) {
      const commandIo = memoryIo({ cwd: dir, env: { NEXXT_API_TOKEN: token } });
      results.push({ code: await run(argvOf(command), commandIo), io: commandIo });
    }
    const [verify, dryRun, apply, push] = results;
    expect(verify.code).toBe(ExitCode.Ok);
    expect(verify.io.out.join("\n")).toContain("All 5 checks passed.");
    // Not everyone matches, on purpose: exit 1 says some need a look.
    expect(dryRun.code).toBe(ExitCode.CheckFailed);
    expect(dryRun.io.out.join("\n").replace(/\s+/g, " ")).toContain("300 Nexxt users: 296 matched, 1 unmatched, 1 ambiguous, 1 disabled, 1 guest or other non-member");
    expect(dryRun.io.out.join("\n")).toContain("Dry run: 296 users would be linked");
    expect(apply.io.out.join("\n")).toContain("Applied: 296 updated, 0 already right");
    expect(push.code).toBe(ExitCode.Ok);

    const ports = printed.match(/127\.0\.0\.1:(\d+)/g)!.map((hostPort) => Number(hostPort.split(":")[1]));
    interrupt!("SIGINT");
    expect(await running).toBe(ExitCode.Ok);
    expect(io.err.join("\n")).toContain("demo stopped (SIGINT)");
    for (const port of new Set(ports)) expect(await canConnect("127.0.0.1", port)).toBe(false);
  });

  it.each(["SIGINT", "SIGTERM"] as const)("stops cleanly on %s as a process of its own", async (signal) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "nexxt-onboard"), "demo", "--dir", dir, "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes("Ctrl-C stops the demo.") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(out).toContain("Ctrl-C stops the demo.");
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(err).toContain(`demo stopped (${signal})`);
  });

  it("says which port is in use", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const io = memoryIo({ cwd: dir, onInterrupt: () => () => undefined });
      expect(await run(["demo", "--dir", dir, "--port", String(port)], io)).toBe(ExitCode.InvalidInput);
      expect(io.err.join("\n")).toContain(`port ${port} on 127.0.0.1 is in use; choose another with --port, or --port 0 for any free port`);
    } finally {
      blocker.close();
    }
  });

  it("writes only into a new or empty directory, or its own: never over a user's files", async () => {
    const own = mkdtempSync(path.join(tmpdir(), "not-a-demo-"));
    writeFileSync(path.join(own, "mapping.csv"), "mine");
    try {
      const io = memoryIo({ cwd: own, onInterrupt: () => () => undefined });
      expect(await run(["demo", "--dir", ".", "--port", "0"], io)).toBe(ExitCode.InvalidInput);
      expect(io.err.join("\n")).toContain("already holds files that are not the demo's; give a new or empty directory with --dir");
      expect(readFileSync(path.join(own, "mapping.csv"), "utf8")).toBe("mine");
      // A directory an earlier demo made is reused.
      const first = await startDemo({ dir, port: 0, now: new Date() });
      await first.close();
      const second = await startDemo({ dir, port: 0, now: new Date() });
      await second.close();
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it("prints relative paths below the current directory, absolute ones elsewhere", () => {
    const files = { connectorFile: "/a/b/demo.nexxt.json", nexxtUsersFile: "/a/b/u.csv", apiTokenFile: "/a/b/t", mappingFile: "/a/b/m.csv" };
    expect(demoCommands({ files, microsoftUrl: "http://127.0.0.1:1", nexxtUrl: "http://127.0.0.1:2" }, "/a")[1]).toContain("--config b/demo.nexxt.json");
    expect(demoCommands({ files, microsoftUrl: "http://127.0.0.1:1", nexxtUrl: "http://127.0.0.1:2" }, "/c")[1]).toContain("--config /a/b/demo.nexxt.json");
  });
});
