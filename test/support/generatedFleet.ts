import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CANARY_MARKER } from "../../src/fleet/canaryMarker";
import { BACKEND_MANIFEST } from "../../src/fleet/readFleet";
import { scheduleForStack } from "../../src/fleet/stackSchedule";
import type { RotationSettings } from "../../src/schedule/secretSchedule";
import { DAY_MS } from "../../src/util/time";

/** Deterministic, distinct, obviously generated GUIDs. */
export function generatedGuid(prefix: number, index: number): string {
  const hex = index.toString(16).padStart(12, "0");
  return `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${hex}`;
}

export function generatedStackName(index: number): string {
  return `customer-${String(index).padStart(4, "0")}`;
}

/**
 * Every 7th stack rotates every 150 days with a 200-day lifetime (so its previous secret lapses
 * before the next rotation); the rest use the defaults (180, lifetime 365). Their rotationStart
 * days are spread over 2026 (nexxt:rotationStart is required).
 */
export function rotationOf(index: number): RotationSettings {
  const rotationStart = new Date(Date.UTC(2026, 0, 1) + (index % 300) * DAY_MS);
  return index % 7 === 0 ? { lifetimeDays: 200, rotationDays: 150, overlapDays: 30, rotationStart } : { lifetimeDays: 365, rotationDays: 180, overlapDays: 30, rotationStart };
}

export interface GeneratedFleet {
  dir: string;
  stacks: string[];
  canaries: string[];
}

/**
 * A project with `count` customer stack files (plus the example), every 97th a canary, and a
 * policy config for every 50th. Optionally writes what `report-inputs` would have written for
 * the deployed ones: `deployedAt(index)` returns the date of the last up, or undefined for never.
 */
export function generateFleet(count: number, options: { deployedAt?: (index: number) => Date | undefined } = {}): GeneratedFleet {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-fleet-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: nexxt\nruntime: nodejs\nstackConfigDir: stacks\n");
  fs.mkdirSync(path.join(dir, "stacks"));
  fs.mkdirSync(path.join(dir, "policy", "config"), { recursive: true });
  fs.mkdirSync(path.join(dir, "report-in"));
  fs.writeFileSync(path.join(dir, "policy/config/default.json"), "{}\n");
  fs.copyFileSync(path.join(__dirname, "../../stacks/Pulumi.example.yaml"), path.join(dir, "stacks/Pulumi.example.yaml"));
  const stacks: string[] = [];
  const canaries: string[] = [];
  const inBackend: string[] = [];
  for (let i = 0; i < count; i++) {
    const stack = generatedStackName(i);
    stacks.push(stack);
    const canary = i % 97 === 3;
    if (canary) canaries.push(stack);
    const rotation = rotationOf(i);
    const lines = [
      ...(canary ? [CANARY_MARKER] : []),
      "config:",
      `  nexxt:tenantId: ${generatedGuid(0xfee1, i)}`,
      `  nexxt:companyId: "${10_000 + i}"`,
      `  nexxt:displayName: ClearVox Nexxt`,
      `  nexxt:secretLifetimeDays: ${rotation.lifetimeDays}`,
      `  nexxt:rotationDays: ${rotation.rotationDays}`,
      `  nexxt:rotationOverlapDays: ${rotation.overlapDays}`,
      `  nexxt:rotationStart: "${rotation.rotationStart.toISOString().slice(0, 10)}"`,
    ];
    fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), lines.join("\n") + "\n");
    if (i % 50 === 0) fs.writeFileSync(path.join(dir, "policy/config", `${stack}.json`), '{"nexxt-graph-permissions":{"allowHighPrivilege":false}}\n');
    const deployedAt = options.deployedAt?.(i);
    if (deployedAt) {
      writeDeployed(dir, stack, i, scheduleForStack(stack, deployedAt, rotation).active.endDate.toISOString());
      inBackend.push(stack);
    }
  }
  // As scripts/report-inputs.ts writes it: the stacks the backend listed.
  fs.writeFileSync(path.join(dir, "report-in", BACKEND_MANIFEST), JSON.stringify({ inBackend, unreadable: [] }));
  return { dir, stacks, canaries };
}

/** The masked document report-inputs writes for a deployed stack. */
export function writeDeployed(dir: string, stack: string, index: number, secretExpiresAt: string, overrides: Record<string, unknown> = {}): void {
  const tenantId = generatedGuid(0xfee1, index);
  const document = {
    applicationId: generatedGuid(0xa99, index),
    apiKey: "[secret]",
    oauth2TokenEndpoint: `https://login.microsoftonline.com/${tenantId}/oauth2/token`,
    tenantId,
    companyId: String(10_000 + index),
    secretExpiresAt,
    permissions: ["User.Read.All", "Contacts.Read"],
    ...overrides,
  };
  fs.writeFileSync(path.join(dir, "report-in", `${stack}.nexxt.json`), JSON.stringify(document, null, 2) + "\n");
}
