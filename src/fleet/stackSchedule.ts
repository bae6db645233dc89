import { RotationSettings, SecretSchedule, secretScheduleAt } from "../schedule/secretSchedule";

/**
 * The one place the fleet code asks for a stack's secret schedule: the program's own pure
 * schedule (anchored on nexxt:rotationStart, spread over customers by stack name), so `due`, the
 * fleet plan and the fleet view always agree with what `pulumi up` will do. It has an answer for
 * every date, a rotationStart still ahead included (the grid runs backwards before it).
 */
export function scheduleForStack(stackName: string, at: Date, settings: RotationSettings): SecretSchedule {
  return secretScheduleAt(at, settings, stackName);
}
