import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state: { getStore(): Record<string, unknown> } = require("@pulumi/pulumi/runtime/state");
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { SimAzureadProvider } from "./azureadProvider";
import type { SimClock } from "./clock";
import { DynamicProviders } from "./dynamicProviders";
import { ruleOf } from "./replaceRules";
import { StateEntry, StateStore } from "./stateStore";
import type { SimTenant } from "./tenant";

export type StepOp = "create" | "import" | "update" | "replace" | "delete" | "retain" | "same" | "read";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** For update and replace: the inputs that differ. */
  diff?: string[];
  /** For a replace: the secret value (or id) of the old resource it deleted or retained. */
  deleted?: string;
}

export interface RunResult {
  steps: Step[];
  outputs: Record<string, unknown>;
  changes(): Step[];
}

export interface EngineOptions {
  tenant: SimTenant;
  clock: SimClock;
  stack: string;
  /** The project root (where Pulumi.yaml is). */
  projectRoot: string;
  /** Pulumi.yaml `main:` as written there. */
  main: string;
  config: Record<string, string>;
  secretKeys?: string[];
  /** The program's entry module, loaded afresh for each run when `program` is not given. */
  entry: string;
  /** Runs the program in-process (fast); the entry module is the default. */
  program?: () => Promise<Record<string, unknown>>;
}

const SECRET_KEY = rpc.specialSigKey;
/** The project name of Pulumi.yaml, as the scenarios' programs run. */
const PROJECT = "nexxt";
const DIY_ORGANIZATION = "organization";
const SECRET_SIG = rpc.specialSecretSig;

/**
 * A stateful stand-in for `pulumi up`/`refresh`/`destroy` with the azuread provider, on the
 * Pulumi mock runtime: the program registers resources with the mock monitor, which here diffs
 * each against the state and acts as the engine does.
 *
 * - Diffs compare the new inputs with what the provider read back (replaceRules.ts says which
 *   fields replace); ignoreChanges copies the old inputs over the new (pulumi/pulumi#2657, also
 *   for the inputs a replacement is created with).
 * - Replacement is create-before-delete unless deleteBeforeReplace (goal option, or a dynamic
 *   provider's diff) says otherwise; the old resources and the ones no longer declared are deleted
 *   after the program has finished, in reverse order, and a retainOnDelete recorded in the state
 *   skips the provider's delete.
 * - `import` behaves as the pinned CLI (package.json `pulumi`, 3.265; the workflow's pulumi/actions
 *   installs a current one): the resource is read into the state, and inputs that differ from it
 *   are an update (or a replace) in the same run, since 3.174 (pulumi/pulumi#19339,
 *   continueStepsFromImport in pkg/resource/deploy/step_generator.go); older CLIs refused.
 * - What an input left out of the program means is the field table's (replaceRules.ts): an
 *   Optional, non-Computed field is cleared.
 * - The program runs from the directory Pulumi runs it from: `main:` itself when it names a
 *   directory, the file's directory when it names a file (getPwdMain, pkg/workspace/project.go).
 */
export class LifecycleEngine {
  readonly state = new StateStore();
  readonly azuread: SimAzureadProvider;
  readonly dynamic = new DynamicProviders();
  /** Every run's steps, in order. */
  readonly history: { day: number; kind: string; steps: Step[] }[] = [];
  /**
   * The root stack resource's outputs in the last saved checkpoint, which a StackReference reads:
   * set when an `up` succeeds (a failed run never registers the program's outputs, so the old
   * ones stay), gone with `destroy` (no root resource left), none before the first `up`.
   */
  stackOutputs?: { values: Record<string, unknown>; secretNames: string[] };

  constructor(readonly options: EngineOptions) {
    this.azuread = new SimAzureadProvider(options.tenant);
  }

  /** getPwdMain: the directory the language host starts the program in. */
  workingDirectory(): string {
    const main = path.resolve(this.options.projectRoot, this.options.main);
    return this.options.main.endsWith("/") || !path.extname(main) ? main : path.dirname(main);
  }

  /**
   * The engine starts the program and the provider plugins alike in that directory (newPlugin's
   * cmd.Dir = ctx.Pwd, sdk/go/common/resource/plugin/plugin.go): `up`, `refresh` and `destroy`
   * all run the providers from there.
   */
  private async inWorkingDirectory<T>(work: () => Promise<T>): Promise<T> {
    const previous = process.cwd();
    process.chdir(this.workingDirectory());
    try {
      return await work();
    } finally {
      process.chdir(previous);
    }
  }

  /** `pulumi up --replace <urn>`: the resources (by name) this run replaces whatever their diff says. */
  async up(options: { replace?: string[] } = {}): Promise<RunResult> {
    const run = new Run(this, options.replace ?? []);
    const { values, secretNames } = await this.inWorkingDirectory(async () => {
      const exported = await this.runProgram(run);
      await run.finish();
      return exported;
    });
    this.stackOutputs = { values, secretNames };
    this.history.push({ day: this.options.clock.day(), kind: "up", steps: run.steps });
    return result(run.steps, values);
  }

  /** `pulumi refresh`: reads every resource back; one that is gone leaves the state. */
  async refresh(): Promise<Step[]> {
    return this.inWorkingDirectory(() => this.refreshHere());
  }

  private async refreshHere(): Promise<Step[]> {
    const steps: Step[] = [];
    for (const entry of this.state.all().filter((e) => e.custom)) {
      const read = entry.type.startsWith("pulumi-nodejs:dynamic")
        ? await this.dynamic.read(entry.inputs.__provider as string, entry.id, entry.outputs)
        : this.azuread.read(entry.type, entry.id);
      if (!read) {
        this.state.remove(entry.urn);
        steps.push({ op: "delete", urn: entry.urn, type: entry.type, name: entry.name });
        continue;
      }
      const outputs = { ...entry.outputs, ...read };
      const differ = Object.keys(read).filter((k) => canonical(read[k]) !== canonical(entry.outputs[k]));
      if (differ.length > 0) steps.push({ op: "update", urn: entry.urn, type: entry.type, name: entry.name, diff: differ });
      entry.outputs = outputs;
    }
    this.history.push({ day: this.options.clock.day(), kind: "refresh", steps });
    return steps;
  }

  async destroy(): Promise<Step[]> {
    const steps: Step[] = [];
    await this.inWorkingDirectory(async () => {
      for (const entry of this.state.all().reverse()) steps.push(await this.deleteEntry(entry));
    });
    this.stackOutputs = undefined;
    this.history.push({ day: this.options.clock.day(), kind: "destroy", steps });
    return steps;
  }

  async deleteEntry(entry: StateEntry, op: "delete" = "delete"): Promise<Step> {
    this.state.remove(entry.urn);
    const step: Step = { op: entry.retainOnDelete ? "retain" : op, urn: entry.urn, type: entry.type, name: entry.name };
    if (!entry.custom || entry.retainOnDelete) return step;
    if (entry.type.startsWith("pulumi-nodejs:dynamic")) await this.dynamic.delete(entry.inputs.__provider as string, entry.id, entry.outputs);
    else this.azuread.delete(entry.type, entry.id);
    return step;
  }

  private async runProgram(run: Run): Promise<{ values: Record<string, unknown>; secretNames: string[] }> {
    const { stack, config, secretKeys } = this.options;
    // A diy backend runs every program with the organization "organization" (getTarget, pkg/backend/diy/state.go).
    settings.setMockOptions(new LifecycleMonitor(run), PROJECT, stack, false, DIY_ORGANIZATION);
    const store = state.getStore();
    Object.assign(store, { supportsSecrets: true, supportsResourceReferences: true, supportsOutputValues: false, supportsDeletedWith: true, supportsAliasSpecs: true });
    pulumi.runtime.setAllConfig(config, secretKeys ?? []);
    // The SDK captures a stack trace per resource and promise (source positions); under jest each
    // one is source-mapped, which made a run ~100 ms. Messages stay; only the frames go.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      // Every output settles (a failed registration rejects them) and every registration in flight
      // ends before the run is judged, as the engine waits for the program to exit.
      let exported: Record<string, unknown> = {};
      let failure: unknown;
      try {
        exported = await (this.options.program ?? (() => this.requireEntry()))();
      } catch (err) {
        failure = err;
      }
      const settled = await Promise.allSettled(
        Object.entries(exported).map(async ([key, value]) =>
          pulumi.Output.isInstance(value) ? ([key, await promiseOf(value), await isSecretOutput(value)] as const) : ([key, value, false] as const),
        ),
      );
      await pulumi.runtime.disconnect().catch(() => undefined);
      const rejected = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failure ?? rejected) throw failure ?? rejected!.reason;
      const entries = settled.map((r) => (r as PromiseFulfilledResult<readonly [string, unknown, boolean]>).value);
      return { values: Object.fromEntries(entries.map(([key, value]) => [key, value])), secretNames: entries.filter(([, , secret]) => secret).map(([key]) => key) };
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  /** The entry module, loaded afresh as a new `pulumi up` process would. */
  private async requireEntry(): Promise<Record<string, unknown>> {
    const entry = this.options.entry;
    let exported: unknown;
    jest.isolateModules(() => {
      // Share the runtime this engine configured; everything else (the program) is loaded anew.
      jest.doMock("@pulumi/pulumi", () => pulumi);
      // A dynamic path inside jest.isolateModules: require is the only way to load it synchronously there.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = require(entry);
    });
    jest.dontMock("@pulumi/pulumi");
    return (await exported) as Record<string, unknown>;
  }
}

/** Rejects when a registration failed (apply() alone would never call back). */
function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

/** A read is no change either: HasChanges skips OpRead (pkg/engine/update.go). */
/** Output.isSecret is the SDK's own (sdk/nodejs/output.ts), kept off its public type. */
function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

function result(steps: Step[], outputs: Record<string, unknown>): RunResult {
  return { steps, outputs, changes: () => steps.filter((s) => s.op !== "same" && s.op !== "read") };
}

/** Terraform's zero values: an empty string, list, set or block, false and null are one "unset". */
function zeroAsNull(value: unknown): unknown {
  if (value === undefined || value === null || value === "" || value === false) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (typeof value === "object" && !Array.isArray(value) && Object.keys(value as object).length === 0) return null;
  return value;
}

/** Order-insensitive for arrays (the provider's sets), key-order-insensitive for objects. */
export function canonical(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v))
      return v
        .map(norm)
        .map((x) => JSON.stringify(x))
        .sort();
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(norm(value) ?? null);
}

export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_KEY] === SECRET_SIG) return unwrapSecrets(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

interface Registration {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  inputs: Record<string, unknown>;
  importId?: string;
  ignoreChanges: string[];
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
}

/** One `pulumi up`: the steps it took and what it still has to delete at the end. */
class Run {
  readonly steps: Step[] = [];
  readonly declared = new Set<string>();
  private readonly pendingDeletes: StateEntry[] = [];

  constructor(
    readonly engine: LifecycleEngine,
    private readonly forceReplace: string[] = [],
  ) {}

  async register(urn: string, reg: Registration): Promise<{ id: string; outputs: Record<string, unknown> }> {
    const { engine } = this;
    this.declared.add(urn);
    let old = engine.state.get(urn);
    const base = { urn, type: reg.type, name: reg.name };
    if (!reg.custom) {
      engine.state.put({ urn, type: reg.type, name: reg.name, custom: false, id: "", inputs: reg.inputs, outputs: {}, retainOnDelete: false, parent: reg.parent });
      this.steps.push({ op: old ? "same" : "create", ...base });
      return { id: "", outputs: {} };
    }
    // An import (goal.ID set, nothing in the state) reads the resource into the state, then goes on
    // as any run does: since 3.174 a difference is an update (or replace) in the same run
    // (pulumi/pulumi#19339, continueStepsFromImport in pkg/resource/deploy/step_generator.go).
    const importing = !old && reg.importId !== undefined;
    if (importing) old = this.importResource(urn, reg);
    let inputs = reg.inputs;
    // processIgnoreChanges: the old inputs (for an import, the ones just read) stand for ignored ones.
    if (old) for (const key of reg.ignoreChanges) inputs = { ...inputs, [key]: old.inputs[key] };
    for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
    const entry = (id: string, outputs: Record<string, unknown>): StateEntry => ({
      urn,
      type: reg.type,
      name: reg.name,
      custom: true,
      id,
      inputs,
      outputs,
      retainOnDelete: reg.retainOnDelete,
      parent: reg.parent,
    });

    if (!old) {
      const created = await this.create(reg.type, inputs);
      engine.state.put(entry(created.id, created.outputs));
      this.steps.push({ op: "create", ...base });
      return created;
    }
    // The bridge also drops ignored properties from the provider's own diff (the shim's
    // processIgnoreChanges), so an ignored field the provider reads back is no change either.
    const diffed = await this.diffEntry(old, inputs);
    const forced = this.forceReplace.includes(reg.name) ? ["(--replace)"] : [];
    const changes = [...forced, ...diffed.changes.filter((k) => !reg.ignoreChanges.includes(k))];
    const replaces = [...forced, ...diffed.replaces.filter((k) => !reg.ignoreChanges.includes(k))];
    const { deleteBeforeReplace } = diffed;
    if (changes.length === 0) {
      // Even a "same" step writes the goal's options to the state, for the next run to act on
      // ("setting the option just configures the state for the next time", pulumi/pulumi#13428).
      engine.state.put({ ...entry(old.id, old.outputs) });
      if (!importing) this.steps.push({ op: "same", ...base });
      return { id: old.id, outputs: old.outputs };
    }
    if (replaces.length === 0) {
      const outputs = await this.update(old, inputs);
      engine.state.put(entry(old.id, outputs));
      this.steps.push({ op: "update", ...base, diff: changes });
      return { id: old.id, outputs };
    }
    const deleted = String(old.outputs.value ?? old.id);
    if (deleteBeforeReplace || reg.deleteBeforeReplace) {
      await engine.deleteEntry(old);
    } else {
      this.pendingDeletes.push(old);
    }
    const created = await this.create(reg.type, inputs);
    engine.state.put(entry(created.id, created.outputs));
    this.steps.push({ op: "replace", ...base, diff: replaces, deleted: old.retainOnDelete ? undefined : deleted });
    return created;
  }

  /**
   * ImportStep.Apply (pkg/resource/deploy/step.go): Read by the import ID; a resource that does not
   * exist fails the run; the state takes what was read, as inputs and outputs alike (the bridge's
   * Read returns the inputs it extracts from the outputs: here the table's fields of the type).
   */
  private importResource(urn: string, reg: Registration): StateEntry {
    const read = this.engine.azuread.read(reg.type, reg.importId!);
    if (!read) throw new Error(`resource '${reg.importId}' does not exist`);
    const fields = ruleOf(reg.type).fields;
    const inputs = Object.fromEntries(
      Object.entries(fields)
        .map(([name, rule]) => [name, rule.stateOnly ? rule.default : read[name]] as const)
        .filter(([, value]) => value !== undefined),
    );
    const imported: StateEntry = {
      urn,
      type: reg.type,
      name: reg.name,
      custom: true,
      id: reg.importId!,
      inputs,
      outputs: { ...read },
      retainOnDelete: reg.retainOnDelete,
      parent: reg.parent,
    };
    this.engine.state.put(imported);
    this.steps.push({ op: "import", urn, type: reg.type, name: reg.name });
    return imported;
  }

  private async create(type: string, inputs: Record<string, unknown>): Promise<{ id: string; outputs: Record<string, unknown> }> {
    if (type.startsWith("pulumi-nodejs:dynamic")) return this.engine.dynamic.create(inputs);
    return this.engine.azuread.create(type, inputs);
  }

  private async update(old: StateEntry, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (old.type.startsWith("pulumi-nodejs:dynamic")) return this.engine.dynamic.update(old.id, old.outputs, inputs);
    return this.engine.azuread.update(old.type, old.id, inputs);
  }

  private async diffEntry(old: StateEntry, news: Record<string, unknown>): Promise<{ changes: string[]; replaces: string[]; deleteBeforeReplace: boolean }> {
    if (old.type.startsWith("pulumi-nodejs:dynamic")) return this.engine.dynamic.diff(old.id, old.outputs, news);
    return { ...this.diff(old.type, old.outputs, old.inputs, news), deleteBeforeReplace: false };
  }

  /**
   * The bridge's diff: the new inputs against the state read back. The table says what replaces
   * and what an input left out means (replaceRules.ts): a cleared field left out is its zero value,
   * a defaulted one its default, a computed one no change.
   */
  diff(type: string, olds: Record<string, unknown>, oldInputs: Record<string, unknown>, news: Record<string, unknown>): { changes: string[]; replaces: string[] } {
    const rule = ruleOf(type);
    const keys = new Set([...Object.keys(rule.fields), ...Object.keys(news)]);
    const changes = [...keys].filter((key) => {
      const field = rule.fields[key];
      let next = news[key];
      if (next === undefined) {
        if (!field || field.omitted === "computed" || field.omitted === "required") return false;
        next = field.omitted === "defaulted" ? field.default : undefined;
      }
      const previous = field ? (field.stateOnly ? oldInputs[key] : olds[key]) : key in olds ? olds[key] : oldInputs[key];
      return canonical(zeroAsNull(previous)) !== canonical(zeroAsNull(next));
    });
    return { changes, replaces: changes.filter((k) => rule.replaceOn.includes(k)) };
  }

  /** The end of `pulumi up`: replaced resources, then the ones no longer declared. */
  async finish(): Promise<void> {
    const { engine } = this;
    for (const old of this.pendingDeletes) {
      if (old.retainOnDelete) continue;
      if (old.type.startsWith("pulumi-nodejs:dynamic")) await engine.dynamic.delete(old.inputs.__provider as string, old.id, old.outputs);
      else engine.azuread.delete(old.type, old.id);
    }
    for (const entry of engine.state.all().reverse()) {
      if (!this.declared.has(entry.urn)) {
        const step = await engine.deleteEntry(entry);
        this.steps.push(step.op === "delete" ? { ...step, deleted: String(entry.outputs.value ?? entry.id) } : step);
      }
    }
  }
}

/** The mock monitor, with the resource options the plain mocks never see. */
class LifecycleMonitor extends MockMonitor {
  constructor(private readonly run: Run) {
    super({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) });
  }

  override async invoke(req: { getTok(): string; getArgs(): unknown }, callback: (err: Error | null, res?: provproto.InvokeResponse) => void): Promise<void> {
    try {
      const tenant = this.run.engine.options.tenant;
      const inputs = rpc.deserializeProperties(req.getArgs() as never) as Record<string, unknown>;
      const token = req.getTok();
      const answer =
        token === "azuread:index/getClientConfig:getClientConfig"
          ? tenant.getClientConfig()
          : token === "azuread:index/getApplication:getApplication"
            ? tenant.getApplication(inputs)
            : token === "azuread:index/getServicePrincipal:getServicePrincipal"
              ? tenant.getServicePrincipal(inputs)
              : undefined;
      if (!answer) throw new Error(`lifecycle engine: unexpected call ${token}`);
      const response = new provproto.InvokeResponse();
      response.setReturn(structproto.Struct.fromJavaScript((await rpc.serializeProperties("", answer)) as Record<string, structproto.JavaScriptValue>));
      callback(null, response);
    } catch (err) {
      // The engine answers a failed data source with a gRPC error whose `details` carry the
      // provider's diagnostic (the SDK reads only `details`, runtime/invoke.js); the wording
      // around it is approximated from `pulumi up` output ("invocation of ... returned an error").
      const message = (err as Error).message;
      callback(Object.assign(new Error(message), { details: `invocation of ${req.getTok()} returned an error: invoking ${req.getTok()}: 1 error occurred: * ${message}` }));
    }
  }

  /**
   * The program reads resources only through a StackReference (a Read: the SDK sets `id` to the
   * stack's name). The builtin provider answers with the named stack's outputs in its last saved
   * checkpoint (readStackReference, pkg/resource/deploy/builtins.go): here the engine's own, the
   * one stack this backend holds. The name is parsed as the diy backend's project layout does
   * (projectReferenceStore.ParseReference, pkg/backend/diy/store.go).
   */
  override async readResource(req: resproto.ReadResourceRequest, callback: (err: Error | null, res?: resproto.ReadResourceResponse) => void): Promise<void> {
    try {
      const type = req.getType();
      if (type !== "pulumi:pulumi:StackReference") throw new Error(`lifecycle engine: unexpected read of ${type}`);
      const name = req.getId();
      const engine = this.run.engine;
      const parts = name.split("/");
      const [org, project, stack] = parts.length === 3 ? parts : parts.length === 2 ? [parts[0], PROJECT, parts[1]] : [DIY_ORGANIZATION, PROJECT, parts[0]];
      if (org !== DIY_ORGANIZATION) throw new Error("organization name must be 'organization'");
      if (project !== PROJECT || stack !== engine.options.stack) throw new Error(`unknown stack "${name}"`);
      const checkpoint = engine.stackOutputs ?? { values: {}, secretNames: [] };
      const outputs = Object.fromEntries(
        Object.entries(checkpoint.values).map(([key, value]) => [key, checkpoint.secretNames.includes(key) ? { [SECRET_KEY]: SECRET_SIG, value } : value]),
      );
      const state = { name, outputs, secretOutputNames: [...checkpoint.secretNames].sort() };
      const urn = (this as unknown as { newUrn(p: string, t: string, n: string): string }).newUrn(req.getParent(), type, req.getName());
      this.run.steps.push({ op: "read", urn, type, name: req.getName() });
      const serialized = (await rpc.serializeProperties("", state)) as Record<string, structproto.JavaScriptValue>;
      this.resources.set(urn, { urn, id: name, state: serialized });
      const response = new resproto.ReadResourceResponse();
      response.setUrn(urn);
      response.setProperties(structproto.Struct.fromJavaScript(serialized));
      callback(null, response);
    } catch (err) {
      callback(err as Error);
    }
  }

  override async registerResource(req: resproto.RegisterResourceRequest, callback: (err: Error | null, res?: resproto.RegisterResourceResponse) => void): Promise<void> {
    try {
      const urn = (this as unknown as { newUrn(p: string, t: string, n: string): string }).newUrn(req.getParent(), req.getType(), req.getName());
      const reg: Registration = {
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent(),
        inputs: unwrapSecrets(rpc.deserializeProperties(req.getObject() as never)) as Record<string, unknown>,
        importId: req.getImportid() || undefined,
        ignoreChanges: req.getIgnorechangesList(),
        retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() === true : false,
        deleteBeforeReplace: req.getDeletebeforereplace(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      };
      const { id, outputs } = await this.run.register(urn, reg);
      const wrapped = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, reg.additionalSecretOutputs.includes(k) ? { [SECRET_KEY]: SECRET_SIG, value: v } : v]));
      const serialized = (await rpc.serializeProperties("", wrapped)) as Record<string, structproto.JavaScriptValue>;
      this.resources.set(urn, { urn, id, state: serialized });
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(id);
      response.setObject(structproto.Struct.fromJavaScript(serialized));
      callback(null, response);
    } catch (err) {
      callback(err as Error);
    }
  }
}
