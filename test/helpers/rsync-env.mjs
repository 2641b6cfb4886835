// Runs the built `wl` in temporary folders, with the real rsync or a test double around it.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localConfig, ROOT, WL, wl as runWl, workspace as baseWorkspace } from "./wl.mjs";

export { ROOT, WL };

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
  const ws = baseWorkspace("wl-rsync-");
  localConfig(ws.dir);
  const bin = join(ws.dir, ".bin");
  mkdirSync(bin);
  return { ...ws, bin, read: (rel) => readFileSync(join(ws.dir, rel)), text: ws.read };
}

/** Runs `wl ...args` in `cwd`: { code, stdout, stderr, json } (json when stdout parses). */
export async function wl(cwd, args, env = {}) {
  const result = await runWl(cwd, args, { env });
  let json;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = undefined;
  }
  return { ...result, json };
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
