import { RotationSettings, SecretSchedule, beforeRotationStart, secretScheduleAt } from "../schedule/secretSchedule";

/**
 * The one place the fleet code asks for a stack's secret schedule: the program's own pure
 * schedule (anchored on nexxt:rotationStart, spread over customers by stack name), so `due`, the
 * fleet plan and the fleet view always agree with what `pulumi up` will do. A stack whose
 * rotationStart is still ahead is shown as it will be on that day, with that day as its next
 * rotation (the program refuses to run before it, and dueReasons does not select it).
 */
export function scheduleForStack(stackName: string, at: Date, settings: RotationSettings): SecretSchedule {
  if (settings.rotationStart && beforeRotationStart(at, settings)) {
    // Its next rotation is its first issue day, so the fleet view's timeline starts there.
    return { ...secretScheduleAt(settings.rotationStart, settings, stackName), nextRotationAt: settings.rotationStart };
  }
  return secretScheduleAt(at, settings, stackName);
}

/** Whether the stack's first issue day (nexxt:rotationStart) is still ahead of `at`. */
export function notStartedAt(at: Date, settings: RotationSettings): boolean {
  return beforeRotationStart(at, settings);
}
