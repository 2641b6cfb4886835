// Host internals that @wlsync/core's public entry no longer exports (plugins get them through
// SyncerContext): tests that exercise the engine directly load them from the build.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = new URL("../..", import.meta.url).pathname;
const dist = (path) => import(pathToFileURL(join(ROOT, "packages", "core", "dist", path)).href);

// tsyringe's decorators need the Reflect polyfill before the engine loads (wl's entry imports it too).
createRequire(join(ROOT, "packages", "core", "package.json"))("reflect-metadata");

export const { SyncEngine } = await dist("engine/sync-engine.js");
export const { StreamTransferer, copyOne } = await dist("engine/stream-transferer.js");
export const { ContinuousRunner, startContinuous } = await dist("engine/continuous-runner.js");
export const { PathFilter } = await dist("engine/path-filter.js");
export const { StateStore } = await dist("state/state-store.js");
