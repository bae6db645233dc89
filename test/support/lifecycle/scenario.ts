import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { nexxtProgram } from "../../../src/program/program";
import { startFakeNexxt, FakeNexxt } from "../../fakes/nexxtServer";
import { engineConfig } from "../programHarness";
import { DAY_MS, SimClock } from "./clock";
import { LifecycleEngine, RunResult } from "./engine";
import { NexxtView } from "./nexxtView";
import { SimTenant } from "./tenant";

export const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
/** nexxt:rotationStart of a scenario's stack unless its config sets one (the key is required). */
export const DEFAULT_ROTATION_START = "2026-01-01";
/** The project's real Pulumi.yaml: the scenario's project mirrors it, so the engine starts the program where `pulumi up` would. */
export const REAL_PROJECT_FILE = fs.readFileSync(path.resolve(__dirname, "../../../Pulumi.yaml"), "utf8");
/** A Pulumi.yaml's `main:` ("" when unset: the engine then runs package.json main from the project root). */
export function mainOf(projectFile: string): string {
  return String((YAML.parse(projectFile) as { main?: string }).main ?? "");
}
export const PROJECT_MAIN = mainOf(REAL_PROJECT_FILE);

export interface ScenarioOptions {
  stack?: string;
  start: Date;
  config?: Record<string, unknown>;
  /** Push to a fake Nexxt instead of relying on the file alone. */
  push?: boolean;
  /** Days between the file changing and a person copying it into Nexxt. */
  deliveryDays?: number;
  /** Run the entry module (slower) instead of calling nexxtProgram with the simulated date. */
  entryModule?: boolean;
  /** The project's Pulumi.yaml text; defaults to the real one (its `main:` sets the working directory). */
  projectFile?: string;
}

/** A customer's stack in a throw-away project directory, ready for years of runs. */
export class Scenario {
  readonly clock: SimClock;
  readonly tenant: SimTenant;
  readonly engine: LifecycleEngine;
  projectRoot: string;
  readonly stack: string;
  nexxt!: NexxtView;
  server?: FakeNexxt;
  config: Record<string, unknown>;

  private constructor(readonly options: ScenarioOptions) {
    this.stack = options.stack ?? "acme";
    this.clock = new SimClock(options.start, options.entryModule === true);
    this.tenant = new SimTenant(TENANT, this.clock);
    this.projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-lifecycle-"));
    this.makeProject(this.projectRoot);
    this.config = { tenantId: TENANT, companyId: "4711", rotationStart: DEFAULT_ROTATION_START, ...options.config };
    this.engine = new LifecycleEngine({
      tenant: this.tenant,
      clock: this.clock,
      stack: this.stack,
      projectRoot: this.projectRoot,
      main: mainOf(options.projectFile ?? REAL_PROJECT_FILE),
      config: {},
      secretKeys: ["nexxt:apiToken"],
      entry: path.resolve(__dirname, "../../../src/program/index.ts"),
      program: options.entryModule ? undefined : () => nexxtProgram({ now: this.clock.now() }) as unknown as Promise<Record<string, unknown>>,
    });
  }

  static async start(options: ScenarioOptions): Promise<Scenario> {
    const scenario = new Scenario(options);
    if (options.push) {
      scenario.server = await startFakeNexxt([]);
      scenario.config = { ...scenario.config, apiUrl: scenario.server.url(), apiToken: "fake-nexxt-api-token" };
      scenario.nexxt = new NexxtView({ push: scenario.server });
    } else {
      scenario.nexxt = new NexxtView({ file: scenario.connectorFile(), deliveryDays: options.deliveryDays ?? 0 });
    }
    return scenario;
  }

  private makeProject(root: string): void {
    const projectFile = this.options.projectFile ?? REAL_PROJECT_FILE;
    fs.mkdirSync(path.join(root, mainOf(projectFile)), { recursive: true });
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), projectFile);
  }

  /** The same stack from another checkout (another absolute path), its state carried over. */
  moveProject(): string {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-lifecycle-ci-"));
    this.makeProject(other);
    this.oldRoots.push(this.projectRoot);
    this.projectRoot = other;
    this.engine.options.projectRoot = other;
    return other;
  }

  private readonly oldRoots: string[] = [];

  connectorFile(): string {
    return path.join(this.projectRoot, "out", `${this.stack}.nexxt.json`);
  }

  async up(options: { replace?: string[] } = {}): Promise<RunResult> {
    this.engine.options.config = engineConfig(this.config);
    const result = await this.engine.up(options);
    this.nexxt.observe(this.clock.day());
    return result;
  }

  /** The secrets of our registration that can sign in today. */
  validSecrets(): string[] {
    const app = this.ourApp();
    return app ? this.tenant.validPasswords(app).map((p) => p.value) : [];
  }

  ourApp() {
    const entry = this.engine.state.byType("application:Application")[0];
    return entry ? this.tenant.app(String(entry.outputs.objectId)) : undefined;
  }

  dayDate(): string {
    return new Date(this.clock.day() * DAY_MS).toISOString().slice(0, 10);
  }

  async close(): Promise<void> {
    await this.server?.close();
    for (const root of [this.projectRoot, ...this.oldRoots]) fs.rmSync(root, { recursive: true, force: true });
  }
}
