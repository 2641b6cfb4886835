import { join, resolve } from "node:path";
import { stateDirOf } from "../config/state-dir.js";

/**
 * The daemon's base dir (its job store, and by default its log and socket): WLSYNC_DAEMON_DIR
 * (`wl daemon start --base-dir`) if set, else the default state dir (WLSYNC_STATE_DIR or
 * ~/.local/state/wlsync).
 */
export function daemonBaseDir(): string {
  if (process.env.WLSYNC_DAEMON_DIR) return resolve(process.env.WLSYNC_DAEMON_DIR);
  return stateDirOf(undefined);
}

/**
 * One daemon per user: WLSYNC_SOCKET (`--socket-path`) if set, else $XDG_RUNTIME_DIR/wlsync.sock,
 * else wlsync.sock in the daemon's base dir.
 */
export function socketPath(): string {
  if (process.env.WLSYNC_SOCKET) return resolve(process.env.WLSYNC_SOCKET);
  if (process.env.XDG_RUNTIME_DIR) return join(process.env.XDG_RUNTIME_DIR, "wlsync.sock");
  return join(daemonBaseDir(), "wlsync.sock");
}

/** The daemon's log file: WLSYNC_DAEMON_LOG (`--log-path`) if set, else daemon.log in its base dir. */
export function daemonLogPath(): string {
  if (process.env.WLSYNC_DAEMON_LOG) return resolve(process.env.WLSYNC_DAEMON_LOG);
  return join(daemonBaseDir(), "daemon.log");
}

/** Messages longer than this (bytes, one line) are refused and the connection closed. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
