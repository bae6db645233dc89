import type { CloudName } from "../catalogue/clouds";
import { UserError } from "../errors";
import { PARTNER_FILE, PartnerConfig } from "./partnerConfig";

/** Which of the partner's apps a job signs in as: `up` deploys, `preview` and `drift` only read. */
export type PipelineRole = "deploy" | "preview";

export function roleOfMode(mode: "up" | "preview" | "drift"): PipelineRole {
  return mode === "up" ? "deploy" : "preview";
}

/**
 * The client ID a pipeline job signs in with for one stack (ARM_CLIENT_ID; ARM_TENANT_ID is the
 * stack's tenant): the partner app of the stack's cloud and the job's role, from partner.yaml.
 * Without partner.yaml the job's own ARM_CLIENT_ID is used, as before the partner identity.
 * Which app a job may really use is decided by Entra, not here: each app trusts only the GitHub
 * environments of its role (partnerIdentity.ts), so a pull request cannot sign in as the deploy app.
 */
export function pipelineClientId(partner: PartnerConfig | undefined, cloud: CloudName, role: PipelineRole, fallback: string | undefined): string {
  if (partner === undefined) {
    if (fallback !== undefined && fallback !== "") return fallback;
    throw new UserError(
      `There is no ${PARTNER_FILE} and no ARM_CLIENT_ID, so the job cannot sign in to the customer's tenant; commit the ${PARTNER_FILE} the partner stack prints (docs/partner-identity.md).`,
    );
  }
  const clientId = partner.apps[cloud]?.[role];
  if (clientId === undefined) {
    throw new UserError(
      `${partner.file} has no ${role} app for the cloud ${cloud} (apps.${cloud}.${role}); run the partner stack for ${cloud} and add its client ID (docs/partner-identity.md).`,
    );
  }
  return clientId;
}
