import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fleetPlan, githubOutput, planSummary } from "../../scripts/fleet-plan";
import { processDeps, runShardCommand, shardSummary } from "../../scripts/run-shard";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import type { ShardDeps } from "../../src/fleet/shardRun";
import { APP_ID, SECRET, TENANT_ID, expectNoSecrets, tenant } from "../emulator/fixtures";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";
import { generateFleet } from "../support/generatedFleet";
import { standIn } from "../support/pulumiCli/standIn";
import { stackYaml, tempProject } from "../support/tempProject";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" }).trim();
}

describe("scripts/fleet-plan", () => {
  it("turns `due --json` into sharded matrices for the scheduled run (1,000 stacks)", async () => {
    const fleet = generateFleet(1000);
    const io = memoryIo({ cwd: fleet.dir });
    await run(["due", "--at", "2027-03-03", "--json"], io);
    fs.writeFileSync(path.join(fleet.dir, "due.json"), io.out.join("\n"));
    const dueCount = JSON.parse(io.out.join("\n")).due.length;
    const output = fleetPlan(["--event", "schedule", "--due", "due.json"], fleet.dir);
    expect(output.plan.stacks).toHaveLength(dueCount);
    const lines = githubOutput(output.plan).trim().split("\n");
    expect(lines.map((line) => line.split("=")[0])).toEqual(["mode", "canary", "rest", "any_canary", "any_rest", "stacks"]);
    expect(lines[0]).toBe("mode=up");
    const rest = JSON.parse(lines[2].slice("rest=".length));
    expect(rest.include.length).toBe(Math.min(200, dueCount));
    expect(rest.include.flatMap((s: { stacks: string }) => s.stacks.split(" ")).sort()).toEqual(output.plan.stacks);
    expect(lines[3]).toBe("any_canary=false");
    expect(lines[5]).toBe(`stacks=${output.plan.stacks.join(" ")}`);
    expect(planSummary(output)).toMatch(/\| customer-\d{4} \| rest \| (rotation-due|previous-lapses)/);
  });

  describe("with git, over 1,000 stacks", () => {
    let fleet: ReturnType<typeof generateFleet>;
    let base: string;
    beforeAll(() => {
      fleet = generateFleet(1000);
      git(fleet.dir, "init", "-q", "-b", "main");
      git(fleet.dir, "add", ".");
      git(fleet.dir, "commit", "-q", "-m", "base");
      base = git(fleet.dir, "rev-parse", "HEAD");
      git(fleet.dir, "switch", "-q", "-c", "change");
      fs.writeFileSync(path.join(fleet.dir, "package.json"), "{}\n");
      fs.appendFileSync(path.join(fleet.dir, "stacks/Pulumi.customer-0500.yaml"), "  nexxt:url: https://pbx.example.nl\n");
      git(fleet.dir, "add", ".");
      git(fleet.dir, "commit", "-q", "-m", "program and one stack");
      fs.writeFileSync(path.join(fleet.dir, "due.json"), JSON.stringify({ due: [{ stack: "customer-0007", reasons: [] }] }));
    });

    it("a push that changes the program: the marked canaries first, all 1,000 in at most 200 jobs a phase", () => {
      const { plan } = fleetPlan(["--event", "push", "--base", base, "--due", "due.json"], fleet.dir);
      expect(plan.canary.flatMap((s) => s.stacks.split(" ")).sort()).toEqual(fleet.canaries);
      expect(plan.rest.reduce((n, s) => n + s.count, 0)).toBe(1000 - fleet.canaries.length);
      expect(plan.rest.length).toBe(200);
    });

    it("a pull request that changes the program previews the canaries and the stack whose file changed", () => {
      const { plan } = fleetPlan(["--event", "pull_request", "--base", base], fleet.dir);
      expect(plan.stacks).toEqual([...fleet.canaries, "customer-0500"].sort());
      expect(plan.canary).toEqual([]);
    });

    it("a push of a new branch (all-zero base) counts as a program change", () => {
      const { plan } = fleetPlan(["--event", "push", "--base", "0000000000000000000000000000000000000000", "--due", "due.json"], fleet.dir);
      expect(plan.programChanged).toBe(true);
      expect(plan.stacks).toHaveLength(1000);
    });
  });

  it("refuses a run without what it needs, in one sentence", () => {
    const cwd = tempProject({});
    expect(() => fleetPlan(["--event", "nightly"], cwd)).toThrow("--event 'nightly' must be one of pull_request, push, schedule, drift.");
    expect(() => fleetPlan(["--event", "schedule"], cwd)).toThrow("needs --due <file>");
    expect(() => fleetPlan(["--event", "push", "--due", "x"], cwd)).toThrow("needs --base <commit>");
  });
});

describe("scripts/run-shard", () => {
  let emulator: MicrosoftEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it("applies its stacks one after another with the real pulumi CLI interface, then the real verify with the secret from the stack output", async () => {
    emulator = await startMicrosoftEmulator({ tenants: [tenant()] });
    const cwd = tempProject({
      acme: stackYaml({ tenantId: TENANT_ID, companyId: "1" }),
      broken: "config:\n  nexxt:tenantId: nope\n",
      globex: stackYaml({ tenantId: TENANT_ID, companyId: "2", displayName: "Nexxt 2" }),
    });
    fs.mkdirSync(path.join(cwd, "policy"));
    fs.writeFileSync(path.join(cwd, "policy", "PulumiPolicy.yaml"), "runtime: nodejs\n");
    const stackOutputs = { applicationId: APP_ID, tenantId: TENANT_ID, clientSecret: SECRET, grantedPermissions: ["User.Read.All", "Contacts.Read"] };
    const pulumi = standIn(fs.mkdtempSync(path.join(os.tmpdir(), "stand-in-")), { PULUMI_CONFIG_PASSPHRASE: "pipeline passphrase" });
    pulumi.script({ stacks: { acme: { outputs: stackOutputs }, globex: { outputs: stackOutputs } }, fail: [{ command: "up", stack: "acme", message: "update failed" }] });
    const real = processDeps(cwd, { ...process.env, ...pulumi.env });
    const log: string[] = [];
    const verifyIo = memoryIo({ cwd });
    const deps: ShardDeps = {
      ...real,
      log: (line) => log.push(line),
      // The real verify command with the arguments run-shard builds; only the hosts point at the emulator.
      verify: (args, secret) =>
        run([...args, "--authority-host", emulator!.url, "--graph-url", emulator!.url, "--wait", "0"], { ...verifyIo, env: { NEXXT_CLIENT_SECRET: secret } }),
    };
    const file = await runShardCommand(["--mode", "up", "--stacks", "acme broken globex", "--results", "results/007.json"], cwd, deps);
    expect(file.results.map((r) => [r.stack, r.outcome, r.step])).toEqual([
      ["broken", "failed", "input"],
      ["acme", "failed", "up"],
      ["globex", "ok", "verify"],
    ]);
    // Neither stack was in the backend: each was created (stack select, then stack init with the
    // passphrase provider) before its up; the passphrase only ever in the environment.
    expect(pulumi.calls().map((call) => call.argv.join(" "))).toEqual([
      "stack select --stack acme --non-interactive",
      "stack init acme --secrets-provider passphrase --non-interactive",
      "up --yes --non-interactive --suppress-outputs --stack acme --policy-pack policy --policy-pack-config policy/config/default.json",
      "stack select --stack globex --non-interactive",
      "stack init globex --secrets-provider passphrase --non-interactive",
      "up --yes --non-interactive --suppress-outputs --stack globex --policy-pack policy --policy-pack-config policy/config/default.json",
      "stack output --json --show-secrets --stack globex",
    ]);
    expect(pulumi.calls().every((call) => call.passphraseEnv && !call.argv.join(" ").includes("pipeline passphrase"))).toBe(true);
    expect(fs.readFileSync(path.join(cwd, "stacks", "Pulumi.globex.yaml"), "utf8")).toMatch(/^encryptionsalt: v1:/);
    expect(verifyIo.out.join("\n")).toContain("All 5 checks passed.");
    expect(emulator.stats.tokenForms).toHaveLength(1);
    expectNoSecrets(verifyIo, [SECRET]);
    const written = JSON.parse(fs.readFileSync(path.join(cwd, "results/007.json"), "utf8"));
    expect(written).toMatchObject({ shard: "007", mode: "up" });
    expect(JSON.stringify(written)).not.toContain(SECRET);
    expect(log.filter((line) => line.includes("FAKE~"))).toEqual([expect.stringMatching(/^::add-mask::FAKE~/)]);
    const summary = shardSummary(file);
    expect(summary).toContain("| globex | ok | up and verify passed. |");
    expect(summary).toContain("| acme | failed | pulumi up --stack acme failed (exit 1); see the group above. |");
  });
});
