import * as pulumi from "@pulumi/pulumi";
import { Scenario } from "../support/lifecycle/scenario";

/**
 * The lifecycle engine answers a stack reference to the stack itself as the engine does
 * (src/program/previousGrants.ts cites the sources): the root stack's outputs of the last saved
 * checkpoint, none on a new stack, the old ones after a failed run, none after destroy.
 */
describe("the lifecycle engine: a stack reference to the stack itself", () => {
  let s: Scenario;
  let round = 0;
  let fail = false;
  let seen: unknown[] = [];

  beforeEach(async () => {
    s = await Scenario.start({ start: new Date("2027-03-10T09:00:00Z") });
    round = 0;
    fail = false;
    seen = [];
    s.engine.options.program = async () => {
      const own = new pulumi.StackReference("own", { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
      seen.push((await own.getOutputDetails("round")).value);
      if (fail) throw new Error("a resource failed");
      round++;
      return { round, token: pulumi.secret("s3cret") };
    };
  });

  afterEach(() => s.close());

  it("reads nothing on a new stack, the last successful run's outputs after it, nothing after destroy", async () => {
    const first = await s.engine.up();
    expect(first.steps.map((step) => step.op)).toEqual(["read"]);
    expect(first.changes()).toEqual([]);
    await s.engine.up();
    fail = true;
    await expect(s.engine.up()).rejects.toThrow("a resource failed");
    fail = false;
    await s.engine.up();
    await s.engine.destroy();
    await s.engine.up();
    expect(seen).toEqual([undefined, 1, 2, 2, undefined]);
  });

  it("keeps a secret output secret", async () => {
    await s.engine.up();
    s.engine.options.program = async () => {
      const own = new pulumi.StackReference("own", { name: `organization/nexxt/${pulumi.getStack()}` });
      seen.push(await own.getOutputDetails("token"));
      return {};
    };
    await s.engine.up();
    expect(seen.at(-1)).toEqual({ secretValue: "s3cret" });
  });
});
