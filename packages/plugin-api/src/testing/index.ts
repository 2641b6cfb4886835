// @wlsync/plugin-api/testing: the conformance kit plugin authors run in their own test suites.

export { describeBackend, expectCode, type BackendKitOptions } from "./describe-backend.js";
export { describeSyncer, SyncerPair, type PassOutcome, type SyncerKitOptions } from "./describe-syncer.js";
export { KitEnvironment, MemoryLogger, waitFor, withEnvironment, type BackendFactory, type BackendHarness, type BackendUnderTest } from "./harness.js";
export type { KitOptions, KitSuite, KitTest } from "./kit-suite.js";
export { expectedAt, listTree, readFileFrom, readTextFrom, removeFrom, sha256, treeDifference, writeFileTo, type TreeEntry } from "./storage-ops.js";
export { loadKitHost, type KitHost, type KitStateStore } from "./kit-host.js";
