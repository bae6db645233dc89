import { CommandResult, ShardDeps, StackJob, escapeCommandData, failuresOf, runShard } from "../../src/fleet/shardRun";
import { CLIENT_SECRET } from "../fakes/secrets";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const APP = "3f2c1a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const job = (stack: string): StackJob => ({ stack, tenantId: TENANT, policyConfig: "policy/config/default.json", cloud: "public" });
const outputs = (secret: unknown = CLIENT_SECRET) =>
  JSON.stringify({ applicationId: APP, tenantId: TENANT, clientSecret: secret, grantedPermissions: ["User.Read.All", "Contacts.Read"] });

/** Fake deps: pulumi answers from a table per stack and subcommand, every call recorded in order. */
function deps(answers: (stack: string, sub: string) => CommandResult, verifyCode = 0, backend: Set<string> | undefined = undefined) {
  const calls: string[] = [];
  const log: string[] = [];
  const verifies: { args: string[]; secret: string }[] = [];
  const d: ShardDeps = {
    ensureStack: async (stack, create) => {
      if (!backend || backend.has(stack)) return "existing";
      calls.push(`ensure ${stack} create=${create}`);
      if (!create) return "missing";
      backend.add(stack);
      return "created";
    },
    pulumi: async (args, tenantId) => {
      const stack = args[args.indexOf("--stack") + 1];
      calls.push(`${args.join(" ")} @${tenantId}`);
      return answers(stack, args[0] === "stack" ? "output" : args[0] === "preview" && args.includes("--refresh") ? "drift" : args[0]);
    },
    verify: async (args, secret) => {
      calls.push(`verify ${args[args.indexOf("--client-id") + 1]}`);
      verifies.push({ args, secret });
      return verifyCode;
    },
    log: (line) => log.push(line),
    now: () => new Date("2026-12-01T05:20:00Z"),
  };
  return { d, calls, log, verifies };
}

const ok = (stdout = ""): CommandResult => ({ code: 0, stdout });

describe("runShard up", () => {
  it("applies each stack with the policy pack, then verifies it with the secret from the stack output, masked first", async () => {
    const fake = deps((_stack, sub) => (sub === "output" ? ok(outputs()) : ok("Resources: 7 unchanged")));
    const results = await runShard("up", [job("acme"), job("globex")], fake.d);
    expect(fake.calls).toEqual([
      `up --yes --non-interactive --suppress-outputs --stack acme --policy-pack policy --policy-pack-config policy/config/default.json @${TENANT}`,
      `stack output --json --show-secrets --stack acme @${TENANT}`,
      `verify ${APP}`,
      `up --yes --non-interactive --suppress-outputs --stack globex --policy-pack policy --policy-pack-config policy/config/default.json @${TENANT}`,
      `stack output --json --show-secrets --stack globex @${TENANT}`,
      `verify ${APP}`,
    ]);
    expect(results.map((r) => [r.stack, r.outcome, r.upAt, r.verifyAt])).toEqual([
      ["acme", "ok", "2026-12-01T05:20:00Z", "2026-12-01T05:20:00Z"],
      ["globex", "ok", "2026-12-01T05:20:00Z", "2026-12-01T05:20:00Z"],
    ]);
    // The secret travels to verify as a value for its environment, never in its arguments.
    expect(fake.verifies[0].secret).toBe(CLIENT_SECRET);
    expect(fake.verifies[0].args).toEqual([
      "verify",
      "--tenant-id",
      TENANT,
      "--client-id",
      APP,
      "--client-secret-env",
      "NEXXT_CLIENT_SECRET",
      "--cloud",
      "public",
      "--wait",
      "600",
      "--permissions",
      "User.Read.All,Contacts.Read",
    ]);
    expect(fake.verifies[0].args.join(" ")).not.toContain(CLIENT_SECRET);
    // In the log the secret appears only inside the mask command, and that comes before verify ran.
    const maskLine = `::add-mask::${escapeCommandData(CLIENT_SECRET)}`;
    expect(fake.log.filter((line) => line.includes(CLIENT_SECRET) || line.includes(escapeCommandData(CLIENT_SECRET)))).toEqual([maskLine, maskLine]);
  });

  it("a failing up does not stop the next stack, and is not verified", async () => {
    const fake = deps((stack, sub) => (stack === "acme" && sub === "up" ? { code: 255, stdout: "error: boom" } : sub === "output" ? ok(outputs()) : ok()));
    const results = await runShard("up", [job("acme"), job("globex")], fake.d);
    expect(results.map((r) => [r.stack, r.outcome, r.step])).toEqual([
      ["acme", "failed", "up"],
      ["globex", "ok", "verify"],
    ]);
    expect(fake.calls.filter((c) => c.startsWith("verify"))).toHaveLength(1);
    expect(fake.log).toContain("::error title=acme::pulumi up --stack acme failed (exit 255); see the group above.");
    expect(failuresOf(results).map((r) => r.stack)).toEqual(["acme"]);
  });

  it.each([
    ["the output command fails", { code: 255, stdout: "" }, "`pulumi stack output --stack acme` failed (exit 255)"],
    ["the secret output is missing", ok(JSON.stringify({ applicationId: APP, tenantId: TENANT })), "the stack has no clientSecret output"],
    ["the secret arrives masked", ok(outputs("[secret]")), "the client secret output arrived masked (run with --show-secrets)"],
    ["the outputs are not JSON", ok("Current stack outputs (3):"), "the stack outputs are not JSON"],
  ])("says in the log when verify cannot run (%s), and counts it as a failure", async (_what, answer, reason) => {
    const fake = deps((_stack, sub) => (sub === "output" ? answer : ok()));
    const [result] = await runShard("up", [job("acme")], fake.d);
    expect(result).toMatchObject({ outcome: "failed", step: "verify", upAt: "2026-12-01T05:20:00Z", message: `up succeeded, but verify cannot run: ${reason}.` });
    expect(result.verifyAt).toBeUndefined();
    expect(fake.log).toContain(`::error title=acme::up succeeded, but verify cannot run: ${reason}.`);
    expect(fake.calls.some((c) => c.startsWith("verify"))).toBe(false);
  });

  it("a failing verify fails the stack but keeps its up time", async () => {
    const fake = deps((_stack, sub) => (sub === "output" ? ok(outputs()) : ok()), 1);
    const [result] = await runShard("up", [job("acme")], fake.d);
    expect(result).toMatchObject({ outcome: "failed", step: "verify", upAt: expect.any(String) });
  });

  it("a timed-out up says so", async () => {
    const fake = deps(() => ({ code: 1, stdout: "", timedOut: true }));
    const [result] = await runShard("up", [job("acme")], fake.d);
    expect(result.message).toBe("pulumi up --stack acme did not finish in time and was stopped.");
  });
});

describe("runShard preview and drift", () => {
  it("previews with the policy pack and never asks for outputs", async () => {
    const fake = deps(() => ok("Previewing update"));
    const results = await runShard("preview", [job("acme")], fake.d);
    expect(fake.calls).toEqual([
      `preview --non-interactive --diff --suppress-outputs --stack acme --policy-pack policy --policy-pack-config policy/config/default.json @${TENANT}`,
    ]);
    expect(results[0].outcome).toBe("ok");
  });

  it("reports drift from preview --refresh's change summary, changing nothing", async () => {
    const fake = deps((stack) => ok(JSON.stringify({ changeSummary: stack === "acme" ? { same: 6, create: 1 } : { same: 7 } })));
    const results = await runShard("drift", [job("acme"), job("globex")], fake.d);
    expect(fake.calls.every((c) => c.startsWith("preview --refresh --json"))).toBe(true);
    expect(results.map((r) => [r.stack, r.outcome])).toEqual([
      ["acme", "drift"],
      ["globex", "ok"],
    ]);
    expect(results[0].message).toContain("would create 1 resource(s)");
  });

  it("a preview --json without a change summary is a failure, not a pass", async () => {
    const fake = deps(() => ok("{}"));
    expect((await runShard("drift", [job("acme")], fake.d))[0].outcome).toBe("failed");
  });
});

describe("escapeCommandData", () => {
  it("escapes as actions/toolkit does, so the runner masks the real value", () => {
    expect(escapeCommandData("a%b\r\nc")).toBe("a%25b%0D%0Ac");
  });
});

describe("runShard and stacks the state backend does not have", () => {
  it("creates a new customer's stack before its first preview and up; the next stack is not touched", async () => {
    const backend = new Set(["globex"]);
    const fake = deps((_stack, sub) => (sub === "output" ? ok(outputs()) : ok()), 0, backend);
    const previews = await runShard("preview", [job("acme"), job("globex")], fake.d);
    expect(previews.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    expect(fake.calls[0]).toBe("ensure acme create=true");
    expect(fake.calls[1]).toMatch(/^preview .*--stack acme/);
    expect(fake.log).toContain("acme: created the stack in the state backend (first preview).");
    expect(backend.has("acme")).toBe(true);
  });

  it("the weekly drift check never creates a stack: a never-deployed one is reported", async () => {
    const backend = new Set<string>();
    const fake = deps(() => ok(), 0, backend);
    const [result] = await runShard("drift", [job("acme")], fake.d);
    expect(fake.calls).toEqual(["ensure acme create=false"]);
    expect(result).toMatchObject({ outcome: "drift", step: "stack" });
    expect(result.message).toContain("never deployed");
    expect(backend.size).toBe(0);
  });

  it("a backend that cannot be asked fails that stack, never creates it, and the next stack still runs", async () => {
    const fake = deps(() => ok(JSON.stringify({ changeSummary: { same: 4 } })));
    let asked = 0;
    fake.d.ensureStack = async (stack) => {
      asked++;
      if (stack === "acme") throw new Error("the state backend could not be asked for stack acme: incorrect passphrase");
      return "existing";
    };
    const results = await runShard("preview", [job("acme"), job("globex")], fake.d);
    expect(asked).toBe(2);
    expect(results.map((r) => [r.stack, r.outcome])).toEqual([
      ["acme", "failed"],
      ["globex", "ok"],
    ]);
    expect(results[0].message).toContain("incorrect passphrase");
    expect(fake.calls.some((call) => call.includes("--stack acme"))).toBe(false);
  });
});
