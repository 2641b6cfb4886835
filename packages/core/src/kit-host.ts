// @wlsync/core/kit-host: the host services the conformance kit (@wlsync/plugin-api/testing) runs
// plugins on. Not for plugins themselves: they get these through SyncerContext.
import "reflect-metadata";
import type { KitHost, KitStateStore } from "@wlsync/plugin-api/testing";
import { startContinuous } from "./engine/continuous-runner.js";
import { PathFilter } from "./engine/path-filter.js";
import { SyncEngine } from "./engine/sync-engine.js";
import { syncerShapeProblem } from "./plugins/load-plugin.js";
import { StateStore } from "./state/state-store.js";

export const kitHost: KitHost = {
  openStateStore: (dir) => new StateStore(dir),
  engine: (store: KitStateStore, logger) => new SyncEngine(store as StateStore, logger),
  continuous: startContinuous,
  pathFilter: (patterns) => new PathFilter(patterns),
  syncerShapeProblem,
};
