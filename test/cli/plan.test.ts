import { rotationJitterDays, secretScheduleAt } from "../../src/schedule/secretSchedule";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import type { OfflinePlan } from "../../src/plan/offlinePlan";
import { stackYaml, tempProject } from "../support/tempProject";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const NOW = () => new Date("2026-11-27T10:00:00Z");

async function plan(args: string[], stacks: Record<string, string>) {
  const io = memoryIo({ cwd: tempProject(stacks), now: NOW });
  const code = await run(["plan", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

describe("nexxt-onboard plan", () => {
  it("prints each resource, each permission with its GUID and meaning, and the outputs with the secret redacted", async () => {
    const { code, out, err } = await plan(["--stack", "acme"], { acme: stackYaml({ tenantId: TENANT, companyId: "4711", url: "https://pbx.example.nl" }) });
    expect(err).toBe("");
    expect(code).toBe(ExitCode.Ok);
    expect(out).toContain("Offline plan for stack 'acme' (stacks/Pulumi.acme.yaml) as of 2026-11-27");
    expect(out).toMatch(/\+ App registration\s+nexxt-app\n\s+displayName: ClearVox Nexxt\n\s+signInAudience: AzureADMultipleOrgs/);
    expect(out).toMatch(/\+ Service principal\s+nexxt-sp\n\s+clientId: <nexxt-app.clientId>/);
    expect(out).toContain("User.Read.All  df021288-bdef-4463-88db-98f22de89214  Read all users' full profiles");
    expect(out).toContain("Contacts.Read  089fe4d0-434a-44c5-8827-41ba8a0b17f5  Read contacts in all mailboxes");
    expect(out).toMatch(/clientSecret\s+\[secret\]/);
    expect(out).toContain(`https://login.microsoftonline.com/${TENANT}/oauth2/token`);
    expect(out).not.toContain("fake~");
  });

  it("lists slot a before slot b, whichever is newest, and names the hand-off instead of printing it in the outputs", async () => {
    // On 2026-11-27 the newest generation is in slot a; either way the slots are listed a, b.
    const { code, out } = await plan(["--stack", "acme"], { acme: stackYaml({ tenantId: TENANT, companyId: "4711" }) });
    expect(code).toBe(ExitCode.Ok);
    expect(out.indexOf("nexxt-secret-a")).toBeLessThan(out.indexOf("nexxt-secret-b"));
    expect(out.indexOf("  slot a ")).toBeLessThan(out.indexOf("  slot b "));
    const outputs = out.slice(out.indexOf("Stack outputs:"));
    expect(outputs).toMatch(/\n {2}handoff\s+# Nexxt Office 365 link: acme \(\d+ lines of text; --json has it whole\)/);
    expect(outputs).not.toContain("Customer Care. Written by");
    expect(outputs.split("\n").length).toBeLessThan(15);
  });

  it("gives pipelines the same plan as JSON, with no secret in it", async () => {
    const { code, out } = await plan(["--stack", "acme", "--json"], { acme: stackYaml({ tenantId: TENANT, companyId: "4711" }) });
    expect(code).toBe(ExitCode.Ok);
    const parsed = JSON.parse(out) as OfflinePlan;
    expect(parsed.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(["nexxt", "nexxt-app", "nexxt-sp", "nexxt-secret-a", "nexxt-secret-b", "nexxt-grant-User.Read.All", "nexxt-grant-Contacts.Read"]),
    );
    expect(parsed.permissions.map((p) => p.id)).toEqual(["df021288-bdef-4463-88db-98f22de89214", "089fe4d0-434a-44c5-8827-41ba8a0b17f5"]);
    expect(parsed.outputs.clientSecret).toBe("[secret]");
    expect(out).not.toContain("fake~");
  });

  it("plans a takeover: imports the registration and lists no read among the resources it registers", async () => {
    const clientId = "c1c1c1c1-0000-4000-8000-000000000002";
    const { code, out, err } = await plan(["--stack", "acme", "--json"], { acme: stackYaml({ tenantId: TENANT, companyId: "4711", existingApplicationId: clientId }) });
    expect(err).toBe("");
    expect(code).toBe(ExitCode.Ok);
    const parsed = JSON.parse(out) as OfflinePlan;
    expect(parsed.resources.find((r) => r.name === "nexxt-app")?.importId).toBe("/applications/<existing registration's objectId>");
    expect(parsed.resources.map((r) => r.type)).not.toContain("pulumi:pulumi:StackReference");
    // A new stack granted nothing before: every configured role it grants is recorded.
    expect(parsed.outputs.grantedRoleIds).toEqual(["089fe4d0-434a-44c5-8827-41ba8a0b17f5", "df021288-bdef-4463-88db-98f22de89214"]);
  });

  it("shows which slot holds Nexxt's secret at another date with --at", async () => {
    const stacks = { acme: stackYaml({ tenantId: TENANT, companyId: "4711", rotationStart: "2026-01-01" }) };
    // rotationStart 2026-01-01, jitter 55: generation 3 is issued on A + 540 - 55 = 2027-05-01,
    // in slot b, and Nexxt is given it that day.
    const before = JSON.parse((await plan(["--stack", "acme", "--json", "--at", "2027-04-30"], stacks)).out) as OfflinePlan;
    const after = JSON.parse((await plan(["--stack", "acme", "--json", "--at", "2027-05-01"], stacks)).out) as OfflinePlan;
    expect(before.secrets.find((s) => s.active)).toMatchObject({ slot: "a", generation: 2 });
    expect(before.nextRotationAt).toBe("2027-05-01T00:00:00Z");
    expect(after.secrets.find((s) => s.active)).toMatchObject({ slot: "b", generation: 3, expiresAt: "2028-04-30T00:00:00Z" });
    expect(after.secrets.find((s) => !s.active)).toMatchObject({ slot: "a", generation: 2 });
    expect(after.rotationStart).toBe("2026-01-01");
  });

  it("shows nexxt:rotationStart and the next issue day, and plans --at before the start too (issue 17, finding 4)", async () => {
    const stacks = { acme: stackYaml({ tenantId: TENANT, companyId: "4711", rotationStart: "2027-01-05" }) };
    const settings = { lifetimeDays: 365, rotationDays: 180, overlapDays: 30, rotationStart: new Date("2027-01-05T00:00:00Z") };
    const first = await plan(["--stack", "acme", "--at", "2027-01-05"], stacks);
    expect(first.code).toBe(ExitCode.Ok);
    expect(first.out).toContain("slot a  generation 0  expires 2028-01-05");
    const next = secretScheduleAt(new Date("2027-01-05T00:00:00Z"), settings, "acme").nextRotationAt.toISOString().slice(0, 10);
    expect(first.out).toContain(`next rotation ${next}`);
    expect(first.out).toContain(
      `rotation start 2027-01-05 (first secret; later ones every nexxt:rotationDays, ${rotationJitterDays("acme", settings)} day(s) early for this stack)`,
    );
    const json = JSON.parse((await plan(["--stack", "acme", "--json", "--at", "2027-01-05"], stacks)).out) as OfflinePlan;
    expect(json).toMatchObject({ rotationStart: "2027-01-05", nextRotationAt: `${next}T00:00:00Z` });

    // Before the start the grid runs backwards: what `pulumi up` would do that day, not a refusal.
    const early = await plan(["--stack", "acme", "--at", "2027-01-04"], stacks);
    expect(early.code).toBe(ExitCode.Ok);
    expect(early.out).toContain("slot b  generation -1  expires 2027-07-09");
    expect(early.out).toContain("next rotation 2027-01-05");
  });

  it("fails on a bad stack file with the program's own sentences, exit 2", async () => {
    const { code, err, out } = await plan(["--stack", "acme"], { acme: stackYaml({ tenantId: "contoso.com", companyId: "4711", permissions: ["Mail.Send"] }) });
    expect(code).toBe(ExitCode.InvalidInput);
    expect(out).toBe("");
    expect(err).toContain("stacks/Pulumi.acme.yaml has 2 problems");
    expect(err).toContain("nexxt:tenantId 'contoso.com' is not a GUID");
    expect(err).toContain("'Mail.Send'");
  });

  it("names the missing file and how to create it", async () => {
    const { code, err } = await plan(["--stack", "globex"], {});
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain(`There is no stack file for 'globex' at ${path.join("stacks", "Pulumi.globex.yaml")}`);
    expect(err).toContain("new-customer globex");
  });

  it("refuses a malformed --at and an invalid stack name", async () => {
    expect((await plan(["--stack", "acme", "--at", "1 June"], {})).err).toContain("--at '1 June' is not a date that exists; give it as YYYY-MM-DD");
    expect((await plan(["--stack", "../etc"], {})).err).toContain("Stack name '../etc' is not allowed");
  });

  it("shows the push to Nexxt with the encrypted token redacted", async () => {
    const yaml =
      stackYaml({ tenantId: TENANT, companyId: "4711", apiUrl: "https://pbx.example.nl/api/office365" }) + "  nexxt:apiToken:\n    secure: v1:AAAABBBBCCCCDDDD:EEEEFFFF\n";
    const { code, out } = await plan(["--stack", "acme"], { acme: yaml });
    expect(code).toBe(ExitCode.Ok);
    expect(out).toMatch(
      /\+ Connector configuration pushed to Nexxt\s+nexxt-push\n\s+url: https:\/\/pbx.example.nl\/api\/office365\n\s+apiToken: \[secret\]\n\s+document: \[secret\]/,
    );
    expect(out).not.toContain("v1:AAAA");
  });

  it("refuses an API token written in clear text in the stack file", async () => {
    const { code, err } = await plan(["--stack", "acme"], {
      acme: stackYaml({ tenantId: TENANT, companyId: "4711", apiUrl: "https://pbx.example.nl/api", apiToken: "plain-token-value" }),
    });
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toContain("nexxt:apiToken is stored in clear text in the stack file");
    expect(err).not.toContain("plain-token-value");
  });

  it("plans the committed example stack as is", async () => {
    const io = memoryIo({ cwd: path.join(__dirname, "..", ".."), now: NOW });
    expect(await run(["plan", "--stack", "example"], io)).toBe(ExitCode.Ok);
  });
});
