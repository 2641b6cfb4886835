import "reflect-metadata"; // tsyringe (used by the registry and the engine) needs it before anything else loads

export * from "./contracts/errors.js";
export * from "./contracts/logger.js";
export * from "./contracts/storage-backend.js";
export * from "./contracts/storage-watcher.js";
export * from "./contracts/base-syncer.js";
export * from "./engine/types.js";
export * from "./engine/transferer.js";
export { makePlan, type Listing, type PlanInput } from "./engine/plan.js";
export { applyPlan, type ApplyContext, type ApplyOutcome } from "./engine/apply.js";
export { SyncEngine, scanStorage, type RunOptions, type Scan } from "./engine/sync-engine.js";
export { StreamTransferer, copyOne } from "./engine/stream-transferer.js";
export { PathFilter, TEMP_PREFIX, OWN_DIR, isTempName, isOwnPath } from "./engine/path-filter.js";
export { tempFileName, isStaleTempFile, hostIdentity, writerGone, FOREIGN_TEMP_MAX_AGE_MS } from "./engine/temp-files.js";
export { StateStore } from "./state/state-store.js";
export { readConfig, validateConfig, type LoadedConfig } from "./config/read-config.js";
export type * from "./config/wlsyncrc.generated.js";
export { findPluginPackages, SYNCER_KEYWORD, BACKEND_KEYWORD, type PluginPackage } from "./plugins/find-packages.js";
export { rankSyncers, type SyncRequest, type Verdict } from "./plugins/select-syncer.js";
export { PluginRegistry } from "./plugins/plugin-registry.js";
export { TOKENS } from "./di/tokens.js";
export { createAppContainer } from "./di/container.js";
export { forEachLimit } from "./util/pool.js";
export { PollingWatcher } from "./watch/polling-watcher.js";
export { ContinuousRunner, signatureOf, type ContinuousOptions } from "./engine/continuous-runner.js";
