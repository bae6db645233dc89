"use strict";
/**
 * A module that loads only when something in it is used. The Pulumi SDK requires TypeScript and
 * npm's arborist as it loads (~770 modules, ~0.4 s in each of the ~30 test files that load the
 * SDK), though only its closure serializer (dynamic providers, test/sinks) ever calls them.
 * jest.config.js maps those two names here for the tests; whoever uses them gets the real
 * module, loaded on the first property read. Marked `__esModule`, so TypeScript's `__importStar`
 * hands the proxy on instead of copying every export at load time.
 */
module.exports = function lazyModule(file) {
  let real;
  const load = () => (real ??= require(file));
  return new Proxy(
    {},
    {
      get: (_target, key) => (key === "__esModule" ? true : load()[key]),
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
    },
  );
};
