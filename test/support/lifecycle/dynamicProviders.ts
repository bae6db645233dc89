import * as path from "node:path";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

/**
 * Runs dynamic providers as Pulumi's dynamic-provider host does: the serialized text in the
 * `__provider` input is loaded with require-from-string and `.handler()` gives the provider
 * (sdk/nodejs/cmd/dynamic-provider/index.ts). Cached by text, as the host caches it per process.
 */
type Provider = {
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs?: Record<string, unknown> }>;
  diff?(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  update?(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs?: Record<string, unknown> }>;
  delete?(id: string, props: Record<string, unknown>): Promise<void>;
  read?(id: string, props: Record<string, unknown>): Promise<{ id?: string; props?: Record<string, unknown> }>;
};

const PROVIDER_KEY = "__provider";
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string, filename?: string) => { handler(): Provider } = require(require.resolve("require-from-string", { paths: [pulumiDir] }));

/**
 * Both ways across the gRPC boundary as the host does it (cmd/dynamic-provider/index.js): the
 * engine's properties arrive as a protobuf Struct (`toJavaScript()`), and every answer is encoded
 * with `Struct.fromJavaScript`, which throws "Unexpected struct type." on an `undefined` field.
 */
function overTheWire(value: Record<string, unknown>): Record<string, unknown> {
  return structproto.Struct.fromJavaScript(value as Record<string, structproto.JavaScriptValue>).toJavaScript() as Record<string, unknown>;
}

/** Shared by every engine in the test file: loading a provider's text costs milliseconds. */
const loaded = new Map<string, Provider>();

export class DynamicProviders {
  private readonly cache = loaded;

  private provider(serialized: string): Provider {
    let provider = this.cache.get(serialized);
    if (!provider) {
      // Resolved from the project, as the host resolves the provider's requires from the program's.
      provider = requireFromString(serialized, path.resolve(__dirname, "../../../dynamic-provider.js")).handler();
      this.cache.set(serialized, provider);
    }
    return provider;
  }

  async create(inputs: Record<string, unknown>): Promise<{ id: string; outputs: Record<string, unknown> }> {
    const { [PROVIDER_KEY]: serialized, ...props } = overTheWire(inputs);
    const result = await this.provider(String(serialized)).create(props);
    return { id: result.id, outputs: overTheWire({ ...result.outs, [PROVIDER_KEY]: serialized }) };
  }

  async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes: string[]; replaces: string[]; deleteBeforeReplace: boolean }> {
    const { [PROVIDER_KEY]: serialized, ...props } = overTheWire(news);
    const provider = this.provider(String(serialized));
    const { [PROVIDER_KEY]: _old, ...oldProps } = overTheWire(olds);
    if (!provider.diff) throw new Error("lifecycle engine: dynamic provider without diff");
    const result = await provider.diff(id, oldProps, props);
    const replaces = result.replaces ?? [];
    return { changes: result.changes ? ["(provider diff)", ...replaces] : [], replaces, deleteBeforeReplace: result.deleteBeforeReplace ?? false };
  }

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { [PROVIDER_KEY]: serialized, ...props } = overTheWire(news);
    const { [PROVIDER_KEY]: _old, ...oldProps } = overTheWire(olds);
    const result = await this.provider(String(serialized)).update!(id, oldProps, props);
    return overTheWire({ ...result.outs, [PROVIDER_KEY]: serialized });
  }

  async delete(serialized: string, id: string, outputs: Record<string, unknown>): Promise<void> {
    const { [PROVIDER_KEY]: _p, ...props } = overTheWire(outputs);
    await this.provider(String(outputs[PROVIDER_KEY] ?? serialized)).delete?.(id, props);
  }

  /** Undefined when the provider says the resource is gone; the old outputs when it cannot read. */
  async read(serialized: string, id: string, outputs: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const { [PROVIDER_KEY]: _p, ...props } = overTheWire(outputs);
    const provider = this.provider(String(outputs[PROVIDER_KEY] ?? serialized));
    if (!provider.read) return outputs;
    const result = await provider.read(id, props);
    if (!result.id) return undefined;
    return overTheWire({ ...result.props, [PROVIDER_KEY]: outputs[PROVIDER_KEY] });
  }
}
