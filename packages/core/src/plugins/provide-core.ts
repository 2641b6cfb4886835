import { existsSync, readFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { dirname, join } from "node:path";
import type { Logger } from "../contracts/logger.js";
import type { PluginPackage } from "./find-packages.js";

const CORE = "@wlsync/core";
let registered = false;

/** Whether the plugin declares @wlsync/core (peer or plain dependency) but cannot resolve it from its folder. */
export function lacksCore(pkg: PluginPackage): boolean {
  let manifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8"));
  } catch {
    return false;
  }
  if (!manifest.peerDependencies?.[CORE] && !manifest.dependencies?.[CORE]) return false;
  // ESM resolution: node_modules folders from the package upwards (NODE_PATH does not count,
  // although require.resolve would honour it; pnpm sets it for scripts).
  for (let dir = pkg.dir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", CORE, "package.json"))) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * A plugin installed without its peer @wlsync/core (yarn 1, `npm --legacy-peer-deps`, pnpm
 * without auto-installed peers, next to a globally installed wl) gets the host's core: before
 * such plugins are imported, a resolve hook is registered (once) that falls back to this core
 * when `@wlsync/core` cannot be found. Plugins that have their own copy keep it. Costs nothing
 * when every plugin can resolve core itself.
 */
export function provideCoreWhereMissing(packages: readonly PluginPackage[], logger: Logger): void {
  if (registered) return;
  const needing = packages.filter(lacksCore);
  if (needing.length === 0) return;
  if (typeof nodeModule.register !== "function") {
    logger.debug(`cannot provide ${CORE} to ${needing.map((p) => p.name).join(", ")}: node:module register() needs Node 20.6 or newer`);
    return;
  }
  nodeModule.register(new URL("./provide-core-hooks.js", import.meta.url), { data: { hostURL: import.meta.url } });
  registered = true;
  logger.debug(`${CORE} is provided by wl itself to ${needing.map((p) => p.name).join(", ")} (not installed next to them)`);
}
