import * as pulumi from "@pulumi/pulumi";
import { UserError } from "../errors";
import { isGuid } from "../identifiers";

/** The stack output that records which Graph app roles this stack holds an assignment for. */
export const GRANTED_ROLE_IDS_OUTPUT = "grantedRoleIds";

/** The name of the stack reference through which the program reads its own last outputs. */
export const OWN_OUTPUTS_REFERENCE = "nexxt-last-outputs";

/**
 * The Graph app role IDs this stack granted on its last successful `pulumi up` (its
 * `grantedRoleIds` output), or an empty list for a stack that has none yet.
 *
 * Read through a stack reference to the stack itself. What the engine does with it (pulumi/pulumi):
 * - The Node SDK reads a StackReference (a Read, `id` = the name, sdk/nodejs/stackReference.ts), the
 *   builtin provider asks the backend for the named stack's outputs (readStackReference,
 *   pkg/resource/deploy/builtins.go; backendClient.GetStackOutputs, pkg/backend/backend.go).
 * - Those are the root stack resource's outputs in the stack's last saved snapshot: the diy
 *   backend reads the checkpoint file (getSnapshotStackOutputs, pkg/backend/diy/state.go), Pulumi
 *   Cloud exports the latest deployment (pkg/backend/httpstate/state.go). Neither takes the
 *   update's lock, so the stack may name itself during its own update.
 * - During the update the root stack resource keeps its previous outputs until the program's
 *   outputs are registered at the end (SameStep.Apply retains old outputs, pkg/resource/deploy/
 *   step.go), so any snapshot saved mid-run still holds the last run's outputs.
 * - A new stack has no checkpoint (diy: `Latest == nil`) or no root resource
 *   (DeserializeStackOutputs, pkg/resource/stack/deployment.go): the outputs are empty.
 * - A read is no change (HasChanges skips OpRead, pkg/engine/update.go): a run that only reads
 *   the reference still "changes nothing".
 * The name is `<organization>/<project>/<stack>`: Pulumi Cloud requires all three parts
 * (httpstateBackendClient.GetStackOutputs), the diy backend accepts them with the organization
 * "organization" (projectReferenceStore.ParseReference, pkg/backend/diy/store.go), which is the
 * organization it runs every program with (getTarget, pkg/backend/diy/state.go). A diy backend
 * still in the legacy layout (no projects) refuses such a name: `pulumi state upgrade` moves it.
 */
export async function previousGrantedRoleIds(): Promise<string[]> {
  const name = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const own = new pulumi.StackReference(OWN_OUTPUTS_REFERENCE, { name });
  const details = await own.getOutputDetails(GRANTED_ROLE_IDS_OUTPUT);
  const value = details.value ?? details.secretValue;
  // A stack last applied before this output existed granted exactly the configured roles its
  // registration did not list; reading that as "none" repeats the same decision.
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((id) => typeof id === "string" && isGuid(id))) {
    throw new UserError(
      `The stack output ${GRANTED_ROLE_IDS_OUTPUT} of stack ${name} is ${JSON.stringify(value)}, not a list of app role IDs; ` +
        `it is written by pulumi up and must not be edited: restore the state from its backup (pulumi stack import) and run pulumi up again.`,
    );
  }
  return value as string[];
}
