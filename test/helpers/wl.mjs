// Runs the built `wl` executable as a user would, in temporary folders.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, lstatSync, readlinkSync, statSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WL = join(ROOT, "packages", "core", "bin", "wl.js");

/** A fresh folder with a state dir; removed by `cleanup()`. */
export function workspace(prefix = "wl-test-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const state = join(dir, ".state");
  return {
    dir,
    state,
    path: (...parts) => join(dir, ...parts),
    write(rel, content) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    read: (rel) => readFileSync(join(dir, rel), "utf8"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs `wl ...args` in `cwd`; resolves with { code, stdout, stderr } (never rejects on exit code).
 * `bin` runs another installed copy of wl (a global install's `bin/wl`) instead of this repository's.
 */
export function wl(cwd, args, { env = {}, state, input, bin = WL } = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, WLSYNC_STATE_DIR: state ?? join(cwd, ".state"), WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(input ?? "");
  return collect(child);
}

/** Resolves with a spawned child's { code, stdout, stderr } once it has exited and closed its pipes. */
export function collect(child) {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Every entry below `root` (excluding `skip` names at top level, and the tool's own `.wlsync/`
 * folder of versions unless `tool: true`): path → { kind, bytes | target }.
 */
export function snapshot(root, { skip = [], tool = false } = {}) {
  const out = new Map();
  const walk = (rel) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      if (rel === "" && (skip.includes(name) || (!tool && name === ".wlsync"))) continue;
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(root, path));
      if (st.isDirectory()) {
        out.set(path, { kind: "dir" });
        walk(path);
      } else if (st.isSymbolicLink()) out.set(path, { kind: "symlink", target: readlinkSync(join(root, path)) });
      else if (st.isFile()) out.set(path, { kind: "file", bytes: readFileSync(join(root, path)) });
      else out.set(path, { kind: "special" });
    }
  };
  walk("");
  return out;
}

/** Throws with the first difference unless both trees hold the same entries, byte for byte. */
export function assertSameTree(a, b, message = "trees differ") {
  const x = snapshot(a);
  const y = snapshot(b);
  const paths = new Set([...x.keys(), ...y.keys()]);
  for (const p of [...paths].sort()) {
    const l = x.get(p);
    const r = y.get(p);
    if (!l || !r) throw new Error(`${message}: ${p} only in ${l ? a : b}`);
    if (l.kind !== r.kind) throw new Error(`${message}: ${p} is a ${l.kind} in ${a}, a ${r.kind} in ${b}`);
    if (l.kind === "file" && !l.bytes.equals(r.bytes)) throw new Error(`${message}: ${p} content differs`);
    if (l.kind === "symlink" && l.target !== r.target) throw new Error(`${message}: ${p} link target differs`);
  }
}

/**
 * A `.wlsyncrc` (JSON) with one container of storages named a, b, ... over folders of the same
 * names under `dir`: local ones, unless `storage(id, folder)` returns another entry for a name
 * (an sftp storage of that folder, say).
 */
export function localConfig(dir, { name = "box", storages = ["a", "b"], extra = {}, container = {}, storage } = {}) {
  const entry = (id) => ({ "backend-id": id, ...(storage?.(id, join(dir, id)) ?? { type: "local", path: `./${id}` }) });
  const config = {
    ...extra,
    containers: {
      [name]: { ...container, storages: storages.map(entry) },
    },
  };
  for (const id of storages) mkdirSync(join(dir, id), { recursive: true });
  writeFileSync(join(dir, ".wlsyncrc"), JSON.stringify(config, null, 2));
  return config;
}

/** Incompressible bytes for large-file tests. */
export function bytes(size) {
  return randomBytes(size);
}

/** Polls `check` (sync or async) until it returns truthy; throws with `what` after `timeoutMs`. */
export async function waitFor(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

export const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `wl container sync --one-shot --bwlimit BWLIMIT box` in `ws` (its own process group,
 * `env`), waits until the partial file of the copy into folder `b` (a `.wlsync-tmp-*` name)
 * holds at least `atLeast` bytes, then sends `signal` to the group. Returns the partial file's
 * name and size when it was seen, and the pass's output ({ code, stdout, stderr }). Throws when
 * the partial file does not grow within 30 s, or when b/big.bin exists (the pass ended first).
 */
export async function interruptCopy(ws, { env, bwlimit, atLeast, signal }) {
  const parts = () => readdirSync(ws.path("b")).filter((n) => n.startsWith(".wlsync-tmp-"));
  const child = spawn(process.execPath, [WL, "container", "sync", "--one-shot", "--bwlimit", bwlimit, "box"], { cwd: ws.dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const done = collect(child);
  let seen;
  try {
    seen = await waitFor(
      () => {
        const name = parts()[0];
        const size = name ? statSync(ws.path("b", name), { throwIfNoEntry: false })?.size : undefined;
        return size !== undefined && size >= atLeast ? { name, size } : undefined;
      },
      "the partial file to grow",
      30_000,
    );
  } finally {
    process.kill(-child.pid, signal);
  }
  const run = await done;
  if (existsSync(ws.path("b", "big.bin"))) throw new Error(`the pass ended before the ${signal}:\n${run.stdout}\n${run.stderr}`);
  return { ...seen, run };
}
