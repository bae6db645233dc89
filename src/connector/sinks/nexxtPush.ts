import * as pulumi from "@pulumi/pulumi";
import { ConnectorDocument } from "../../nexxt/connectorDocument";
import { changedDocumentFields } from "../../nexxt/documentChanges";
import { deleteConnectorDocument, pushConnectorDocument, PushOptions } from "../../nexxt/pushClient";

export interface NexxtConfigPushArgs {
  /** The full URL of this customer's connector configuration at Nexxt (nexxt:apiUrl). */
  url: pulumi.Input<string>;
  /** Sent as `Authorization: Bearer <apiToken>` (nexxt:apiToken); kept a Pulumi secret. */
  apiToken: pulumi.Input<string>;
  /** The connector configuration; it holds the client secret and is kept a Pulumi secret. */
  document: pulumi.Input<ConnectorDocument>;
  /** Keep the configuration at Nexxt on destroy (no DELETE). Defaults to false. */
  retainOnDelete?: pulumi.Input<boolean>;
  /** Per request. Defaults to 10 000 ms. */
  timeoutMs?: pulumi.Input<number>;
  /** Attempts after the first, on network errors, 5xx and 429. Defaults to 5. */
  retries?: pulumi.Input<number>;
}

export interface NexxtConfigPushInputs {
  url: string;
  apiToken: string;
  document: ConnectorDocument;
  retainOnDelete?: boolean;
  timeoutMs?: number;
  retries?: number;
}

export interface NexxtConfigPushOutputs extends NexxtConfigPushInputs {
  /** The HTTP status Nexxt accepted the last PUT with. */
  status: number;
}

/** Test seams: short backoff and a recording sleep. The resource itself passes none. */
export type NexxtPushTuning = Pick<PushOptions, "baseDelayMs" | "sleep">;

/**
 * PUTs the connector configuration to Nexxt on create and update, DELETEs it on destroy unless
 * retained. A failed push throws, so `pulumi up` fails and records nothing: the next run pushes
 * again from the secret still in the program and its encrypted state.
 *
 * Pulumi serializes this class with the functions it calls and runs it in another process, so it
 * holds no state beyond the tuning and calls module-level imports only.
 */
export class NexxtConfigPushProvider implements pulumi.dynamic.ResourceProvider<NexxtConfigPushInputs, NexxtConfigPushOutputs> {
  constructor(private readonly tuning: NexxtPushTuning = {}) {}

  async create(inputs: NexxtConfigPushInputs): Promise<pulumi.dynamic.CreateResult<NexxtConfigPushOutputs>> {
    const result = await pushConnectorDocument(inputs, inputs.document, pushOptions(inputs, this.tuning));
    return { id: result.url, outs: { ...inputs, status: result.status } };
  }

  async diff(_id: string, olds: NexxtConfigPushOutputs, news: NexxtConfigPushInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = olds.url === news.url ? [] : ["url"];
    const changes =
      replaces.length > 0 ||
      olds.apiToken !== news.apiToken ||
      changedDocumentFields(olds.document, news.document).length > 0 ||
      (olds.retainOnDelete ?? false) !== (news.retainOnDelete ?? false) ||
      olds.timeoutMs !== news.timeoutMs ||
      olds.retries !== news.retries;
    // A new URL: DELETE at the old one first (unless retained), then PUT at the new one, so
    // two URLs that reach the same configuration never end with it deleted.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async update(_id: string, olds: NexxtConfigPushOutputs, news: NexxtConfigPushInputs): Promise<pulumi.dynamic.UpdateResult<NexxtConfigPushOutputs>> {
    if (!needsPush(olds, news)) return { outs: { ...news, status: olds.status } };
    const result = await pushConnectorDocument(news, news.document, pushOptions(news, this.tuning));
    return { outs: { ...news, status: result.status } };
  }

  async delete(_id: string, props: NexxtConfigPushOutputs): Promise<void> {
    if (props.retainOnDelete) return;
    await deleteConnectorDocument(props, pushOptions(props, this.tuning));
  }
}

/** Only the document and the token reach Nexxt; retention and timeouts are ours alone. */
export function needsPush(olds: NexxtConfigPushOutputs, news: NexxtConfigPushInputs): boolean {
  return olds.url !== news.url || olds.apiToken !== news.apiToken || changedDocumentFields(olds.document, news.document).length > 0;
}

function pushOptions(inputs: NexxtConfigPushInputs, tuning: NexxtPushTuning): PushOptions {
  return {
    ...tuning,
    timeoutMs: inputs.timeoutMs,
    retries: inputs.retries,
    urlSetting: "nexxt:apiUrl",
    tokenSetting: "nexxt:apiToken",
    // The dynamic provider's stderr reaches the engine's log; one line per retry, no secret.
    onRetry: (info) => console.error(`Nexxt push: attempt ${info.attempt} failed (${info.reason}); retrying in ${info.delayMs} ms`),
  };
}

/**
 * One provider object per process: Pulumi caches a provider's serialized code by object, so a
 * shared instance is serialized once, not once per resource (about a second each).
 */
const sharedNexxtConfigPushProvider = new NexxtConfigPushProvider();

/** The connector configuration at Nexxt, kept in step with the secret by every `pulumi up`. */
export class NexxtConfigPush extends pulumi.dynamic.Resource {
  declare readonly url: pulumi.Output<string>;
  declare readonly status: pulumi.Output<number>;
  declare readonly document: pulumi.Output<ConnectorDocument>;
  declare readonly apiToken: pulumi.Output<string>;

  constructor(name: string, args: NexxtConfigPushArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<keyof NexxtConfigPushOutputs, pulumi.Input<unknown> | undefined> = {
      url: args.url,
      apiToken: pulumi.secret(args.apiToken),
      document: pulumi.secret(args.document),
      retainOnDelete: args.retainOnDelete ?? false,
      timeoutMs: args.timeoutMs,
      retries: args.retries,
      status: undefined,
    };
    // Both ways, because each runtime honours one: the engine applies additionalSecretOutputs
    // (dynamic providers get and return plain values; returning pulumi.secret from a provider
    // fails, https://github.com/pulumi/pulumi/issues/3012), the mock runtime only keeps secrets
    // it was given as inputs. The provider itself captures no secret: its serialized code is
    // stored in the state (https://github.com/pulumi/pulumi/issues/8265).
    super(sharedNexxtConfigPushProvider, name, props, { ...opts, additionalSecretOutputs: ["document", "apiToken"] }, "nexxt", "NexxtConfigPush");
  }
}
