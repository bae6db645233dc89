import { RotationSettings, SecretSchedule, secretScheduleAt } from "../schedule/secretSchedule";

/**
 * The one place the fleet code asks for a stack's secret schedule. Today the schedule depends on
 * the date and the rotation settings only; the lifecycle issue (issue 9) spreads rotations over
 * customers as a pure function of stack name and date, and that switch happens here alone, so
 * `due`, the fleet plan and the fleet view always agree with what `pulumi up` will do.
 */
export function scheduleForStack(stackName: string, at: Date, settings: RotationSettings): SecretSchedule {
  void stackName;
  return secretScheduleAt(at, settings);
}
