import { RotationSettings, scheduleChangesOn } from "../../../src/schedule/secretSchedule";
import { DAY_MS } from "./clock";
import { DEFAULT_ROTATION_START, Scenario, ScenarioOptions } from "./scenario";

/** The record of a stack's life: what went wrong on which simulated day, and the peak of valid secrets. */
export interface Life {
  s: Scenario;
  /** After each run: every secret of the tenant with its end date (nothing changes between runs). */
  snapshots: { day: number; secrets: Map<string, Date> }[];
  failures: string[];
  maxValid: number;
  /** The stack outputs of the last run. */
  outputs: Record<string, unknown>;
  startDay: number;
}

/** The defaults, anchored where a scenario's stack is unless its config says otherwise (DEFAULT_ROTATION_START). */
export const DEFAULT_ROTATION: RotationSettings = { lifetimeDays: 365, rotationDays: 180, overlapDays: 30, rotationStart: new Date(`${DEFAULT_ROTATION_START}T00:00:00Z`) };

/** Runs `pulumi up` on the given day offsets; `before` may change the config on a given day. */
export async function live(options: ScenarioOptions, runDays: number[], before?: (s: Scenario, offset: number) => void, existing?: Life): Promise<Life> {
  const s = existing?.s ?? (await Scenario.start(options));
  const life: Life = existing ?? { s, failures: [], maxValid: 0, startDay: s.clock.day(), snapshots: [], outputs: {} };
  try {
    await runOn(life, runDays, before);
  } catch (err) {
    // A failed run ends the life: its temporary project goes too.
    await s.close();
    throw err;
  }
  return life;
}

async function runOn(life: Life, runDays: number[], before?: (s: Scenario, offset: number) => void): Promise<void> {
  const { s } = life;
  for (const offset of runDays) {
    s.clock.advanceDays(offset - (s.clock.day() - life.startDay));
    before?.(s, offset);
    const run = await s.up();
    life.outputs = run.outputs;
    // A run never deletes the secret Nexxt holds once the run is over (with a push Nexxt has the
    // new one before the old is deleted; a file is copied later, so Nexxt keeps the old one).
    const heldAfter = s.nexxt.heldOn(s.clock.day());
    const deleted = heldAfter && run.steps.find((step) => step.deleted === heldAfter);
    if (deleted && heldAfter && s.tenant.secretExists(heldAfter) === undefined) {
      life.failures.push(`${s.dayDate()} (day ${offset}): ${deleted.op} of ${deleted.name} deleted the secret Nexxt holds`);
    }
    life.maxValid = Math.max(life.maxValid, s.validSecrets().length);
    life.snapshots.push({ day: s.clock.day(), secrets: new Map(s.tenant.applications.flatMap((a) => a.passwords.map((p) => [p.value, p.endDate] as const))) });
  }
}

/** Nexxt's secret exists and is valid on every day in [from, to], once it has received one. */
export function nexxtSecretWorks(life: Life, from: number, to: number): string[] {
  const failures: string[] = [];
  for (let offset = from; offset <= to; offset++) {
    const day = life.startDay + offset;
    const held = life.s.nexxt.heldOn(day);
    if (!held) continue;
    const snapshot = [...life.snapshots].reverse().find((x) => x.day <= day);
    const endDate = snapshot?.secrets.get(held);
    if (!endDate) failures.push(`day ${offset}: Nexxt's secret no longer exists`);
    else if (endDate.getTime() <= (day + 1) * DAY_MS) failures.push(`day ${offset}: Nexxt's secret expired on ${endDate.toISOString()}`);
  }
  return failures;
}

/**
 * The days of a daily cadence on which a run can change anything: where the pure schedule's
 * answer differs from the day before, and the day after (which must then change nothing). On the
 * other days a daily run is a no-op, which rerun.test.ts proves on the engine.
 */
export function daysThatMatter(start: Date, from: number, to: number, stack: string, settings: RotationSettings = DEFAULT_ROTATION): number[] {
  const picked = new Set<number>([from, to]);
  for (let offset = from + 1; offset <= to; offset++) {
    if (scheduleChangesOn(new Date(start.getTime() + offset * DAY_MS), settings, stack)) for (const d of [offset, offset + 1]) if (d <= to) picked.add(d);
  }
  return [...picked].sort((a, b) => a - b);
}

export const range = (n: number, step = 1, from = 0) => Array.from({ length: n }, (_, i) => from + i * step);
