import { homedir, userInfo } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { COMMON_STORAGE_KEYS, ConfigError, type StorageParams } from "@wlsync/plugin-api";
import type { SftpStorageOptions } from "./storage-options.generated.js";
import { validateOptions } from "./storage-options.validate.generated.js";

/** Seconds between listings of the polling watcher when `watcher-interval` is not set. */
export const DEFAULT_WATCHER_INTERVAL_S = 30;
export const DEFAULT_CONNECT_TIMEOUT_S = 20;

/** A storage's SSH settings, resolved: paths absolute, defaults filled in. */
export interface SftpOptions {
  host: string;
  port: number;
  user: string;
  /** The folder on the server as written in the config (absolute, or relative to the home folder). */
  path: string;
  /** Absolute path of the private key, or undefined (agent, then the default keys). */
  identityFile?: string;
  /** Absolute path of the known_hosts file. */
  knownHosts: string;
  remoteShell: "auto" | boolean;
  connectTimeoutMs: number;
  watcherIntervalS: number;
}

function expandHome(path: string, configDir: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(configDir, path);
}

/**
 * The storage's options, normalised. wl has checked the entry against the backend's schema
 * (schemas/storage-options.schema.json); the check is repeated here for programs that build the
 * backend themselves. ConfigError (exit 3) names every problem.
 */
export function readSftpOptions(params: StorageParams, configDir: string): SftpOptions {
  const id = params["backend-id"];
  const own = Object.fromEntries(Object.entries(params).filter(([k]) => !COMMON_STORAGE_KEYS.includes(k)));
  if (!validateOptions(own)) {
    const problems = (validateOptions.errors ?? []).map((e) => {
      const p = e as { instancePath?: string; message?: string; params?: Record<string, unknown> };
      const at = (p.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".");
      if (p.params?.missingProperty) return `"${String(p.params.missingProperty)}" is required`;
      if (p.params?.additionalProperty) return `unknown option "${String(p.params.additionalProperty)}"`;
      return `${at ? `"${at}" ` : ""}${p.message ?? "is not valid"}`;
    });
    throw new ConfigError(`storage ${id} (type sftp): ${problems.join("; ")}`);
  }
  const interval = params["watcher-interval"];
  if (interval !== undefined && (typeof interval !== "number" || !(interval > 0))) throw new ConfigError(`storage ${id} (type sftp): "watcher-interval" must be a positive number of seconds`);
  const o = own as unknown as SftpStorageOptions;
  return {
    host: o.host,
    port: o.port ?? 22,
    user: o.user ?? userInfo().username,
    path: o.path,
    identityFile: o["identity-file"] ? expandHome(o["identity-file"], configDir) : undefined,
    knownHosts: expandHome(o["known-hosts"] ?? "~/.ssh/known_hosts", configDir),
    remoteShell: o["remote-shell"] ?? "auto",
    connectTimeoutMs: (o["connect-timeout"] ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000,
    watcherIntervalS: (interval as number | undefined) ?? DEFAULT_WATCHER_INTERVAL_S,
  };
}

/** `host` or `[host]:port`, as OpenSSH writes it in known_hosts. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}
