// @wlsync/plugin-api: everything a storage backend or syncer plugin needs from wlsync, and
// nothing of the host (no engine, state store or CLI). Node built-ins only, no dependencies.
export * from "./errors.js";
export type * from "./logger.js";
export * from "./storage-backend.js";
export type * from "./storage-watcher.js";
export * from "./base-syncer.js";
export * from "./sync-types.js";
export type * from "./transferer.js";
export * from "./syncer-context.js";
export * from "./temp-names.js";
export { forEachLimit } from "./for-each-limit.js";
export { PollingWatcher } from "./polling-watcher.js";
export * from "./compare-and-swap.js";
export * from "./local-files.js";
export * from "./modes.js";
export * from "./version-names.js";
export * from "./keep-policy.js";
export { LocalVersionStore, sha256OfFile } from "./local-versions.js";
export * from "./plugin-manifest.js";
