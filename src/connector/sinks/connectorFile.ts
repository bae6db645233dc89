import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { removeFileIfPresent, writeFileAtomic } from "../../util/atomicFile";
import { ConnectorDocument, serializeConnectorDocument } from "../../nexxt/connectorDocument";
import { connectorFilePaths } from "../../nexxt/connectorFilePaths";
import { changedDocumentFields } from "../../nexxt/documentChanges";

export interface ConnectorFileArgs {
  /** Where the files go; a relative path is resolved against the program's working directory. */
  directory: pulumi.Input<string>;
  /** The short stack name: the files are `<stack>.nexxt.json` and `<stack>.handoff.md`. */
  stackName: pulumi.Input<string>;
  /** The connector configuration; it holds the client secret and is kept a Pulumi secret. */
  document: pulumi.Input<ConnectorDocument>;
  /** The rendered hand-off (renderHandoff); it holds no secret. */
  handoff: pulumi.Input<string>;
}

/** What the provider receives: the args resolved, the directory absolute. */
export interface ConnectorFileInputs {
  directory: string;
  stackName: string;
  document: ConnectorDocument;
  handoff: string;
}

export interface ConnectorFileOutputs extends ConnectorFileInputs {
  connectorFilePath: string;
  handoffFilePath: string;
}

/** Changing these moves the files: the old ones are deleted first, then the new ones written. */
const REPLACING_FIELDS = ["directory", "stackName"] as const satisfies readonly (keyof ConnectorFileInputs)[];

/**
 * Writes `<dir>/<stack>.nexxt.json` and `<dir>/<stack>.handoff.md` (both 0600, atomically),
 * rewrites them when anything changes (a new secret) and removes them on destroy.
 *
 * Pulumi serializes this class with the functions it calls and runs it in another process, so it
 * holds no state and calls module-level imports only.
 */
export class ConnectorFileProvider implements pulumi.dynamic.ResourceProvider<ConnectorFileInputs, ConnectorFileOutputs> {
  async create(inputs: ConnectorFileInputs): Promise<pulumi.dynamic.CreateResult<ConnectorFileOutputs>> {
    const outs = await writeConnectorFiles(inputs);
    return { id: outs.connectorFilePath, outs };
  }

  async diff(_id: string, olds: ConnectorFileOutputs, news: ConnectorFileInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = REPLACING_FIELDS.filter((field) => olds[field] !== news[field]);
    const documentChanged = changedDocumentFields(olds.document, news.document).length > 0;
    const changes = replaces.length > 0 || documentChanged || olds.handoff !== news.handoff;
    // Delete first: if the old and new paths are one file (a symlinked directory), deleting
    // after the create would remove the new file.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async update(_id: string, _olds: ConnectorFileOutputs, news: ConnectorFileInputs): Promise<pulumi.dynamic.UpdateResult<ConnectorFileOutputs>> {
    return { outs: await writeConnectorFiles(news) };
  }

  async delete(_id: string, props: ConnectorFileOutputs): Promise<void> {
    const paths = props.connectorFilePath ? props : connectorFilePaths(props.directory, props.stackName);
    await removeFileIfPresent(paths.connectorFilePath);
    await removeFileIfPresent(paths.handoffFilePath);
  }
}

/** The connector file first: it is what Nexxt needs; the hand-off describes it. */
export async function writeConnectorFiles(inputs: ConnectorFileInputs): Promise<ConnectorFileOutputs> {
  const paths = connectorFilePaths(inputs.directory, inputs.stackName);
  await writeFileAtomic(paths.connectorFilePath, serializeConnectorDocument(inputs.document));
  await writeFileAtomic(paths.handoffFilePath, inputs.handoff);
  return { ...inputs, ...paths };
}

/**
 * One provider object per process: Pulumi caches a provider's serialized code by object, so a
 * shared instance is serialized once, not once per resource (about a second each).
 */
const sharedConnectorFileProvider = new ConnectorFileProvider();

/**
 * The connector configuration as a file beside the program, for an admin to hand over or for
 * `nexxt-onboard push-config`. The document stays a secret in the state and in every output.
 */
export class ConnectorFile extends pulumi.dynamic.Resource {
  declare readonly connectorFilePath: pulumi.Output<string>;
  declare readonly handoffFilePath: pulumi.Output<string>;
  declare readonly document: pulumi.Output<ConnectorDocument>;

  constructor(name: string, args: ConnectorFileArgs, opts?: pulumi.CustomResourceOptions) {
    // Resolved now, in the program: the provider may run with another working directory.
    const cwd = process.cwd();
    const props: Record<keyof ConnectorFileOutputs, pulumi.Input<unknown> | undefined> = {
      directory: pulumi.output(args.directory).apply((directory) => path.resolve(cwd, directory)),
      stackName: args.stackName,
      document: pulumi.secret(args.document),
      handoff: args.handoff,
      connectorFilePath: undefined,
      handoffFilePath: undefined,
    };
    // Both ways, because each runtime honours one: the engine applies additionalSecretOutputs
    // (dynamic providers get and return plain values; returning pulumi.secret from a provider
    // fails, https://github.com/pulumi/pulumi/issues/3012), the mock runtime only keeps secrets
    // it was given as inputs. The provider itself captures no secret: its serialized code is
    // stored in the state (https://github.com/pulumi/pulumi/issues/8265).
    super(sharedConnectorFileProvider, name, props, { ...opts, additionalSecretOutputs: ["document"] }, "nexxt", "ConnectorFile");
  }
}
