import * as pulumi from "@pulumi/pulumi";
import type { ConnectorSettings } from "../config/settings";
import type { ConnectorDocument } from "../nexxt/connectorDocument";
import { connectorFilePaths } from "../nexxt/connectorFilePaths";
import { renderHandoff } from "../nexxt/handoff";
import { ConnectorFile } from "./sinks/connectorFile";
import { NexxtConfigPush } from "./sinks/nexxtPush";
import * as path from "node:path";

/** The Entra values the connector configuration is made of. */
export interface ConnectorValues {
  applicationId: pulumi.Output<string>;
  clientSecret: pulumi.Output<string>;
  secretExpiresAt: pulumi.Output<string>;
  grantedPermissions: pulumi.Output<string[]>;
  tokenEndpoint: string;
}

export interface EmitArgs {
  settings: ConnectorSettings;
  /** The short stack name: the files are `<stack>.nexxt.json` and `<stack>.handoff.md`. */
  stackName: string;
  /** nexxt:apiToken, a secret; required when settings.sink.apiUrl is set. */
  apiToken?: pulumi.Output<string>;
}

/**
 * Step 5 of the guide, done by `pulumi up`: the connector configuration goes where Nexxt reads it
 * (the 0600 file, and Nexxt's URL when configured), rewritten in the same run that rotates the
 * secret. Returns the hand-off text, which holds no secret.
 */
export function emitConnectorConfiguration(parent: pulumi.Resource, name: string, values: ConnectorValues, args: EmitArgs): pulumi.Output<string> {
  const { settings } = args;
  const document: pulumi.Output<ConnectorDocument> = pulumi
    .all([values.applicationId, values.clientSecret, values.secretExpiresAt, values.grantedPermissions])
    .apply(([applicationId, apiKey, secretExpiresAt, permissions]) => ({
      applicationId,
      apiKey,
      oauth2TokenEndpoint: values.tokenEndpoint,
      tenantId: settings.tenantId,
      companyId: settings.companyId,
      secretExpiresAt,
      permissions,
    }));

  const directory = settings.sink.connectorConfigDir;
  // As configured (relative to the project root), with `/`: the hand-off is the same text on a
  // laptop, on CI and on Windows, so applying from another machine changes nothing.
  const connectorFilePath = directory ? handoffPath(directory, args.stackName) : undefined;
  // Built from the non-secret values, so the hand-off output is not a secret.
  const handoff = pulumi.all([values.applicationId, values.secretExpiresAt, values.grantedPermissions]).apply(([applicationId, secretExpiresAt, permissions]) =>
    renderHandoff({
      stack: args.stackName,
      document: {
        applicationId,
        oauth2TokenEndpoint: values.tokenEndpoint,
        tenantId: settings.tenantId,
        companyId: settings.companyId,
        secretExpiresAt,
        permissions,
      },
      nexxtUrl: settings.nexxtUrl,
      nexxtHost: settings.nexxtHost,
      connectorFilePath,
      pushedTo: settings.sink.apiUrl,
      adopted: settings.existingApplicationId !== undefined,
    }),
  );

  if (directory) {
    new ConnectorFile(`${name}-file`, { directory, stackName: args.stackName, document, handoff }, { parent });
  }
  if (settings.sink.apiUrl) {
    if (!args.apiToken) throw new Error("nexxt:apiToken must be read when nexxt:apiUrl is set");
    new NexxtConfigPush(`${name}-push`, { url: settings.sink.apiUrl, apiToken: args.apiToken, document, retainOnDelete: settings.sink.retainOnDelete }, { parent });
  }
  return handoff;
}

/** The connector file as the hand-off names it: relative to the project root unless configured absolute. */
function handoffPath(directory: string, stackName: string): string {
  const file = path.basename(connectorFilePaths(directory, stackName).connectorFilePath);
  if (path.isAbsolute(directory)) return path.join(directory, file);
  return path.posix.join(...directory.split(/[\\/]+/).filter(Boolean), file);
}
