import { SECRET_LIFETIME_DAYS } from "../../config/secretLimits";
import { integerFlag } from "../flagTypes";

/** `--within <days>`: when an expiring secret needs attention (secrets-report and fleet alike). */
export const WITHIN_FLAG = {
  ...integerFlag("within", {
    describe: "Days: a secret expiring within this many days needs attention",
    min: 0,
    max: SECRET_LIFETIME_DAYS.max,
    unit: "days",
    example: 30,
  }),
  default: 30,
} as const;
