import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { LoadedConfig } from "./read-config.js";

// Path helpers of the config, apart from read-config.ts so that commands that only need the
// state dir or the daemon's socket (wl status, wl daemon ...) do not load cosmiconfig.

export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}

export function resolveFrom(dir: string, path: string): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : resolve(dir, expanded);
}

export function stateDirOf(loaded: LoadedConfig | undefined): string {
  if (process.env.WLSYNC_STATE_DIR) return resolve(expandHome(process.env.WLSYNC_STATE_DIR));
  const configured = loaded?.config["state-dir"];
  if (configured) return resolveFrom(loaded.dir, configured);
  const xdg = process.env.XDG_STATE_HOME;
  return xdg ? join(xdg, "wlsync") : join(homedir(), ".local", "state", "wlsync");
}
