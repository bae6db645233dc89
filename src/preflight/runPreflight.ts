import type { ConnectorSettings } from "../config/settings";
import { DEFAULT_DISPLAY_NAME } from "../config/schema";
import { GraphClient } from "../graph/graphClient";
import type { Check } from "../graph/verifyChecks";
import type { HttpClientOptions } from "../http/sendWithRetry";
import type { PartnerConfig } from "../partner/partnerConfig";
import { preflightChecks } from "./preflightChecks";
import { SignInFailed, signIn } from "./signIn";
import { chooseSignInMethod, describeSignIn } from "./signInMethod";
import { readTenantFacts } from "./tenantFacts";

export interface PreflightRun {
  settings: ConnectorSettings;
  stackRef: string;
  now: Date;
  loginHost: string;
  graphRoot: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  http: HttpClientOptions;
  /** partner.yaml, when there is one (the consent link of a partner app). */
  partner: PartnerConfig | undefined;
}

export interface PreflightResult {
  signIn: string;
  checks: Check[];
}

/**
 * Signs in as `pulumi up` will, reads what the checks need, and judges it. A bad ARM_* setting
 * throws a UserError before anything is sent; every answer from Microsoft becomes a check.
 */
export async function runPreflight(run: PreflightRun): Promise<PreflightResult> {
  const method = chooseSignInMethod(run.env);
  const description = describeSignIn(method);
  const appClientId = method.kind === "azure-cli" ? undefined : method.clientId;
  const base = { settings: run.settings, stackRef: run.stackRef, now: run.now, loginHost: run.loginHost, signInDescription: description, appClientId, partner: run.partner };
  let signedIn;
  try {
    signedIn = await signIn(method, { loginHost: run.loginHost, graphRoot: run.graphRoot, cwd: run.cwd, http: run.http });
  } catch (err) {
    if (!(err instanceof SignInFailed)) throw err;
    return { signIn: description, checks: preflightChecks({ ...base, outcome: { ok: false, message: err.message, codes: err.codes, unavailable: err.unavailable } }) };
  }
  // Another tenant's directory is not read: the tenant check fails and says so.
  const sameTenant = signedIn.claims.tid?.toLowerCase() === run.settings.tenantId;
  const facts = sameTenant
    ? await readTenantFacts(new GraphClient(run.graphRoot, signedIn.token, run.http), {
        names: [...new Set([run.settings.displayName, DEFAULT_DISPLAY_NAME])],
        user: signedIn.claims.scp.length > 0,
        existingApplicationId: run.settings.existingApplicationId,
      })
    : undefined;
  return { signIn: description, checks: preflightChecks({ ...base, outcome: { ok: true, claims: signedIn.claims, facts } }) };
}
