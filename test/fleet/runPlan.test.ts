import { canarySet, FALLBACK_CANARY_COUNT } from "../../src/fleet/canaries";
import { planRun, RunPlan } from "../../src/fleet/runPlan";
import { MATRIX_LIMIT, shardStacks } from "../../src/fleet/shards";
import { generatedStackName } from "../support/generatedFleet";

const customers = Array.from({ length: 1000 }, (_, i) => ({ stack: generatedStackName(i), canary: i % 97 === 3 }));
const names = customers.map((c) => c.stack);
const canaries = customers.filter((c) => c.canary).map((c) => c.stack);
const stacksOf = (shards: RunPlan["rest"]) => shards.flatMap((shard) => shard.stacks.split(" "));

describe("shardStacks", () => {
  it("deals 1,000 stacks over at most 200 jobs, each stack exactly once, sizes within one", () => {
    const shards = shardStacks(names);
    expect(shards).toHaveLength(200);
    expect(stacksOf(shards).sort()).toEqual(names);
    expect(new Set(shards.map((s) => s.count))).toEqual(new Set([5]));
    const uneven = shardStacks(names.slice(0, 457));
    expect(uneven).toHaveLength(200);
    expect(Math.max(...uneven.map((s) => s.count)) - Math.min(...uneven.map((s) => s.count))).toBe(1);
    expect(uneven.map((s) => s.shard).slice(0, 3)).toEqual(["000", "001", "002"]);
  });

  it("uses one job per stack when there are few, none when there are none, and refuses more than GitHub allows", () => {
    expect(shardStacks(["b", "a"])).toEqual([
      { shard: "000", stacks: "a", count: 1 },
      { shard: "001", stacks: "b", count: 1 },
    ]);
    expect(shardStacks([])).toEqual([]);
    expect(() => shardStacks(names, MATRIX_LIMIT + 1)).toThrow("GitHub's matrix limit");
    expect(shardStacks(names, 256)).toHaveLength(256);
  });
});

describe("canarySet", () => {
  it("takes the marked stacks, else the same few of a stable hashed order", () => {
    expect(canarySet(customers)).toEqual(canaries);
    const unmarked = customers.map((c) => ({ ...c, canary: false }));
    const fallback = canarySet(unmarked);
    expect(fallback).toHaveLength(FALLBACK_CANARY_COUNT);
    expect(canarySet([...unmarked].reverse())).toEqual(fallback);
    expect(fallback).not.toEqual(names.slice(0, FALLBACK_CANARY_COUNT));
  });
});

describe("planRun over 1,000 stacks", () => {
  const due = ["customer-0010", "customer-0500", "customer-0999", "not-a-stack"];

  it("schedule: exactly the due stacks (unknown names dropped), no canary phase", () => {
    const plan = planRun({ event: "schedule", customers, due });
    expect(plan.stacks).toEqual(["customer-0010", "customer-0500", "customer-0999"]);
    expect(plan.canary).toEqual([]);
    expect(stacksOf(plan.rest)).toEqual(plan.stacks);
  });

  it("schedule after a program change the canaries have not passed: every canary first, then the due stacks", () => {
    const plan = planRun({ event: "schedule", customers, due, changedPaths: ["src/connector/connector.ts"] });
    const canaries = canarySet(customers);
    expect(plan.programChanged).toBe(true);
    expect(stacksOf(plan.canary)).toEqual([...canaries].sort());
    expect(stacksOf(plan.rest)).toEqual(["customer-0010", "customer-0500", "customer-0999"].filter((stack) => !canaries.includes(stack)));
    // Stack files alone changed since the last good push: no canary phase.
    expect(planRun({ event: "schedule", customers, due, changedPaths: ["stacks/Pulumi.customer-0042.yaml"] }).canary).toEqual([]);
  });

  it("push of a stack file: that stack plus the due ones, no canary phase", () => {
    const plan = planRun({ event: "push", customers, changedPaths: ["stacks/Pulumi.customer-0042.yaml", "README.md"], due });
    expect(plan.programChanged).toBe(false);
    expect(plan.stacks).toEqual(["customer-0010", "customer-0042", "customer-0500", "customer-0999"]);
    expect(plan.canary).toEqual([]);
  });

  it("push of a program change: the canaries first, every other stack after, each once, at most 200 jobs a phase", () => {
    const plan = planRun({ event: "push", customers, changedPaths: ["src/connector/connector.ts"], due });
    expect(plan.programChanged).toBe(true);
    expect(stacksOf(plan.canary).sort()).toEqual(canaries);
    const rest = stacksOf(plan.rest);
    expect(rest).toHaveLength(1000 - canaries.length);
    expect(rest.filter((stack) => canaries.includes(stack))).toEqual([]);
    expect([...stacksOf(plan.canary), ...rest].sort()).toEqual(names);
    expect(plan.rest.length).toBeLessThanOrEqual(200);
  });

  it("pull request of a program change: a preview of the canaries (and stacks whose own file changed), not of 1,000", () => {
    const plan = planRun({ event: "pull_request", customers, changedPaths: ["package-lock.json", "policy/config/customer-0007.json"] });
    expect(plan.stacks).toEqual([...canaries, "customer-0007"].sort());
    expect(plan.canary).toEqual([]);
  });

  it("pull request of stack files only: those stacks; the example and deleted stacks never", () => {
    const plan = planRun({ event: "pull_request", customers, changedPaths: ["stacks/Pulumi.customer-0001.yaml", "stacks/Pulumi.example.yaml", "stacks/Pulumi.gone.yaml"] });
    expect(plan.stacks).toEqual(["customer-0001"]);
  });

  it("drift: every stack, sharded", () => {
    const plan = planRun({ event: "drift", customers });
    expect(plan.stacks).toEqual(names);
    expect(plan.rest).toHaveLength(200);
  });
});
