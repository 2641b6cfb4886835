import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where systemd looks for the user's own units: $XDG_CONFIG_HOME/systemd/user (default ~/.config). */
export function unitPath(): string {
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(config, "systemd", "user", "wlsync.service");
}

/** systemd quotes: a word with spaces or quotes in double quotes, with `\` and `"` escaped. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/[\\"]/g, "\\$&")}"`;
}

/**
 * The unit: `wl daemon run` in the foreground under this Node, restarted if it fails; the
 * daemon's places (WLSYNC_STATE_DIR, WLSYNC_DAEMON_DIR, WLSYNC_DAEMON_LOG, WLSYNC_SOCKET) as
 * set now are kept, so `wl` finds the daemon the unit starts.
 */
export function unitText(wlScript: string, env: NodeJS.ProcessEnv = process.env): string {
  const lines = [
    "[Unit]",
    "Description=wlsync: continuous folder sync (wl daemon)",
    "Documentation=https://github.com/wildland/wlsync#readme",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[process.execPath, wlScript, "daemon", "run"].map(quote).join(" ")}`,
    "Restart=on-failure",
    "RestartSec=5",
  ];
  for (const name of ["WLSYNC_STATE_DIR", "WLSYNC_DAEMON_DIR", "WLSYNC_DAEMON_LOG", "WLSYNC_SOCKET"]) {
    if (env[name]) lines.push(`Environment=${quote(`${name}=${env[name]}`)}`);
  }
  lines.push("", "[Install]", "WantedBy=default.target", "");
  return lines.join("\n");
}

/** `systemctl --user ARGS`; WLSYNC_SYSTEMCTL names another program (tests). */
function systemctl(...args: string[]): { ok: boolean; message: string } {
  const r = spawnSync(process.env.WLSYNC_SYSTEMCTL || "systemctl", ["--user", ...args], { encoding: "utf8", timeout: 20_000 });
  if (r.error) return { ok: false, message: `systemctl is not available (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { ok: false, message: `systemctl --user ${args.join(" ")} failed: ${(r.stderr || r.stdout).trim().split("\n")[0]}` };
  return { ok: true, message: "" };
}

/** Writes the unit and enables it with `systemctl --user`; when that is unavailable, says so (the unit stays written). */
export function installUnit(wlScript: string): { unitPath: string; enabled: boolean; note: string } {
  const path = unitPath();
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, unitText(wlScript));
  const reload = systemctl("daemon-reload");
  if (!reload.ok) return { unitPath: path, enabled: false, note: reload.message };
  const enable = systemctl("enable", "--now", "wlsync.service");
  return { unitPath: path, enabled: enable.ok, note: enable.message };
}

/** Disables and removes the unit (disabling may fail where systemd is not running; the file is removed anyway). */
export function uninstallUnit(): { unitPath: string; removed: boolean; note: string } {
  const path = unitPath();
  const exists = existsSync(path);
  const disable = exists ? systemctl("disable", "--now", "wlsync.service") : { ok: true, message: "" };
  if (exists) rmSync(path);
  if (exists) systemctl("daemon-reload");
  return { unitPath: path, removed: exists, note: disable.ok ? "" : `${disable.message} (the unit file was removed)` };
}
