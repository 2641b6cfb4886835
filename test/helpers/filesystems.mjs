// Real file systems for tests: loop-mounted images made in a temporary folder (whole-second ext4,
// vfat, exFAT through FUSE) and small tmpfs mounts. Needs root and /dev/loop-control (CI runs as
// root; `.ci/run` installs exfatprogs, exfat-fuse and dosfstools). A file system that cannot be
// made here is reported by `mountFs` as a reason string: the test then prints `[not run] ...`
// and does not count the case as passed.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What each kind is, for messages and reports. */
export const FS_KINDS = {
  ext4s: "ext4 with whole-second timestamps (mkfs.ext4 -I 128)",
  vfat: "vfat (dosfstools, the kernel's vfat driver)",
  exfat: "exFAT through FUSE (exfatprogs, exfat-fuse)",
  tmpfs: "tmpfs",
};

const live = new Set();

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) throw new Error(`${cmd}: ${r.error.code === "ENOENT" ? "not installed" : r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${(r.stderr || r.stdout).trim().split("\n")[0] || `exit ${r.status}`}`);
  return r.stdout.trim();
}

function kernelHas(type) {
  try {
    return readFileSync("/proc/filesystems", "utf8").split("\n").some((l) => l.split("\t")[1] === type);
  } catch {
    return false;
  }
}

function isMountPoint(dir) {
  return spawnSync("mountpoint", ["-q", dir]).status === 0;
}

/**
 * Mounts a fresh file system of `kind` (a key of FS_KINDS) on the existing empty folder `dir`.
 * Returns `{ kind, dir, unmount() }`, or a string saying why it could not be made here.
 * `sizeMb`: image or tmpfs size (default 32).
 */
export function mountFs(kind, dir, { sizeMb = 32 } = {}) {
  if (process.env.WLSYNC_TEST_NO_MOUNT === "1") return "mounting disabled by WLSYNC_TEST_NO_MOUNT=1";
  if (!FS_KINDS[kind]) throw new Error(`unknown file system kind ${kind}`);
  let images;
  let loop;
  let fuse = false;
  try {
    if (kind === "tmpfs") {
      run("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir]);
    } else {
      images = mkdtempSync(join(tmpdir(), `wl-fsimg-${kind}-`));
      const image = join(images, `${kind}.img`);
      writeFileSync(image, "");
      execFileSync("truncate", ["-s", `${sizeMb}M`, image]);
      if (kind === "ext4s") run("mkfs.ext4", ["-q", "-F", "-I", "128", image]);
      if (kind === "vfat") run("mkfs.vfat", [image]);
      if (kind === "exfat") run("mkfs.exfat", [image]);
      loop = run("losetup", ["--find", "--show", image]);
      if (kind === "exfat") {
        // exfat-fuse wants a block device: the loop device, not the image file.
        run("mount.exfat-fuse", [loop, dir]);
        fuse = true;
      } else {
        // (fusefat, Debian's FUSE driver for kernels without vfat, refuses appends with EPERM: not a stand-in.)
        if (kind === "vfat" && !kernelHas("vfat")) throw new Error("this kernel has no vfat driver (/proc/filesystems)");
        run("mount", [loop, dir]);
      }
      // ext4's lost+found would be synced like any folder: the storage root is the mount's root.
      if (kind === "ext4s") rmdirSync(join(dir, "lost+found"));
    }
  } catch (err) {
    cleanup({ dir, loop, images, fuse, mounted: isMountPoint(dir) });
    return `${FS_KINDS[kind]} cannot be mounted here: ${err.message}`;
  }
  const handle = { dir, loop, images, fuse, mounted: true };
  live.add(handle);
  return {
    kind,
    dir,
    unmount() {
      live.delete(handle);
      cleanup(handle);
    },
  };
}

function cleanup(h) {
  if (h.mounted || isMountPoint(h.dir)) {
    // A wl that is still exiting can hold the mount busy for a moment.
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      ok = spawnSync(h.fuse ? "fusermount" : "umount", h.fuse ? ["-u", h.dir] : [h.dir], { stdio: "ignore" }).status === 0;
      if (!ok && !isMountPoint(h.dir)) ok = true;
      if (!ok) spawnSync("sleep", ["0.1"]);
    }
    if (!ok) spawnSync("umount", ["-l", h.dir], { stdio: "ignore" });
    h.mounted = false;
  }
  if (h.loop) spawnSync("losetup", ["-d", h.loop], { stdio: "ignore" });
  if (h.images) rmSync(h.images, { recursive: true, force: true });
}

/**
 * Runs `fn(mount)` with `kind` mounted on `dir`, unmounting (and detaching its loop device) in
 * `finally`. When the file system cannot be made, prints `[not run] <what>: <why>` and returns
 * false without calling `fn`; else returns true.
 */
export async function withFs(kind, dir, what, fn, options) {
  const mount = mountFs(kind, dir, options);
  if (typeof mount === "string") {
    console.log(`[not run] ${what}: ${mount}`);
    return false;
  }
  try {
    await fn(mount);
  } finally {
    mount.unmount();
  }
  return true;
}

/** Empties a mounted folder (between cases that reuse one mount). */
export function emptyDir(dir) {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}

// A test process that dies between mount and unmount still leaves nothing mounted.
process.on("exit", () => {
  for (const h of live) cleanup(h);
});
