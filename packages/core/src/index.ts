// @wlsync/core: the wl host (CLI, engine, state store, plugin discovery). Plugins build on
// @wlsync/plugin-api; this entry re-exports that contract, plus what embeds wl in a program.
import "reflect-metadata"; // tsyringe (used by the registry and the engine) needs it before anything else loads

export * from "@wlsync/plugin-api";
export { readConfig, validateConfig, type LoadedConfig } from "./config/read-config.js";
export type * from "./config/wlsyncrc.generated.js";
export { findPluginPackages, SYNCER_KEYWORD, BACKEND_KEYWORD, type PluginPackage } from "./plugins/find-packages.js";
export { StderrLogger } from "./cli/stderr-logger.js";
export { pruneVersions, restoreVersion, expectedNow, type RestoreOutcome } from "./versions/version-service.js";
export { parseConflictPolicy, decide, conflictCopyName, describePolicy, type Decision } from "./engine/conflict-policy.js";
export { resolveConflicts } from "./engine/resolve-conflicts.js";
export { describeConflicts, nameSides } from "./engine/conflict-details.js";
