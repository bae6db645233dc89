import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";
import { APP_ID, SECRET, TENANT_ID, expectNoSecrets, tenant } from "../emulator/fixtures";
import { StandIn, standIn } from "../support/pulumiCli/standIn";
import { stackYaml, tempProject } from "../support/tempProject";

const OUTPUTS = {
  applicationId: APP_ID,
  tenantId: TENANT_ID,
  tokenEndpoint: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/token`,
  clientSecret: SECRET,
  secretExpiresAt: "2027-12-01T00:00:00.000Z",
  nextRotationAt: "2027-05-30T00:00:00.000Z",
  grantedPermissions: ["User.Read.All", "Contacts.Read"],
  companyId: "4711",
  servicePrincipalObjectId: "0b0b0b0b-0000-4000-8000-000000000001",
  handoff: "# ClearVox Nexxt hand-off: acme\nToepassings-id: " + APP_ID,
};

/** A project with customer acme, the policy pack's marker, and the CLI stand-in; no backend variable: the embedded default. */
function setUp(extraEnv: NodeJS.ProcessEnv = {}) {
  const cwd = tempProject({ acme: stackYaml({ tenantId: TENANT_ID, companyId: "4711", rotationStart: "2026-12-01" }) });
  fs.mkdirSync(path.join(cwd, "policy"));
  fs.writeFileSync(path.join(cwd, "policy", "PulumiPolicy.yaml"), "runtime: nodejs\n");
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "home-"));
  const pulumi = standIn(home);
  pulumi.script({ stacks: { acme: { outputs: OUTPUTS } } });
  const env: NodeJS.ProcessEnv = { ...pulumi.env, ...extraEnv };
  delete env.PULUMI_BACKEND_URL;
  return { cwd, home, pulumi, env: { ...env, ...extraEnv } };
}

describe("nexxt-onboard up", () => {
  let emulator: MicrosoftEmulator;
  beforeAll(async () => {
    emulator = await startMicrosoftEmulator({ tenants: [tenant()] });
  });
  afterAll(async () => {
    await emulator.close();
  });
  const up = async (cwd: string, env: NodeJS.ProcessEnv, args: string[] = []) => {
    const io = memoryIo({ cwd, env });
    const code = await run(["up", "--stack", "acme", "--authority-host", emulator.url, "--graph-url", emulator.url, "--wait", "0", ...args], io);
    return { code, io, out: io.out.join("\n"), err: io.err.join("\n") };
  };
  const argvOf = (pulumi: StandIn) => pulumi.calls().map((call) => call.argv.join(" "));

  it("on a fresh machine: creates the passphrase file outside the project, the embedded backend and the stack, then up with the policy pack, verify and the hand-off", async () => {
    const { cwd, home, pulumi, env } = setUp();
    const { code, io, out, err } = await up(cwd, env);
    expect(code).toBe(ExitCode.Ok);
    const passphraseFile = path.join(home, ".config", "nexxt-onboard", "pulumi-passphrase");
    expect(fs.statSync(passphraseFile).mode & 0o777).toBe(0o600);
    expect(err).toContain(`Created the state's passphrase in ${passphraseFile} (mode 0600). Back this file up now`);
    expect(err).toContain("Created stack acme in the project's own state folder");
    expect(fs.existsSync(path.join(cwd, ".pulumi-state", ".pulumi", "stacks", "nexxt", "acme.json"))).toBe(true);
    expect(argvOf(pulumi)).toEqual([
      "stack select --stack acme --non-interactive",
      "stack init acme --secrets-provider passphrase --non-interactive",
      "stack select --stack acme --non-interactive",
      "up --yes --skip-preview --policy-pack policy --policy-pack-config policy/config/default.json --exec-kind auto.local --stack acme --non-interactive",
      // The Automation API's outputs(): masked, then in the clear to tell which are secret.
      "stack output --json --stack acme --non-interactive",
      "stack output --json --show-secrets --stack acme --non-interactive",
      "stack history --json --page-size 1 --page 1 --stack acme --non-interactive",
    ]);
    // The passphrase reaches the CLI as a file name in its environment, never on a command line.
    const phrase = fs.readFileSync(passphraseFile, "utf8").trim();
    for (const call of pulumi.calls()) {
      expect(call.argv.join(" ")).not.toContain(phrase);
      expect(call.backend).toBe(`file://${path.join(cwd, ".pulumi-state")}`);
      expect(call.passphraseEnv).toBe(false);
    }
    expect(pulumi.calls()[1].passphraseFile).toBe(passphraseFile);
    expect(out).toContain("All 5 checks passed.");
    expect(out).toContain("# ClearVox Nexxt hand-off: acme");
    expect(out).toContain("acme is connected");
    // The CLI's progress, whole lines on the terminal side (stderr).
    expect(io.err).toContain("Updating (acme)");
    expect(io.err.some((line) => /^\s+\+\s+azuread:index\/application:Application\s+nexxt-application\s+created$/.test(line))).toBe(true);
    expectNoSecrets(io, [SECRET, phrase]);
    expect(fs.readFileSync(path.join(cwd, "stacks", "Pulumi.acme.yaml"), "utf8")).toMatch(/^encryptionsalt: /);
  });

  it("a second run reuses the passphrase and the stack, and says nothing about either", async () => {
    const { cwd, pulumi, env } = setUp();
    expect((await up(cwd, env)).code).toBe(ExitCode.Ok);
    fs.rmSync(pulumi.logFile);
    const again = await up(cwd, env);
    expect(again.code).toBe(ExitCode.Ok);
    expect(again.err).not.toContain("passphrase");
    expect(again.err).not.toContain("Created stack");
    expect(argvOf(pulumi).filter((call) => call.startsWith("stack init"))).toEqual([]);
  });

  it("--preview changes nothing and verifies nothing; --json prints one document", async () => {
    const { cwd, pulumi, env } = setUp();
    const { code, out } = await up(cwd, env, ["--preview", "--json"]);
    expect(code).toBe(ExitCode.Ok);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ stack: "acme", mode: "preview", created: true, backend: { embedded: true }, changeSummary: { create: 4 } });
    expect(argvOf(pulumi).some((call) => call.startsWith("up "))).toBe(false);
    expect(argvOf(pulumi).filter((call) => call.startsWith("preview "))).toEqual([
      expect.stringMatching(
        /^preview --diff --policy-pack policy --policy-pack-config policy\/config\/default\.json --exec-kind auto\.local --event-log tcp:\/\/127\.0\.0\.1:\d+ --stack acme --non-interactive$/,
      ),
    ]);
  });

  it("takes PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE_FILE when set, and creates no passphrase file", async () => {
    const { cwd, home, pulumi, env } = setUp();
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), "shared-state-"));
    const secretFile = path.join(home, "my-passphrase");
    fs.writeFileSync(secretFile, "correct horse battery staple\n", { mode: 0o600 });
    const { code, out } = await up(cwd, { ...env, PULUMI_BACKEND_URL: `file://${shared}`, PULUMI_CONFIG_PASSPHRASE_FILE: secretFile }, ["--json"]);
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(out)).toMatchObject({ backend: { url: `file://${shared}`, embedded: false }, passphraseFile: secretFile, verify: { ok: true } });
    expect(fs.existsSync(path.join(home, ".config", "nexxt-onboard"))).toBe(false);
    expect(fs.existsSync(path.join(cwd, ".pulumi-state"))).toBe(false);
    expect(pulumi.calls().every((call) => call.passphraseFile === secretFile)).toBe(true);
  });

  it("refuses a passphrase file others can read, and a missing stack file, before the CLI runs", async () => {
    const { cwd, home, pulumi, env } = setUp();
    const loose = path.join(home, "loose");
    fs.writeFileSync(loose, "x\n", { mode: 0o644 });
    const first = await up(cwd, { ...env, PULUMI_CONFIG_PASSPHRASE_FILE: loose });
    expect(first.code).toBe(ExitCode.InvalidInput);
    expect(first.err).toContain(`can be read by other users (mode 644); run \`chmod 600 ${loose}\``);
    const io = memoryIo({ cwd, env });
    expect(await run(["up", "--stack", "globex"], io)).toBe(ExitCode.InvalidInput);
    expect(io.err.join("\n")).toContain("There is no stack file stacks/Pulumi.globex.yaml; write it first with `bin/nexxt-onboard new-customer globex");
    expect(pulumi.calls()).toEqual([]);
  });

  it("Ctrl-C stops the CLI cleanly (exit 130), nothing is recorded, and the same command goes on", async () => {
    const { cwd, pulumi, env } = setUp();
    pulumi.script({ stacks: { acme: { outputs: OUTPUTS } }, delay: [{ command: "up", ms: 20_000 }] });
    let interrupt: ((signal: NodeJS.Signals) => void) | undefined;
    const io = memoryIo({
      cwd,
      env,
      onInterrupt: (listener) => {
        interrupt = listener;
        return () => (interrupt = undefined);
      },
    });
    const started = Date.now();
    const running = run(["up", "--stack", "acme", "--wait", "0"], io);
    while (!pulumi.calls().some((call) => call.argv[0] === "up")) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    interrupt!("SIGINT");
    expect(await running).toBe(ExitCode.Interrupted);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(interrupt).toBeUndefined();
    expect(io.err.join("\n")).toContain(
      "pulumi up --stack acme was stopped (Ctrl-C); Pulumi finished the step it was in and released the stack: run the same command again to go on.",
    );
    const state = JSON.parse(fs.readFileSync(path.join(cwd, ".pulumi-state", ".pulumi", "stacks", "nexxt", "acme.json"), "utf8"));
    expect(state.checkpoint.latest).toBeNull();
  });

  it("a failing up exits 3 with the CLI's error sentence and verifies nothing", async () => {
    const { cwd, pulumi, env } = setUp();
    pulumi.script({ fail: [{ command: "up", message: "azuread:index:Application nexxt-app: insufficient privileges" }] });
    const { code, err } = await up(cwd, env);
    expect(code).toBe(ExitCode.RemoteFailed);
    expect(err).toContain("error: pulumi up --stack acme failed: azuread:index:Application nexxt-app: insufficient privileges; nothing is lost");
  });
});
