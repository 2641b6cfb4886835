import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";

/** `--info=progress2` and the other options used here need rsync 3.1.0 or newer. */
export const MIN_RSYNC_VERSION: readonly [number, number, number] = [3, 1, 0];

export const RSYNC_INSTALL_HINT = "install rsync 3.1 or newer (Debian/Ubuntu: apt-get install rsync; Fedora: dnf install rsync; macOS: brew install rsync)";

export interface RsyncProgram {
  command: string;
  version: string;
  protocol?: number;
}

/** Reads `rsync  version 3.2.7  protocol version 32` from `rsync --version`. */
export function parseRsyncVersion(text: string): { version: string; parts: number[]; protocol?: number } | null {
  const m = /rsync\s+version\s+v?(\d+)\.(\d+)\.(\d+)(\S*)(?:\s+protocol\s+version\s+(\d+))?/i.exec(text);
  if (!m) return null;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { version: `${parts.join(".")}${m[4] ?? ""}`, parts, protocol: m[5] ? Number(m[5]) : undefined };
}

function olderThan(parts: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

const probes = new Map<string, Promise<RsyncProgram | string>>();

/** The first executable file named `command` on PATH (or `command` itself when it holds a slash), as a real path. */
function findOnPath(command: string): string | null {
  const candidates = command.includes("/") ? [command] : (process.env.PATH ?? "").split(delimiter).filter((d) => isAbsolute(d)).map((d) => join(d, command));
  for (const candidate of candidates) {
    try {
      const st = statSync(candidate);
      if (st.isFile() && st.mode & 0o111) return realpathSync(candidate);
    } catch {
      // not there
    }
  }
  return null;
}

/** Where probe results are kept between runs: `$XDG_CACHE_HOME/wlsync/rsync-probe.json` (default ~/.cache). */
function cacheFile(): string {
  const base = process.env.XDG_CACHE_HOME && isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "wlsync", "rsync-probe.json");
}

/** What identifies one build of the program: its real path, inode, size, mtime and ctime (a reinstall changes them). */
function identityOf(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return `${path}\u0000${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

function readCache(): Record<string, RsyncProgram | string> {
  try {
    const value = JSON.parse(readFileSync(cacheFile(), "utf8")) as unknown;
    return value && typeof value === "object" ? (value as Record<string, RsyncProgram | string>) : {};
  } catch {
    return {};
  }
}

/** Best effort: a cache that cannot be written only costs the next run a probe. */
function writeCache(key: string, value: RsyncProgram | string): void {
  try {
    const file = cacheFile();
    mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
    const entries = Object.entries({ ...readCache(), [key]: value }).slice(-20);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(entries)), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // read-only home, full disk: probe again next time
  }
}

/**
 * The rsync program found on PATH, or the reason it cannot be used (missing, too old, not rsync
 * at all). `rsync --version` runs once per build of the program: its answer is cached (see
 * cacheFile), keyed by the program's real path and file identity, so that a pass starts no child
 * process just to choose its syncer.
 */
export function probeRsync(command = "rsync"): Promise<RsyncProgram | string> {
  let probe = probes.get(command);
  if (!probe) {
    probe = (async () => {
      const path = findOnPath(command);
      if (!path) return `the rsync program was not found on PATH; ${RSYNC_INSTALL_HINT}`;
      const key = identityOf(path);
      const cached = key ? readCache()[key] : undefined;
      if (cached !== undefined) return typeof cached === "string" ? cached : { ...cached, command };
      const found = await runVersion(command);
      if (key && found.cacheable) writeCache(key, found.result);
      return found.result;
    })();
    probes.set(command, probe);
  }
  return probe;
}

/** Runs `command --version` and judges its answer; `cacheable` is false for failures that may pass next time. */
async function runVersion(command: string): Promise<{ result: RsyncProgram | string; cacheable: boolean }> {
  // node's execFile, not execa: loading execa is a large share of a no-change pass (bench/README.md). Transfers use execa.
  const result = await new Promise<{ stdout: string; error: (Error & { code?: unknown }) | null }>((resolve) =>
    execFile(command, ["--version"], { timeout: 10_000, env: { ...process.env, LC_ALL: "C" } }, (error, stdout) => resolve({ stdout: `${stdout}`, error })),
  );
  if (result.error) {
    const code = result.error.code;
    if (code === "ENOENT") return { result: `the rsync program was not found on PATH; ${RSYNC_INSTALL_HINT}`, cacheable: false };
    if (code === "EACCES") return { result: `the rsync program on PATH cannot be run (permission denied); ${RSYNC_INSTALL_HINT}`, cacheable: false };
    return { result: `\`${command} --version\` failed (${result.error.message.split("\n")[0]}); ${RSYNC_INSTALL_HINT}`, cacheable: false };
  }
  const parsed = parseRsyncVersion(`${result.stdout}`);
  if (!parsed) return { result: `\`${command} --version\` did not report an rsync version (is it openrsync or another clone?); ${RSYNC_INSTALL_HINT}`, cacheable: true };
  if (olderThan(parsed.parts, MIN_RSYNC_VERSION)) {
    return { result: `rsync ${parsed.version} is too old (3.1.0 or newer is needed); ${RSYNC_INSTALL_HINT}`, cacheable: true };
  }
  return { result: { command, version: parsed.version, protocol: parsed.protocol }, cacheable: true };
}

/** What rsync's exit codes mean (rsync(1), EXIT VALUES). */
export const RSYNC_EXIT_CODES: Readonly<Record<number, string>> = {
  0: "success",
  1: "syntax or usage error",
  2: "protocol incompatibility",
  3: "errors selecting input/output files, dirs",
  4: "requested action not supported",
  5: "error starting client-server protocol",
  6: "daemon unable to append to log-file",
  10: "error in socket I/O",
  11: "error in file I/O",
  12: "error in rsync protocol data stream",
  13: "errors with program diagnostics",
  14: "error in IPC code",
  20: "received SIGUSR1 or SIGINT",
  21: "some error returned by waitpid()",
  22: "error allocating core memory buffers",
  23: "partial transfer due to error",
  24: "partial transfer due to vanished source files",
  25: "the --max-delete limit stopped deletions",
  30: "timeout in data send/receive",
  35: "timeout waiting for daemon connection",
  255: "the remote shell (ssh) failed: connection lost or refused, or the host key was not accepted",
};

/** Exit codes after which every item still has to be judged on its own (some went, some did not). */
export const PARTIAL_EXIT_CODES: ReadonlySet<number> = new Set([23, 24]);

export interface RsyncArgsOptions {
  sourceRoot: string;
  targetRoot: string;
  /** Folder (wl's own, in the work folder) where rsync writes each file before renaming it into place. */
  tempDir: string;
  /** Absolute folder receiving every destination file rsync replaces (see compare-and-swap in the README). */
  backupDir: string;
  /** rsync's delta algorithm (`--no-whole-file`) instead of whole-file copies. */
  delta: boolean;
  /** Let rsync create the parent folders of listed files (the staging folder starts empty). */
  impliedDirs?: boolean;
  /** Bandwidth limit in bytes per second (rsync's --bwlimit, which counts KiB/s); absent = none. */
  bwlimit?: number;
}

/**
 * The command line for one batch. The file names come on stdin, NUL-separated and relative to
 * the roots. Only regular files are listed: folders, links and deletions go through the backend.
 */
export function rsyncArgs(options: RsyncArgsOptions): string[] {
  return [
    "--files-from=-",
    "--from0",
    // Archive mode for regular files, as the other syncers keep them: content, mtime, mode.
    // No owner/group (-o/-g need root and the naive syncer does not keep them either), no -l/-D:
    // a listed path that became a link or a device since the plan is skipped, then reported.
    "--times",
    "--perms",
    // The plan decided these files differ; never skip one because size and mtime match.
    "--ignore-times",
    // Folders exist already (the engine's mkdir actions ran first); leave their attributes alone.
    ...(options.impliedDirs ? [] : ["--no-implied-dirs"]),
    options.delta ? "--no-whole-file" : "--whole-file",
    ...(options.bwlimit ? [`--bwlimit=${Math.max(1, Math.floor(options.bwlimit / 1024))}`] : []),
    // rsync writes each file in wl's own work folder and renames it into place (same file
    // system); no --partial, no --inplace: an interrupted transfer never leaves a partial file,
    // and whatever a killed rsync left is inside a folder wl created (never next to user files,
    // where its `.name.XXXXXX` could not be told from a user's file).
    `--temp-dir=${options.tempDir}`,
    // Every file rsync replaces is first linked into the backup folder, so a version written by
    // someone else after the re-check is never lost (it is put back and reported as a conflict).
    "--backup",
    `--backup-dir=${options.backupDir}`,
    "--info=progress2",
    "--",
    `${options.sourceRoot}/`,
    `${options.targetRoot}/`,
  ];
}

export interface RsyncRun {
  /** undefined when rsync could not be started or was killed by a signal. */
  exitCode?: number;
  signal?: string;
  /** Why rsync could not run at all (spawn failure). */
  spawnError?: string;
  /** stderr lines (the first 2000). */
  stderr: string[];
}

/**
 * The file names for `--files-from --from0`: each `./`-prefixed, so that no name is read as
 * something else (rsync takes lines starting with `#` or `;` for comments even with --from0).
 * The `./` is where rsync's implied --relative path starts: the destination name is unchanged.
 */
export function filesFromInput(paths: readonly string[]): Buffer {
  return Buffer.from(paths.map((p) => `./${p}\0`).join(""), "utf8");
}

let deathSignal: Promise<boolean> | undefined;

/**
 * Whether `setpriv --pdeathsig KILL` works here (util-linux): rsync then dies with wl, even when
 * wl is killed with SIGKILL; an orphaned rsync would go on replacing files nobody re-checks.
 */
export function canTieToParent(): Promise<boolean> {
  deathSignal ??= new Promise((resolve) =>
    execFile("setpriv", ["--pdeathsig", "KILL", "true"], { timeout: 10_000 }, (error) => resolve(!error)),
  );
  return deathSignal;
}

/** Runs rsync with the file list on stdin; reports the bytes moved so far from `--info=progress2`. */
export async function runRsync(command: string, args: string[], input: Buffer, onProgress?: (bytesSoFar: number) => void): Promise<RsyncRun> {
  const { execa } = await import("execa");
  const tied = await canTieToParent();
  const subprocess = execa(tied ? "setpriv" : command, tied ? ["--pdeathsig", "KILL", command, ...args] : args, {
    input,
    reject: false,
    buffer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { LC_ALL: "C" },
  });
  const stderr: string[] = [];
  let pendingErr = "";
  subprocess.stderr?.setEncoding("utf8");
  subprocess.stderr?.on("data", (chunk: string) => {
    pendingErr += chunk;
    const lines = pendingErr.split("\n");
    pendingErr = lines.pop() ?? "";
    for (const line of lines) if (line && stderr.length < 2000) stderr.push(line);
  });
  let pendingOut = "";
  subprocess.stdout?.setEncoding("utf8");
  subprocess.stdout?.on("data", (chunk: string) => {
    pendingOut = (pendingOut + chunk).slice(-4096);
    // progress2 lines: "  1,234,567  12%  1.23MB/s  0:00:01 (xfr#3, to-chk=7/10)", \r-separated.
    const matches = [...pendingOut.matchAll(/([\d,]+)\s+\d+%/g)];
    const last = matches[matches.length - 1];
    if (last && onProgress) onProgress(Number(last[1]!.replace(/,/g, "")));
    const cut = pendingOut.lastIndexOf("\r");
    if (cut >= 0) pendingOut = pendingOut.slice(cut + 1);
  });
  const result = await subprocess;
  if (pendingErr && stderr.length < 2000) stderr.push(pendingErr);
  const run: RsyncRun = { stderr };
  if (typeof result.exitCode === "number") run.exitCode = result.exitCode;
  else if (result.signal) run.signal = result.signal;
  else run.spawnError = (result.shortMessage ?? result.message ?? "could not start rsync").split("\n")[0];
  return run;
}

/** One line saying how a failed run ended. */
export function describeRun(run: RsyncRun): string {
  if (run.spawnError) return `rsync could not be started: ${run.spawnError}`;
  if (run.signal) return `rsync was killed by ${run.signal}`;
  const code = run.exitCode ?? -1;
  const detail = run.stderr.find((l) => !l.startsWith("rsync error:")) ?? run.stderr[0];
  return `rsync exited with code ${code} (${RSYNC_EXIT_CODES[code] ?? "unknown error"})${detail ? `: ${detail}` : ""}`;
}
