// Runs the built `wl` in temporary folders, with the real rsync or a test double around it.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WL = join(ROOT, "packages", "core", "bin", "wl.js");

/** The real rsync on PATH; the rsync tests need it and fail (never skip) without it. */
export function realRsync() {
  try {
    return execFileSync("sh", ["-c", "command -v rsync"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("rsync is not installed: the syncer-rsync tests need it (apt-get install rsync)");
  }
}

/** A temp folder holding `.wlsyncrc` with container `box` = storages a (local ./a) and b (local ./b). */
export function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "wl-rsync-"));
  mkdirSync(join(dir, "a"));
  mkdirSync(join(dir, "b"));
  writeFileSync(
    join(dir, ".wlsyncrc"),
    JSON.stringify({ containers: { box: { storages: [{ "backend-id": "a", type: "local", path: "./a" }, { "backend-id": "b", type: "local", path: "./b" }] } } }),
  );
  const bin = join(dir, ".bin");
  mkdirSync(bin);
  return {
    dir,
    bin,
    path: (...parts) => join(dir, ...parts),
    write(rel, content) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    read: (rel) => readFileSync(join(dir, rel)),
    text: (rel) => readFileSync(join(dir, rel), "utf8"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `wl ...args` in `cwd`: { code, stdout, stderr, json } (json when stdout parses). */
export function wl(cwd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WL, ...args], {
      cwd,
      env: { ...process.env, WLSYNC_STATE_DIR: join(cwd, ".state"), WLSYNC_DEBUG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

/** A PATH holding only `node`: no rsync on it. */
export function pathWithoutRsync(ws) {
  const bin = join(ws.dir, ".bin-bare");
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, "node"));
  return bin;
}

/**
 * Puts an `rsync` test double first on PATH: it logs every call to `.bin/calls`, runs the shell
 * snippet `before` ahead of a transfer (a call with --files-from) and `after` once the real
 * rsync finished, and passes everything else (stdin included) to the real program.
 */
export function rsyncDouble(ws, { before = "", after = "", version } = {}) {
  const real = realRsync();
  const script = version
    ? `#!/bin/sh\necho "rsync  version ${version}  protocol version 30"\n`
    : `#!/bin/sh
echo "$*" >> "${ws.bin}/calls"
transfer=no
for arg in "$@"; do [ "$arg" = "--files-from=-" ] && transfer=yes; done
[ $transfer = yes ] && ( cd "${ws.dir}" && ${before || ":"} ) </dev/null
"${real}" "$@"
rc=$?
[ $transfer = yes ] && ( cd "${ws.dir}" && ${after || ":"} ) </dev/null
exit $rc
`;
  writeFileSync(join(ws.bin, "rsync"), script);
  chmodSync(join(ws.bin, "rsync"), 0o755);
  return { PATH: `${ws.bin}:${process.env.PATH}` };
}

export function rsyncCalls(ws) {
  try {
    return readFileSync(join(ws.bin, "calls"), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}
