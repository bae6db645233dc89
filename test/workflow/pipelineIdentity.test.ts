import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clientIdLookup, processDeps, runShardCommand } from "../../scripts/run-shard";
import { pipelineClientId } from "../../src/partner/pipelineClientId";
import { parsePartnerConfig } from "../../src/partner/partnerConfig";
import { stackYaml, tempProject } from "../support/tempProject";
import { userErrorOf } from "../stacks/userErrorOf";
import { standIn } from "../support/pulumiCli/standIn";

const PUBLIC_TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const CHINA_TENANT = "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
const DEPLOY = "0d9c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const PREVIEW = "5b1e2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const CHINA_DEPLOY = "6c2f2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const PARTNER = `consentRedirectUri: https://www.partner.example/nexxt/consented\napps:\n  public:\n    deploy: ${DEPLOY}\n    preview: ${PREVIEW}\n  china:\n    deploy: ${CHINA_DEPLOY}\n`;

/** The Pulumi CLI stand-in, recording the sign-in each preview/up gets (tenant and client). */
function fakePulumi(): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const cli = standIn(fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-")), { PULUMI_CONFIG_PASSPHRASE: "test-only passphrase" });
  return {
    env: { ...process.env, ...cli.env, ARM_CLIENT_ID: "" },
    calls: () =>
      cli
        .calls()
        .filter((call) => ["preview", "up"].includes(call.argv[0]))
        .map((call) => `${call.armTenantId} ${call.armClientId} ${call.argv[0]}`),
  };
}

function fleet(): string {
  const cwd = tempProject({
    acme: stackYaml({ tenantId: PUBLIC_TENANT, companyId: "1" }),
    dragon: stackYaml({ tenantId: CHINA_TENANT, companyId: "2", cloud: "china", "azuread:environment": "china" }),
  });
  fs.writeFileSync(path.join(cwd, "partner.yaml"), PARTNER);
  // The policy pack's marker: the stand-in, as the CLI, refuses a --policy-pack without one.
  fs.mkdirSync(path.join(cwd, "policy"));
  fs.writeFileSync(path.join(cwd, "policy", "PulumiPolicy.yaml"), "runtime: nodejs\n");
  return cwd;
}

describe("the pipeline signs in as the partner's app of each stack's cloud and role", () => {
  it("previews each stack as the read-only app of its cloud, in the stack's own tenant; a cloud without that app fails alone", async () => {
    const cwd = fleet();
    const pulumi = fakePulumi();
    const log: string[] = [];
    const deps = { ...processDeps(cwd, pulumi.env, clientIdLookup(cwd, "preview", pulumi.env)), log: (line: string) => log.push(line) };
    const file = await runShardCommand(["--mode", "preview", "--stacks", "acme dragon", "--results", "results/001.json"], cwd, deps);
    expect(pulumi.calls()).toEqual([`${PUBLIC_TENANT} ${PREVIEW} preview`]);
    expect(file.results.map((r) => [r.stack, r.outcome])).toEqual([
      ["acme", "ok"],
      ["dragon", "failed"],
    ]);
    expect(file.results[1].message).toMatch(/partner.yaml has no preview app for the cloud china \(apps.china.preview\)/);
  });

  it("deploys each stack as the deploy app of its cloud", async () => {
    const cwd = fleet();
    const pulumi = fakePulumi();
    const lookup = clientIdLookup(cwd, "up", pulumi.env);
    expect([lookup(PUBLIC_TENANT), lookup(CHINA_TENANT)]).toEqual([DEPLOY, CHINA_DEPLOY]);
  });

  it("without partner.yaml keeps the job's own ARM_CLIENT_ID, and says what is missing when there is none", () => {
    expect(pipelineClientId(undefined, "public", "deploy", DEPLOY)).toBe(DEPLOY);
    expect(userErrorOf(() => pipelineClientId(undefined, "public", "deploy", undefined))).toMatch(/There is no partner.yaml and no ARM_CLIENT_ID/);
    const partner = parsePartnerConfig(PARTNER, "partner.yaml");
    // partner.yaml wins over a job's variable: the identity is the committed, reviewed one.
    expect(pipelineClientId(partner, "public", "preview", "ffffffff-ffff-4fff-8fff-ffffffffffff")).toBe(PREVIEW);
  });
});
