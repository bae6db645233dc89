import * as path from "node:path";
import { UserError } from "../errors";
import { isStackName } from "../identifiers";

export interface ConnectorFilePaths {
  /** `<dir>/<stack>.nexxt.json`: the connector configuration, with the secret. */
  connectorFilePath: string;
  /** `<dir>/<stack>.handoff.md`: what Customer Care needs, without the secret. */
  handoffFilePath: string;
}

export function connectorFilePaths(directory: string, stackName: string): ConnectorFilePaths {
  // A fully qualified `org/project/stack` would reach into other directories.
  if (!isStackName(stackName)) {
    throw new UserError(
      `Stack name '${stackName}' cannot name the connector files; use the short stack name (letters, digits, '-', '_', '.') such as 'acme', not 'org/project/acme'.`,
    );
  }
  return {
    connectorFilePath: path.join(directory, `${stackName}.nexxt.json`),
    handoffFilePath: path.join(directory, `${stackName}.handoff.md`),
  };
}
