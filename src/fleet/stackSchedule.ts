import { RotationSettings, SecretSchedule, secretScheduleAt } from "../schedule/secretSchedule";

/**
 * The one place the fleet code asks for a stack's secret schedule: the program's own pure
 * schedule (spread over customers by stack name), so `due`, the fleet plan and the fleet view
 * always agree with what `pulumi up` will do.
 */
export function scheduleForStack(stackName: string, at: Date, settings: RotationSettings): SecretSchedule {
  return secretScheduleAt(at, settings, stackName);
}
