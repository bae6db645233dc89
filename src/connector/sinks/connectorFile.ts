import * as pulumi from "@pulumi/pulumi";
import * as fsPromises from "node:fs/promises";
import * as path from "node:path";
import { removeFileIfPresent, writeFileAtomic } from "../../util/atomicFile";
import { ConnectorDocument, serializeConnectorDocument } from "../../nexxt/connectorDocument";
import { connectorFilePaths } from "../../nexxt/connectorFilePaths";
import { changedDocumentFields } from "../../nexxt/documentChanges";
import { findProjectRoot } from "../../stacks/projectRoot";

export interface ConnectorFileArgs {
  /** Where the files go, as configured; a relative path is resolved against the project root. */
  directory: pulumi.Input<string>;
  /** The short stack name: the files are `<stack>.nexxt.json` and `<stack>.handoff.md`. */
  stackName: pulumi.Input<string>;
  /** The connector configuration; it holds the client secret and is kept a Pulumi secret. */
  document: pulumi.Input<ConnectorDocument>;
  /** The rendered hand-off (renderHandoff); it holds no secret. */
  handoff: pulumi.Input<string>;
}

/**
 * What the provider receives: nothing that depends on the machine. The directory stays as
 * configured (relative to the project root), and the root is found where the provider runs, so a
 * stack applied from a laptop and then from CI (another absolute root) changes nothing.
 */
export interface ConnectorFileInputs {
  directory: string;
  /**
   * Only in state written by earlier versions (the machine's project root); ignored: a root taken
   * from the state would point into the machine that last applied the stack.
   */
  projectRoot?: string;
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
    // The project root is not compared: another checkout of the same project is the same place.
    const changes = replaces.length > 0 || documentChanged || olds.handoff !== news.handoff;
    // Delete first: if the old and new paths are one file (a symlinked directory), deleting
    // after the create would remove the new file.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  /**
   * `pulumi refresh`: a file edited by hand shows as a difference, and the next `pulumi up` writes
   * it again. A file that is not there is no difference: a fresh CI runner has no out/, and a
   * local file missing there is not drift of the tenant. Every field keeps a value: the engine's
   * provider host encodes the answer with protobuf's `Struct.fromJavaScript`, which refuses
   * `undefined` ("Unexpected struct type.", cmd/dynamic-provider/index.js in @pulumi/pulumi).
   */
  async read(id: string, props?: ConnectorFileOutputs): Promise<pulumi.dynamic.ReadResult<ConnectorFileOutputs>> {
    if (!props) return { id };
    const paths = connectorFilePaths(resolveDirectory(props), props.stackName);
    const document = await readJsonIfPresent(paths.connectorFilePath);
    const handoff = await readTextIfPresent(paths.handoffFilePath);
    const read: Record<string, unknown> = { ...props };
    if (document !== undefined) read.document = document;
    if (handoff !== undefined) read.handoff = handoff;
    for (const key of Object.keys(read)) if (read[key] === undefined) delete read[key];
    return { id, props: read as unknown as ConnectorFileOutputs };
  }

  async update(_id: string, _olds: ConnectorFileOutputs, news: ConnectorFileInputs): Promise<pulumi.dynamic.UpdateResult<ConnectorFileOutputs>> {
    return { outs: await writeConnectorFiles(news) };
  }

  async delete(_id: string, props: ConnectorFileOutputs): Promise<void> {
    // Where the files are on this machine, not where the state says the last machine wrote them.
    const paths = connectorFilePaths(resolveDirectory(props), props.stackName);
    await removeFileIfPresent(paths.connectorFilePath);
    await removeFileIfPresent(paths.handoffFilePath);
  }
}

/** The connector file first: it is what Nexxt needs; the hand-off describes it. */
export async function writeConnectorFiles(inputs: ConnectorFileInputs): Promise<ConnectorFileOutputs> {
  const paths = connectorFilePaths(resolveDirectory(inputs), inputs.stackName);
  await writeFileAtomic(paths.connectorFilePath, serializeConnectorDocument(inputs.document));
  await writeFileAtomic(paths.handoffFilePath, inputs.handoff);
  const { projectRoot: _legacy, ...machineFree } = inputs;
  return { ...machineFree, ...paths };
}

/**
 * The files' directory on this machine: the configured one against the project root found from
 * the working directory (absolute ones as they are). The engine starts the provider in the
 * program's directory (newPlugin's cmd.Dir = ctx.Pwd, sdk/go/common/resource/plugin/plugin.go),
 * which is at or below the root, as the program's own lookup is.
 */
export function resolveDirectory(inputs: Pick<ConnectorFileInputs, "directory">): string {
  const root = findProjectRoot(process.cwd()) ?? process.cwd();
  return path.resolve(root, inputs.directory);
}

async function readTextIfPresent(filePath: string): Promise<string | undefined> {
  try {
    return await fsPromises.readFile(filePath, "utf8");
  } catch {
    return undefined;
  }
}

async function readJsonIfPresent(filePath: string): Promise<unknown> {
  const text = await readTextIfPresent(filePath);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Edited into something that is not JSON: a difference all the same.
    return text;
  }
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
    // No machine's path among the inputs (issue 17, finding 6): the provider finds the root itself.
    const props: Record<Exclude<keyof ConnectorFileOutputs, "projectRoot">, pulumi.Input<unknown> | undefined> = {
      directory: args.directory,
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
    // Always delete first: the old and the new resource name the same files whenever the
    // directory did not change (`pulumi up --replace`, the way to write them again on a machine
    // that lacks them), and deleting after the create would remove the new files.
    super(sharedConnectorFileProvider, name, props, { ...opts, additionalSecretOutputs: ["document"], deleteBeforeReplace: true }, "nexxt", "ConnectorFile");
  }
}
