/**
 * The offline plan runs the real program, but it has no use for what Pulumi's closure serializer
 * makes of a dynamic provider: the plan drops a resource's `__provider` input (redactValues drops
 * every `__` key), and nothing runs that code. Serializing it is about 380 ms of a 1 s plan
 * (measured with `npm run bench:startup`): an inspector session that first reports every one of
 * the ~930 loaded scripts, then TypeScript's parser over each captured function.
 *
 * How the SDK gets there (@pulumi/pulumi dynamic/index.js, serializeFunctionMaybeSecret):
 * `dynamic.Resource`'s constructor requires `runtime/closure/serializeClosure` and calls
 * `sc.serializeFunction(...)` on that module object, when the resource is constructed. Replacing
 * the export for as long as the program runs therefore reaches every dynamic resource it
 * constructs, and nothing after it. Just as long, the SDK's cache of serialized providers is off
 * (runtime/settings.js cacheDynamicProviders(), on by default since 3.0, keyed by the provider
 * object, and our providers are module singletons): else the stand-in text would be handed to any
 * later serialization of the same provider in this process. The store is internal, so it is
 * reached with require; test/plan/withoutProviderSerialization.test.ts fails if an SDK upgrade
 * routes around either.
 *
 * `pulumi up` and `preview` are untouched: they never run this code, and they serialize as ever.
 */
export const NOT_SERIALIZED = "/* not serialized: the offline plan never runs a dynamic provider */";

type SerializeClosureModule = {
  -readonly [K in keyof typeof import("@pulumi/pulumi/runtime/closure/serializeClosure")]: (typeof import("@pulumi/pulumi/runtime/closure/serializeClosure"))[K];
};

/** runtime/state.js getStore(): the part of the runtime's settings read by cacheDynamicProviders(). */
interface RuntimeState {
  getStore(): { settings: { options: { cacheDynamicProviders?: boolean } } };
}

export async function withoutProviderSerialization<T>(work: () => Promise<T>): Promise<T> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as SerializeClosureModule;
  const options = (require("@pulumi/pulumi/runtime/state") as RuntimeState).getStore().settings.options;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const real = closure.serializeFunction;
  const caching = options.cacheDynamicProviders;
  closure.serializeFunction = () => Promise.resolve({ text: NOT_SERIALIZED, exportName: "handler", containsSecrets: false });
  options.cacheDynamicProviders = false;
  try {
    return await work();
  } finally {
    closure.serializeFunction = real;
    options.cacheDynamicProviders = caching;
  }
}
