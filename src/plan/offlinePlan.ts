import { utcTimestamp } from "../util/time";
import * as pulumi from "@pulumi/pulumi";
import { isHighPrivilege } from "../catalogue/graphPermissions";
import type { ConnectorSettings } from "../config/settings";
import type { StackFile } from "../stacks/stackFile";
import { secretScheduleAt } from "../schedule/secretSchedule";

import { nexxtProgram } from "../program/program";
import { OfflineTenant, defaultTenantFixture } from "./offlineTenant";
import { SECRET_PLACEHOLDER } from "../util/secretPlaceholder";
import { withoutProviderSerialization } from "./withoutProviderSerialization";

export interface PlannedResource {
  type: string;
  name: string;
  /** Set when the resource is taken over (Pulumi import) instead of created. */
  importId?: string;
  properties: Record<string, unknown>;
}

export interface PlannedSecret {
  slot: string;
  generation: number;
  expiresAt: string;
  /** The newest: the one Nexxt holds. */
  active: boolean;
}

export interface OfflinePlan {
  stack: string;
  file: string;
  at: string;
  tenantId: string;
  cloud: string;
  assumptions: string[];
  resources: PlannedResource[];
  permissions: { name: string; id: string; description: string; highPrivilege: boolean }[];
  secrets: PlannedSecret[];
  /** The day the next generation is issued (and handed to Nexxt). */
  nextRotationAt: string;
  /** nexxt:rotationStart (YYYY-MM-DD). */
  rotationStart: string;
  /** This stack's shift of its issue days after the first. */
  jitterDays: number;
  outputs: Record<string, unknown>;
}

/**
 * Runs the real program for a stack file on the Pulumi mock runtime, with an offline tenant
 * standing in for Entra (the catalogue's app roles, no existing registrations), and reports
 * what `pulumi up` would register on a new stack. No credentials, no CLI, no network.
 */
export async function planStack(stackFile: StackFile, settings: ConnectorSettings, at: Date): Promise<OfflinePlan> {
  const fixture = { ...defaultTenantFixture(settings.tenantId), graphServicePrincipalObjectId: "<tenant's Microsoft Graph service principal objectId>" };
  const assumptions = [
    `\`pulumi up\` runs with credentials of tenant ${settings.tenantId} (it refuses any other).`,
    "The tenant's Microsoft Graph offers the permissions with the IDs Microsoft publishes.",
  ];
  if (settings.existingApplicationId) {
    fixture.applications.push({
      objectId: "<existing registration's objectId>",
      clientId: settings.existingApplicationId,
      displayName: "<existing registration's name>",
      signInAudience: "AzureADMultipleOrgs",
      notes: "",
      servicePrincipalObjectId: "<existing service principal's objectId>",
    });
    assumptions.push(`The registration with client ID ${settings.existingApplicationId} exists in the tenant and has a service principal.`);
  } else {
    assumptions.push(`No other app registration is named '${settings.displayName}' (else \`pulumi up\` refuses and says how to take it over).`);
  }
  const tenant = new OfflineTenant(fixture, true);
  // A diy backend runs every program with the organization "organization" (getTarget, pkg/backend/diy/state.go).
  await pulumi.runtime.setMocks(tenant, "nexxt", stackFile.stack, false, "organization");
  pulumi.runtime.setAllConfig(engineConfig(stackFile), stackFile.secretKeys);

  const outputs = await withoutProviderSerialization(async () => {
    const resolved = await resolveAll(await nexxtProgram({ now: at }));
    // Let the component's last registrations reach the mock monitor before anything else runs.
    await pulumi.runtime.disconnect();
    return resolved;
  });
  const secretValues = tenant.resources.filter((r) => r.type === "azuread:index/applicationPassword:ApplicationPassword").map((r) => String(r.state.value));
  const redact = (value: unknown) => redactValues(value, secretValues);
  const schedule = secretScheduleAt(at, settings.rotation, stackFile.stack);

  return {
    stack: stackFile.stack,
    file: stackFile.file,
    at: utcTimestamp(at),
    tenantId: settings.tenantId,
    cloud: settings.cloud.name,
    assumptions,
    // The stack reference a takeover reads its own last outputs through is a read, not a resource
    // `pulumi up` registers; on a new stack it reads nothing.
    resources: tenant.resources
      .filter((r) => r.type !== "pulumi:pulumi:StackReference")
      .map((r) => ({
        type: r.type,
        name: r.name,
        ...(r.importId ? { importId: r.importId } : {}),
        properties: redact(r.inputs) as Record<string, unknown>,
      })),
    permissions: settings.permissions.map((p) => ({ name: p.name, id: p.id, description: p.description, highPrivilege: isHighPrivilege(p) })),
    secrets: [schedule.active, schedule.previous]
      .filter((s) => s !== undefined)
      .map((s) => ({ slot: s.slot, generation: s.generation, expiresAt: utcTimestamp(s.endDate), active: s === schedule.active })),
    nextRotationAt: utcTimestamp(schedule.nextRotationAt),
    rotationStart: settings.rotation.rotationStart.toISOString().slice(0, 10),
    jitterDays: schedule.jitterDays,
    outputs: { ...(redact(outputs) as Record<string, unknown>), clientSecret: SECRET_PLACEHOLDER },
  };
}

/** As the engine passes config: strings, structured values as JSON, secrets never readable here. */
function engineConfig(stackFile: StackFile): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stackFile.config).map(([key, value]) => [
      key,
      stackFile.secretKeys.includes(key) ? SECRET_PLACEHOLDER : typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

async function resolveAll(outputs: object): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs).map(async ([key, value]) => [
      key,
      pulumi.Output.isInstance(value) ? await new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve)) : value,
    ]),
  );
  return Object.fromEntries(entries);
}

/** How the Pulumi runtime marks a secret value inside resource inputs (sdk/nodejs/runtime/rpc.ts). */
const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

/**
 * Replaces every Pulumi secret and every occurrence of a known secret value, at any depth and
 * inside any string, and drops runtime internals such as a dynamic provider's serialized code.
 */
export function redactValues(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return secrets.reduce((text, secret) => (secret ? text.split(secret).join(SECRET_PLACEHOLDER) : text), value);
  if (Array.isArray(value)) return value.map((item) => redactValues(item, secrets));
  if (value && typeof value === "object") {
    if (SECRET_SIGNATURE_KEY in value) return SECRET_PLACEHOLDER;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !key.startsWith("__"))
        .map(([key, item]) => [key, redactValues(item, secrets)]),
    );
  }
  return value;
}
