import * as pulumi from "@pulumi/pulumi";
import { OfflineTenant, TenantFixture, defaultTenantFixture } from "../../src/plan/offlineTenant";
import { StackOutputs, nexxtProgram } from "../../src/program/program";

export const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
export const OTHER_TENANT = "9e8d7c6b-5a49-4838-a727-161504f3e2d1";

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export type ResolvedOutputs = { [K in keyof StackOutputs]: StackOutputs[K] extends pulumi.Output<infer T> ? T : StackOutputs[K] };

export interface ProgramRun {
  tenant: OfflineTenant;
  raw: StackOutputs;
  outputs: ResolvedOutputs;
}

/** Config as the engine hands it over: strings, structured values as JSON text. */
export function engineConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `nexxt:${key}`, typeof value === "string" ? value : JSON.stringify(value)]));
}

/**
 * Runs the real program on the mock runtime against an offline tenant, and resolves every stack
 * output (which waits for every resource the outputs depend on).
 */
export async function runProgram(
  config: Record<string, unknown>,
  options: { fixture?: Partial<TenantFixture>; now?: Date; stack?: string; componentOptions?: pulumi.ComponentResourceOptions } = {},
): Promise<ProgramRun> {
  const tenant = new OfflineTenant({ ...defaultTenantFixture(TENANT), ...options.fixture });
  await pulumi.runtime.setMocks(tenant, "nexxt", options.stack ?? "acme", false, "organization");
  pulumi.runtime.setAllConfig(engineConfig(config), ["nexxt:apiToken"]);
  const raw = await nexxtProgram({ now: options.now ?? new Date("2026-11-27T10:00:00Z"), componentOptions: options.componentOptions });
  const entries = await Promise.all(
    Object.entries(raw).map(async ([key, value]) => [key, pulumi.Output.isInstance(value) ? await promiseOf(value as pulumi.Output<unknown>) : value]),
  );
  // Wait for the registrations still in flight, so the next test's mocks never see them.
  await pulumi.runtime.disconnect();
  return { tenant, raw, outputs: Object.fromEntries(entries) as ResolvedOutputs };
}

/** nexxt:rotationStart is required (issue 17, finding 4); this one puts 2026-11-27 mid-period. */
export const BASE_CONFIG = { tenantId: TENANT, companyId: "4711", rotationStart: "2026-01-01" } as const;
