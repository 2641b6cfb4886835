// Layering and import cycles, checked by `pnpm lint` (depcruise over the TypeScript sources).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "An import cycle at run time: modules that cannot be loaded, understood or tested one at a time. (Type-only imports vanish at compile time, as madge --circular over the build would see it.)",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "plugin-api-stands-alone",
      severity: "error",
      comment: "The plugin contract imports nothing but itself and Node's built-ins: no host (engine, state, DI, CLI), no npm package.",
      from: { path: "^packages/plugin-api/" },
      to: { pathNot: ["^packages/plugin-api/"], dependencyTypesNot: ["core"] },
    },
    {
      name: "plugins-build-on-the-plugin-api-only",
      severity: "error",
      comment: "Backends and syncers depend on @wlsync/plugin-api, never on the host (@wlsync/core) or on each other.",
      from: { path: "^(packages/(backend|syncer)-[^/]+|examples/[^/]+)/src/" },
      to: { path: ["^packages/core/", "@wlsync/core", "^packages/(backend|syncer)-[^/]+/", "^examples/"], pathNot: ["^$1/"] },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "An import of something the package does not depend on (or that does not exist).",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "engine-below-the-host",
      severity: "error",
      comment: "The sync engine knows nothing of the CLI, the daemon, containers or config files (it only takes the DI decorators).",
      from: { path: "^packages/core/src/engine/" },
      to: { path: "^packages/core/src/(cli|daemon|containers|config)/" },
    },
    {
      name: "state-below-the-engine",
      severity: "error",
      comment: "The state store is used by the engine, never the other way round; it knows nothing of the CLI or the daemon.",
      from: { path: "^packages/core/src/state/" },
      to: { path: "^packages/core/src/(engine|cli|daemon|di|containers)/" },
    },
  ],
  options: {
    // Other packages are reached through their build (dist): seen as targets, not cruised.
    doNotFollow: { path: ["node_modules", "/dist/"] },
    exclude: { path: ["\\.generated\\.ts$"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default", "node"],
      extensions: [".ts", ".js", ".mjs", ".json"],
    },
  },
};
