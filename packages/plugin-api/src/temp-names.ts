import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

/** Names the tool writes while transferring: never synced, never reported. */
export const TEMP_PREFIX = ".wlsync-tmp-";

/** Whether the last segment of a relative path is one of the tool's temporary names. */
export function isTempName(path: string): boolean {
  const slash = path.lastIndexOf("/");
  return path.startsWith(TEMP_PREFIX, slash + 1);
}

/**
 * wl's own folder at a storage root (`.wlsync/`): the storage-id marker, kept versions. It is
 * never synced, never listed by scans or watchers, and never taken for a deletion.
 */
export const OWN_DIR = ".wlsync";

/** Whether a relative path is wl's own: a temporary name anywhere, or `.wlsync` at the root and anything below it. */
export function isOwnPath(path: string): boolean {
  return path === OWN_DIR || path.startsWith(`${OWN_DIR}/`) || isTempName(path);
}

/** Temp files of another host, or of an unknown writer, are left alone this long (ms). */
export const FOREIGN_TEMP_MAX_AGE_MS = 24 * 3600_000;

function readOr(read: () => string, fallback: string): string {
  try {
    return read().trim();
  } catch {
    return fallback;
  }
}

/**
 * Who can judge a writer's pid: the same host (hostname), the same boot (the kernel's boot id:
 * a pid of an earlier boot means nothing now), and the same pid namespace (containers sharing a
 * folder, or `unshare --pid`, number their processes independently). Eight hex digits of the
 * sha256 of the three; two processes with the same value see the same pids.
 */
export function hostIdentity(): string {
  HOST ??= createHash("sha256")
    .update(
      [
        hostname(),
        readOr(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"), "no-boot-id"),
        readOr(() => readlinkSync("/proc/self/ns/pid"), "no-pid-namespace"),
      ].join("\u0000"),
    )
    .digest("hex")
    .slice(0, 8);
  return HOST;
}

let HOST: string | undefined;

/**
 * Whether the writer named by a temporary or work name (its host identity and pid) is known to
 * be gone: only a writer of this host identity can be judged, by its pid. Another host's (or
 * container's) writer is never judged by pid: `undefined` (unknown).
 */
export function writerGone(host: string, pid: number): boolean | undefined {
  if (host !== hostIdentity()) return undefined;
  return !isProcessAlive(pid);
}

/**
 * A temporary name in the same folder as the file being written, naming its writer:
 * `.wlsync-tmp-<host identity>-<pid>-<random>`, so a later pass can tell a leftover from a live write.
 */
export function tempFileName(): string {
  // Random per process, counted per file: a CSPRNG call per file is measurable on large trees (bench/README.md).
  RUN ??= randomBytes(4).toString("hex");
  return `${TEMP_PREFIX}${hostIdentity()}-${process.pid}-${RUN}${(++counter).toString(16)}`;
}

let RUN: string | undefined;
let counter = 0;

/**
 * The end of a temporary name whose content a later pass may resume (a large copy that was
 * interrupted): `.wlsync-tmp-<host identity>-<pid>-<random>.part`. Such a file outlives its
 * writer on purpose; see isStaleTempFile.
 */
export const PARTIAL_SUFFIX = ".part";

/** A temporary name for a resumable copy (see PARTIAL_SUFFIX). */
export function partialFileName(): string {
  return `${tempFileName()}${PARTIAL_SUFFIX}`;
}

/** Whether a file name (no folder) is one partialFileName() could have made. */
export function isPartialName(name: string): boolean {
  return /^\.wlsync-tmp-[0-9a-f]{8}-\d+-[0-9a-f]+\.part$/.test(name);
}

/**
 * Whether a temporary file was left behind by a writer that is gone (a killed or crashed pass)
 * and may be removed: it was last modified before `before` (the start of the pass looking at
 * it) and its writer, a process of this host identity (see hostIdentity), no longer runs.
 * Temporary files of other hosts or containers (a shared folder) or without a readable writer,
 * and the parts of interrupted large copies (PARTIAL_SUFFIX), are removed only after a day.
 * So is one whose writer seems to run but that nothing has written to for a day: its pid was
 * handed to another process since (a live pass writes its files, or finishes them, within a day).
 */
export function isStaleTempFile(name: string, mtimeMs: number, before: number): boolean {
  if (!name.startsWith(TEMP_PREFIX) || mtimeMs >= before) return false;
  const dayOld = before - mtimeMs > FOREIGN_TEMP_MAX_AGE_MS;
  // The part of an interrupted large copy waits a day (since its last write) for a pass to
  // resume it; a pass that resumes or restarts that copy removes it itself.
  if (name.endsWith(PARTIAL_SUFFIX)) return dayOld;
  // `-probe-…`: the file-system probe's names (a pass killed while it probed).
  const match = /^([0-9a-f]{8})-(\d+)-[0-9a-f]+(?:-probe-.*)?$/.exec(name.slice(TEMP_PREFIX.length));
  return (match ? writerGone(match[1]!, Number(match[2])) === true : false) || dayOld;
}

/**
 * Whether the process with this pid still runs (EPERM from kill(pid, 0): it does, owned by
 * someone else). A zombie, a process that has exited but was not reaped, does not run: where
 * /proc is mounted its state (the field after the command name in /proc/PID/stat) is read, so
 * that a pass killed together with its parent, whose orphan the container's init never reaps
 * (a Docker container without `--init`, a microVM's agent), leaves nothing locked.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  const fields = procStat(pid);
  if (!fields) return !existsSync("/proc/self/stat"); // reaped meanwhile: gone; no /proc (macOS): kill() said it runs
  return fields[0] !== "Z" && fields[0] !== "X";
}

/** The fields of /proc/PID/stat after the command name (the first is the state); undefined without it. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * Who a process is, beyond its pid (which the kernel hands out again once it is free, and anew
 * after a reboot): the boot it runs in and its start time (clock ticks since boot, field 22 of
 * /proc/PID/stat). Empty strings where /proc does not tell (not Linux).
 */
export function processStamp(pid: number): { boot: string; start: string } {
  return { boot: readOr(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"), ""), start: procStat(pid)?.[19] ?? "" };
}

/**
 * Whether the process a lock or a work file names still runs: its pid runs (isProcessAlive),
 * in the same boot, and was started when the stamp says (else the pid was given to another
 * process since). A stamp's empty fields are not compared (written by an older wl, or where
 * /proc does not tell).
 */
export function isStampedProcessAlive(pid: number, stamp: { boot?: string; start?: string }): boolean {
  const now = processStamp(pid);
  if (stamp.boot && now.boot && stamp.boot !== now.boot) return false;
  if (!isProcessAlive(pid)) return false;
  return !(stamp.start && now.start && stamp.start !== now.start);
}
