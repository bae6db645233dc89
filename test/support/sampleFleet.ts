import * as fs from "node:fs";
import * as path from "node:path";
import { CLIENT_SECRET } from "../fakes/secrets";
import { generateFleet, generatedStackName, writeDeployed } from "./generatedFleet";
import { DAY_MS } from "../../src/util/time";

export const SAMPLE_AT = new Date("2026-12-01T05:17:00Z");
const AT = SAMPLE_AT;

/** 40 customers: most deployed today, one never, one expiring in 10 days, one expired, one failing this run. */
export function sampleFleet() {
  const fleet = generateFleet(40, { deployedAt: (i) => (i === 5 ? undefined : AT) });
  writeDeployed(fleet.dir, generatedStackName(7), 7, new Date(AT.getTime() + 10 * DAY_MS).toISOString());
  writeDeployed(fleet.dir, generatedStackName(8), 8, new Date(AT.getTime() - 2 * DAY_MS).toISOString());
  // A masked document is all the report inputs ever hold; even a clear one must not leak.
  writeDeployed(fleet.dir, generatedStackName(9), 9, new Date(AT.getTime() + 200 * DAY_MS).toISOString(), { apiKey: CLIENT_SECRET });
  fs.mkdirSync(path.join(fleet.dir, "fleet-runs"));
  fs.writeFileSync(
    path.join(fleet.dir, "fleet-runs", `${generatedStackName(1)}.json`),
    JSON.stringify({ stack: generatedStackName(1), lastUpAt: "2026-11-30T05:20:00Z", lastVerifyAt: "2026-11-30T05:24:00Z" }),
  );
  fs.mkdirSync(path.join(fleet.dir, "results"));
  fs.writeFileSync(
    path.join(fleet.dir, "results", "000.json"),
    JSON.stringify({
      shard: "000",
      mode: "up",
      results: [
        {
          stack: generatedStackName(2),
          mode: "up",
          outcome: "ok",
          step: "verify",
          message: "up and verify passed.",
          upAt: "2026-12-01T05:19:00Z",
          verifyAt: "2026-12-01T05:21:00Z",
        },
        {
          stack: generatedStackName(3),
          mode: "up",
          outcome: "failed",
          step: "up",
          message: "pulumi up --stack customer-0003 failed (exit 255) <img src=x onerror=alert(1)>; see the group above.",
        },
      ],
    }),
  );
  return fleet;
}
