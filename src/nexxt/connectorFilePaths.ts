import * as path from "node:path";
import { UserError } from "../errors";

export interface ConnectorFilePaths {
  /** `<dir>/<stack>.nexxt.json`: the connector configuration, with the secret. */
  connectorFilePath: string;
  /** `<dir>/<stack>.handoff.md`: what Customer Care needs, without the secret. */
  handoffFilePath: string;
}

/**
 * A Pulumi stack name as used in a file name. Pulumi allows letters, digits, `-`, `_` and `.`
 * in a stack name (https://www.pulumi.com/docs/iac/concepts/stacks/); a fully qualified
 * `org/project/stack` would reach into other directories.
 */
const STACK_FILE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9_.-]+$/;

export function connectorFilePaths(directory: string, stackName: string): ConnectorFilePaths {
  if (!STACK_FILE_NAME.test(stackName)) {
    throw new UserError(
      `Stack name '${stackName}' cannot name the connector files; use the short stack name (letters, digits, '-', '_', '.') such as 'acme', not 'org/project/acme'.`,
    );
  }
  return {
    connectorFilePath: path.join(directory, `${stackName}.nexxt.json`),
    handoffFilePath: path.join(directory, `${stackName}.handoff.md`),
  };
}
