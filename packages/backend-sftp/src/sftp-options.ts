import { createRequire } from "node:module";
import { homedir, userInfo } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { ConfigError, type StorageParams } from "@wlsync/core";
import AjvModule from "ajv";
import type { SftpStorageOptions } from "./sftp-options.generated.js";

/** Seconds between listings of the polling watcher when `watcher-interval` is not set. */
export const DEFAULT_WATCHER_INTERVAL_S = 30;
export const DEFAULT_CONNECT_TIMEOUT_S = 20;

/** The JSON Schema of a `type: sftp` storage (schemas/sftp-options.schema.json). */
export const SFTP_OPTIONS_SCHEMA: Record<string, unknown> = createRequire(import.meta.url)("../schemas/sftp-options.schema.json");

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

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params: Record<string, unknown> }> | null };
let validate: Validate | undefined;

function expandHome(path: string, configDir: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(configDir, path);
}

/** Reads and checks a storage's options against the schema; ConfigError (exit 3) names every problem. */
export function readSftpOptions(params: StorageParams, configDir: string): SftpOptions {
  const id = params["backend-id"];
  if (!validate) {
    const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
    validate = new (Ajv as unknown as new (o: object) => { compile(s: object): Validate })({ allErrors: true, strict: false }).compile(SFTP_OPTIONS_SCHEMA);
  }
  if (!validate(params)) {
    const problems = (validate.errors ?? []).map((e) => {
      const at = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
      const missing = e.params.missingProperty;
      if (missing) return `"${String(missing)}" is required`;
      return `${at ? `"${at}" ` : ""}${e.message ?? "is not valid"}${e.params.allowedValues ? ` (${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")})` : ""}`;
    });
    throw new ConfigError(`storage ${id} (type sftp): ${problems.join("; ")}`);
  }
  const o = params as unknown as SftpStorageOptions;
  return {
    host: o.host,
    port: o.port ?? 22,
    user: o.user ?? userInfo().username,
    path: o.path,
    identityFile: o["identity-file"] ? expandHome(o["identity-file"], configDir) : undefined,
    knownHosts: expandHome(o["known-hosts"] ?? "~/.ssh/known_hosts", configDir),
    remoteShell: o["remote-shell"] ?? "auto",
    connectTimeoutMs: (o["connect-timeout"] ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000,
    watcherIntervalS: o["watcher-interval"] ?? DEFAULT_WATCHER_INTERVAL_S,
  };
}

/** `host` or `[host]:port`, as OpenSSH writes it in known_hosts. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}
