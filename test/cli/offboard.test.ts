import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { ExitCode } from "../../src/exitCodes";
import { offboardPlan } from "../../src/automation/offboardPlan";
import { CLIENT_SECRET } from "../fakes/secrets";
import { StandInResource, standIn } from "../support/pulumiCli/standIn";
import { stackYaml, tempProject } from "../support/tempProject";

const T1 = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const APP = "3f2c1a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const APP_TYPE = "azuread:index/application:Application";
const SP_TYPE = "azuread:index/servicePrincipal:ServicePrincipal";
const PASSWORD_TYPE = "azuread:index/applicationPassword:ApplicationPassword";
const GRANT_TYPE = "azuread:index/appRoleAssignment:AppRoleAssignment";
const PUSH_TYPE = "pulumi-nodejs:dynamic/nexxt:NexxtConfigPush";

/** Resources as the program leaves them in the state: made by the stack, or taken over (retained). */
function resources(takenOver: boolean, nexxtRetained: boolean): StandInResource[] {
  return [
    { type: APP_TYPE, name: "nexxt-app", outputs: { clientId: APP, displayName: "ClearVox Nexxt" }, retainOnDelete: takenOver },
    { type: SP_TYPE, name: "nexxt-sp", outputs: {}, retainOnDelete: takenOver },
    {
      type: PASSWORD_TYPE,
      name: "nexxt-secret-a",
      outputs: { displayName: "nexxt a gen 4", keyId: "9a9a9a9a-0000-4000-8000-000000000001", endDate: "2027-05-30T00:00:00Z" },
      retainOnDelete: true,
    },
    { type: PASSWORD_TYPE, name: "nexxt-secret-b", outputs: { displayName: "nexxt b gen 5", keyId: "9a9a9a9a-0000-4000-8000-000000000002", endDate: "2027-11-26T00:00:00Z" } },
    { type: GRANT_TYPE, name: "nexxt-grant-User.Read.All", outputs: {} },
    { type: PUSH_TYPE, name: "nexxt-push", outputs: { url: "https://pbx.example.nl/api/office365/connector", retainOnDelete: nexxtRetained } },
  ];
}

function applied(takenOver = false, nexxtRetained = false) {
  const cwd = tempProject({ acme: stackYaml({ tenantId: T1, companyId: "4711", rotationStart: "2026-06-01" }) });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "offboard-"));
  const passphraseFile = path.join(home, "passphrase");
  fs.writeFileSync(passphraseFile, "offboard passphrase\n", { mode: 0o600 });
  const pulumi = standIn(home, { PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile });
  pulumi.script({ stacks: { acme: { outputs: { clientSecret: CLIENT_SECRET, tenantId: T1 }, resources: resources(takenOver, nexxtRetained) } } });
  pulumi.pulumi(cwd, "stack", "init", "acme");
  pulumi.pulumi(cwd, "up", "--yes", "--stack", "acme");
  return { cwd, pulumi, env: { ...pulumi.env }, statePath: path.join(pulumi.backendDir, ".pulumi", "stacks", "nexxt", "acme.json") };
}

describe("nexxt-onboard offboard", () => {
  const offboard = async (cwd: string, env: NodeJS.ProcessEnv, args: string[]) => {
    const io = memoryIo({ cwd, env });
    const code = await run(["offboard", ...args], io);
    return { code, io, out: io.out.join("\n"), err: io.err.join("\n") };
  };

  it("a state export that is not JSON stops it in one sentence, before anything is destroyed", async () => {
    const { cwd, pulumi, env } = applied();
    pulumi.script({ garble: ["stack export"] });
    const { code, err } = await offboard(cwd, env, ["--stack", "acme", "--confirm", "acme"]);
    expect(code).toBe(ExitCode.InvalidInput);
    expect(err).toBe("error: `pulumi stack export --stack acme` did not print a JSON state (is `pulumi` the Pulumi CLI?); nothing was destroyed.");
    expect(pulumi.calls().some((call) => call.argv[0] === "destroy")).toBe(false);
  });

  it("refuses without --confirm naming the stack, before the CLI runs", async () => {
    const { cwd, pulumi, env } = applied();
    for (const args of [
      ["--stack", "acme"],
      ["--stack", "acme", "--confirm", "globex"],
    ]) {
      const { code, err } = await offboard(cwd, env, args);
      expect(code).toBe(ExitCode.InvalidInput);
      expect(err).toContain("repeat the stack's name to confirm: --confirm acme.");
    }
    expect(pulumi.calls()).toEqual([]);
    expect(JSON.parse(fs.readFileSync(pulumi.backendDir + "/.pulumi/stacks/nexxt/acme.json", "utf8")).checkpoint.latest.resources).toHaveLength(7);
  });

  it("destroys a stack it created: Nexxt's configuration deleted, the registration in Entra's recycle bin for 30 days, and the next steps", async () => {
    const { cwd, pulumi, env, statePath } = applied();
    const { code, out, io } = await offboard(cwd, env, ["--stack", "acme", "--confirm", "acme"]);
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(fs.readFileSync(statePath, "utf8")).checkpoint.latest.resources).toEqual([]);
    expect(pulumi.calls().map((call) => call.argv.slice(0, 2).join(" "))).toEqual(["stack select", "stack export", "stack select", "destroy --yes", "stack history"]);
    expect(pulumi.calls().some((call) => call.argv.includes("--show-secrets"))).toBe(false);
    expect(out).toContain("offboard acme: destroyed 6 resource(s).");
    expect(out).toContain("The connector configuration in Nexxt (https://pbx.example.nl/api/office365/connector) was deleted.");
    expect(out).toContain(`The deleted registration ClearVox Nexxt (client ID ${APP}) stays in Entra's recycle bin for 30 days`);
    expect(out).toContain("Delete stacks/Pulumi.acme.yaml and merge that");
    expect(io.out.join("\n") + io.err.join("\n")).not.toContain(CLIENT_SECRET);
  });

  it("leaves a taken-over registration, its retained secret (until it expires) and a retained Nexxt configuration, and says how to remove each (--json)", async () => {
    const { cwd, env } = applied(true, true);
    const { code, out } = await offboard(cwd, env, ["--stack", "acme", "--confirm", "acme", "--json"]);
    expect(code).toBe(ExitCode.Ok);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ stack: "acme", ok: true, applicationId: APP, nexxt: { pushed: true, removed: false } });
    expect(result.deleted).toEqual([`${PASSWORD_TYPE} nexxt-secret-b`, `${GRANT_TYPE} nexxt-grant-User.Read.All`, `${PUSH_TYPE} nexxt-push`]);
    const stays = result.stays.map((item: { what: string }) => item.what);
    expect(stays[0]).toContain(`The registration ClearVox Nexxt (client ID ${APP}): it existed before this stack took it over`);
    expect(stays[1]).toContain("Its enterprise application (service principal)");
    expect(result.stays[2]).toMatchObject({ until: "2027-05-30T00:00:00Z", what: expect.stringContaining("stops working by itself on 2027-05-30") });
    expect(result.stays[2].remove).toContain("Certificates & secrets");
    expect(stays[3]).toContain("nexxt:retainOnDelete is true");
  });

  it("never makes a passphrase for a state it could not decrypt, and says when the backend has no such stack", async () => {
    const { cwd, pulumi, env } = applied();
    const noPassphrase = { ...env };
    delete noPassphrase.PULUMI_CONFIG_PASSPHRASE_FILE;
    const first = await offboard(cwd, noPassphrase, ["--stack", "acme", "--confirm", "acme"]);
    expect(first.code).toBe(ExitCode.InvalidInput);
    expect(first.err).toContain("No passphrase: PULUMI_CONFIG_PASSPHRASE_FILE is not set");
    expect(fs.existsSync(path.join(env.HOME!, ".config", "nexxt-onboard"))).toBe(false);
    fs.writeFileSync(path.join(cwd, "stacks", "Pulumi.globex.yaml"), stackYaml({ tenantId: T1, companyId: "4712", rotationStart: "2026-06-01" }));
    const second = await offboard(cwd, env, ["--stack", "globex", "--confirm", "globex"]);
    expect(second.code).toBe(ExitCode.InvalidInput);
    expect(second.err).toContain("Stack globex is not in the state backend");
    expect(pulumi.calls().map((call) => call.argv[0])).not.toContain("destroy");
  });

  it("a stack that never pushed to Nexxt: the pasted values are to be removed by hand", () => {
    const exported = {
      deployment: { resources: [{ urn: "urn:pulumi:acme::nexxt::azuread:index/application:Application::nexxt-app", type: APP_TYPE, outputs: { displayName: "ClearVox Nexxt" } }] },
    };
    const plan = offboardPlan(exported, "4711");
    expect(plan.nexxt).toEqual({ pushed: false });
    expect(plan.stays.map((item) => item.remove)).toContain("Remove the Office 365 connection of company 4711 in Nexxt by hand.");
  });
});
