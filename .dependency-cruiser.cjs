// Dependency rules (npm run lint, .ci/run): the layering ARCHITECTURE.md describes, checked on
// every import, type-only imports included (they are edges a reader follows too).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Modules form a tree of layers: a cycle (config <-> connector, say) means a concept has no single home.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-not-cli",
      severity: "error",
      comment: "Only the command line knows about yargs, flags and CliIo; the domain (and exit codes, src/exitCodes.ts) lives below it.",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "program-not-cli-or-plan",
      severity: "error",
      comment: "The Pulumi program and its components run under `pulumi up`; they never reach the offline plan or the CLI.",
      from: { path: "^src/(program|connector|partner)/" },
      to: { path: "^src/(cli|plan|fleet|demo|emulator)/" },
    },
    {
      name: "stand-ins-only-for-the-demo",
      severity: "error",
      comment: "The Microsoft and Nexxt stand-ins (src/emulator) serve the demo, tests and benchmarks; no real command or the program may reach them.",
      from: { path: "^src/", pathNot: "^src/(demo|emulator|cli/commands/demo\\.ts)" },
      to: { path: "^src/emulator/" },
    },
    {
      name: "fleet-below-cli-only",
      severity: "error",
      comment:
        "Fleet logic (due stacks, shards, canaries, the fleet view) serves the pipeline scripts and the due command; the program and the per-customer code never depend on it.",
      from: { path: "^src/", pathNot: "^src/(fleet|cli)/" },
      to: { path: "^src/fleet/" },
    },
    {
      name: "leaves-stay-leaves",
      severity: "error",
      comment: "Generic code (util, http, schedule, catalogue, the top-level files) serves every area and imports none of them.",
      from: { path: "^src/((util|http|schedule|catalogue)/|[^/]+\\.ts$)" },
      to: { path: "^src/(cli|program|plan|connector|stacks|report|users|graph|nexxt|config|fleet|demo|emulator|partner)/" },
    },
    {
      name: "config-imports-no-domain",
      severity: "error",
      comment: "The config schema is a pure parser every area reads; it knows none of them.",
      from: { path: "^src/config/" },
      to: { path: "^src/(cli|program|plan|connector|stacks|report|users|graph|nexxt|fleet|demo|emulator|partner)/" },
    },
    {
      name: "policy-not-config-schema",
      severity: "error",
      comment: "The policy pack checks resources, not stack files: it must not load the config schema (directly or through another module).",
      from: { path: "^policy/" },
      to: { path: "^src/config/schema\\.ts$", reachable: true },
    },
    {
      name: "src-not-dev-dependencies",
      severity: "error",
      comment: "What src/ loads at run time must be a dependency: npm ci --omit=dev has no typescript, ts-node, jest or policy SDK.",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "src-not-tests-or-scripts",
      severity: "error",
      comment: "Production code never imports tests, test support or scripts.",
      from: { path: "^src/" },
      to: { path: "^(test|scripts|policy)/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|coverage|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
