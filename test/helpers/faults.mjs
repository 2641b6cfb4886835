// Fault injection helpers: wl processes that get killed, trees whose every file is checked to be
// one of the versions the test wrote, the state store opened and checked after a crash.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { collect, WL } from "./wl.mjs";

export const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

/** The environment wl() in helpers/wl.mjs gives the binary. */
export function wlEnv(cwd, { env = {}, state } = {}) {
  return { ...process.env, WLSYNC_STATE_DIR: state ?? join(cwd, ".state"), WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "", ...env };
}

/**
 * Starts `wl ...args` and returns { child, done } where `done` resolves with { code, signal,
 * stdout, stderr } once it exits (by itself or killed).
 */
export function startWl(cwd, args, options = {}) {
  const child = spawn(process.execPath, [WL, ...args], { cwd, env: wlEnv(cwd, options), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Every file below `root`: relative path → Buffer; temp files listed apart; folders in `dirs`. */
export function readTree(root) {
  const files = new Map();
  const temps = [];
  const dirs = new Set();
  /** wl's versions store (.wlsync/versions/): each kept version's original path → its bytes. */
  const versions = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (path === ".wlsync") continue; // wl's own folder (the storage's identity marker)
      const st = lstatSync(join(root, path));
      if (name.startsWith(".wlsync-tmp-")) temps.push(path);
      else if (path === ".wlsync") readVersions(join(root, ".wlsync", "versions"), "", versions);
      else if (st.isDirectory()) {
        dirs.add(path);
        walk(path);
      } else if (st.isFile()) files.set(path, readFileSync(join(root, path)));
    }
  };
  if (existsSync(root)) walk("");
  return { files, temps, dirs, versions };
}

function readVersions(dir, rel, out) {
  if (!existsSync(join(dir, rel))) return;
  for (const name of readdirSync(join(dir, rel))) {
    const path = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, path));
    if (st.isDirectory()) readVersions(dir, path, out);
    else if (st.isFile()) out.push({ path: path.replace(/~\d{8}T\d{6}\.\d{3}Z(-\d+)?$/, ""), name: path, bytes: readFileSync(join(dir, path)) });
  }
}

/** better-sqlite3 through core's own dependency (the test package does not depend on it). */
export function openDatabase(file, options) {
  const coreRequire = createRequire(createRequire(import.meta.url).resolve("@wlsync/core/package.json"));
  const Database = coreRequire("better-sqlite3");
  return new Database(file, options);
}

/** Opens the state store as a fresh process would and runs SQLite's integrity check. */
export function checkStateStore(stateDir) {
  const db = openDatabase(join(stateDir, "state.db"));
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    const synced = db.prepare("SELECT path, kind, size, hash FROM synced").all();
    return { integrity, synced };
  } finally {
    db.close();
  }
}

export const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const NOBODY = 65534;

/**
 * How to run a command as another user (uid 65534), so that permission bits apply (CI runs as
 * root, which ignores them): `setpriv`, else `su`; null when this process is not root (then
 * permissions already apply to it) — see `asOtherUser`.
 */
export function dropPrivilegesCommand() {
  if (process.getuid?.() !== 0) return null;
  const works = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
  if (works("setpriv", ["--reuid", String(NOBODY), "--regid", String(NOBODY), "--clear-groups", "true"])) {
    return (argv) => ["setpriv", ["--reuid", String(NOBODY), "--regid", String(NOBODY), "--clear-groups", ...argv]];
  }
  if (works("su", ["nobody", "-s", "/bin/sh", "-c", "true"])) {
    return (argv) => ["su", ["nobody", "-s", "/bin/sh", "-c", argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")]];
  }
  throw new Error("running as root, and neither setpriv nor su can switch to uid 65534: permission tests cannot run here");
}

/** Gives `dir` (recursively) to the user wl will run as. */
export function handOver(dir) {
  if (process.getuid?.() === 0) spawnSync("chown", ["-R", `${NOBODY}:${NOBODY}`, dir]);
}

/** Runs `wl ...args` as uid 65534 when root (see dropPrivilegesCommand), else as this user. */
export function wlAsOtherUser(cwd, args, options = {}) {
  const drop = dropPrivilegesCommand();
  const env = { ...wlEnv(cwd, options), HOME: cwd };
  const [cmd, argv] = drop ? drop(["env", ...Object.entries(env).filter(([k]) => /^(WLSYNC_|XDG_|HOME$|PATH$)/.test(k)).map(([k, v]) => `${k}=${v}`), process.execPath, WL, ...args]) : [process.execPath, [WL, ...args]];
  return collect(spawn(cmd, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] }));
}

/** Mounts a tmpfs of `size` at `dir`; false where this machine does not allow it (or WLSYNC_TEST_NO_MOUNT=1, to exercise fallbacks). */
export function mountTmpfs(dir, size) {
  if (process.env.WLSYNC_TEST_NO_MOUNT === "1") return false;
  return spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" }).status === 0;
}
