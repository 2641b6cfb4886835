import { existsSync, readFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { dirname, join } from "node:path";
import type { Logger } from "@wlsync/plugin-api";
import type { PluginPackage } from "./find-packages.js";

/** The host's packages a plugin may import: the plugin API, and core for plugins written before it existed. */
const PROVIDED = ["@wlsync/plugin-api", "@wlsync/core"];
let registered = false;

/** The host packages the plugin declares (peer or plain dependency) but cannot resolve from its folder. */
export function missingHostPackages(pkg: PluginPackage): string[] {
  return PROVIDED.filter((name) => lacks(pkg, name));
}

function lacks(pkg: PluginPackage, CORE: string): boolean {
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
 * A plugin installed without @wlsync/plugin-api (or, for older plugins, their peer @wlsync/core: yarn 1, `npm --legacy-peer-deps`, pnpm
 * without auto-installed peers, next to a globally installed wl) gets the host's core: before
 * such plugins are imported, a resolve hook is registered (once) that falls back to the host's
 * copy when the package cannot be found. Plugins that have their own copy keep it. Costs nothing
 * when every plugin can resolve core itself.
 */
export function provideCoreWhereMissing(packages: readonly PluginPackage[], logger: Logger): void {
  if (registered) return;
  const needing = packages.map((p) => ({ name: p.name, missing: missingHostPackages(p) })).filter((p) => p.missing.length > 0);
  if (needing.length === 0) return;
  const said = needing.map((p) => `${p.missing.join(" and ")} to ${p.name}`).join(", ");
  if (typeof nodeModule.register !== "function") {
    logger.debug(`cannot provide ${said}: node:module register() needs Node 20.6 or newer`);
    return;
  }
  nodeModule.register(new URL("../plugins/provide-core-hooks.js", import.meta.url), { data: { hostURL: import.meta.url } });
  registered = true;
  logger.debug(`wl provides its own ${said} (not installed next to them)`);
}
