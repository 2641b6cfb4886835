import { join } from "node:path";
import { stateDirOf } from "../config/read-config.js";

/**
 * One daemon per user: WLSYNC_SOCKET if set, else $XDG_RUNTIME_DIR/wlsync.sock, else
 * wlsync.sock in the default state dir (WLSYNC_STATE_DIR or ~/.local/state/wlsync).
 */
export function socketPath(): string {
  if (process.env.WLSYNC_SOCKET) return process.env.WLSYNC_SOCKET;
  if (process.env.XDG_RUNTIME_DIR) return join(process.env.XDG_RUNTIME_DIR, "wlsync.sock");
  return join(stateDirOf(undefined), "wlsync.sock");
}

/** The daemon's log file, in the default state dir. */
export function daemonLogPath(): string {
  return join(stateDirOf(undefined), "daemon.log");
}

/** Messages longer than this (bytes, one line) are refused and the connection closed. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
