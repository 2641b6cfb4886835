import { randomBytes } from "node:crypto";
import { appendFile, lstat, mkdir, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { FOREIGN_TEMP_MAX_AGE_MS, LocalVersionStore, TEMP_PREFIX, hostIdentity, writerGone, type Logger } from "@wlsync/plugin-api";
import { sha256File } from "./hash-file.js";

/**
 * `.wlsync-tmp-rsync-<host identity>-<pid>-<random>`: the engine never syncs `.wlsync-tmp-*`
 * names, and the writer (host identity and pid, see core's hostIdentity) is named so that a
 * later pass judges liveness only where the pid means something.
 */
const WORK_DIR_NAME = new RegExp(`^${TEMP_PREFIX.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}rsync-(?:([0-9a-f]{8})-)?(\\d+)-[0-9a-f]+$`);

export interface JournalEntry {
  /** Relative path rsync is about to write. */
  p: string;
  /** sha256 the destination was expected to hold (null: expected absent). */
  h: string | null;
}

/**
 * One transfer's scratch folder at the root of the destination storage: a journal of the paths
 * handed to rsync (so an interrupted pass can be cleaned up by the next one) and rsync's backup
 * folder, which receives every destination file rsync replaces.
 */
export class WorkDir {
  private readonly kept = new Set<string>();

  private constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  /** `from`: the source folder rsync copies from (read by the recovery of a killed pass). */
  static async create(root: string, from?: string): Promise<WorkDir> {
    const dir = join(root, `${TEMP_PREFIX}rsync-${hostIdentity()}-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(dir, { mode: 0o700 });
    await appendFile(join(dir, "journal"), `${JSON.stringify({ started: Date.now(), ...(from ? { from } : {}) })}\n`);
    return new WorkDir(root, dir);
  }

  get backupDir(): string {
    return join(this.dir, "backup");
  }

  /** rsync's temporary files (`--temp-dir`): whatever a killed rsync leaves is in wl's own folder. */
  get tempDir(): string {
    return join(this.dir, "tmp");
  }

  /** New files are written here by rsync, verified, then linked into place (create-if-absent). */
  get stageDir(): string {
    return join(this.dir, "stage");
  }

  backupOf(path: string): string {
    return join(this.backupDir, path);
  }

  /** Relative paths of everything rsync has moved into the backup folder so far. */
  async backups(): Promise<Set<string>> {
    try {
      // Names as they are: on Linux a backslash is a character of a name, never a separator.
      return new Set(await readdir(this.backupDir, { recursive: true }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return new Set();
      throw err;
    }
  }

  async journal(entries: readonly JournalEntry[]): Promise<void> {
    await appendFile(join(this.dir, "journal"), entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
  }

  /** A replaced version that could not be put back: the folder is kept for the user. */
  keep(path: string): void {
    this.kept.add(path);
  }

  async finish(logger: Logger): Promise<void> {
    if (this.kept.size === 0) {
      await rm(this.dir, { recursive: true, force: true });
      return;
    }
    const shown = [...this.kept].slice(0, 3).join(", ");
    logger.warn(
      `${this.kept.size} replaced version${this.kept.size === 1 ? "" : "s"} could not be put back and ${this.kept.size === 1 ? "is" : "are"} kept in ${this.backupDir} (${shown}${this.kept.size > 3 ? ", ..." : ""}); compare them with the files in place, then delete that folder`,
    );
  }
}

/**
 * Cleans up after a pass that was killed while rsync ran (SIGKILL, power loss). Only what wl
 * can prove it wrote is removed: its own work folders (rsync's temporary files and staged new
 * files live inside them), never a file next to user files because of its name. Backups holding
 * exactly the version the plan meant to replace are dropped; a backup holding anything else may
 * be the only copy of someone's edit: it is kept and reported. A work folder is judged only when
 * its writer is known to be gone: a process of this host identity that no longer runs (pids of
 * another host or container mean nothing here), or, for any other writer, after a day untouched.
 */
export async function recoverInterrupted(root: string, logger: Logger): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  for (const name of names) {
    const m = WORK_DIR_NAME.exec(name);
    if (!m) continue;
    const dir = join(root, name);
    const gone = m[1] ? writerGone(m[1], Number(m[2])) : undefined;
    if (gone === false) continue;
    if (gone === undefined && !(await untouchedFor(dir, FOREIGN_TEMP_MAX_AGE_MS))) continue;
    try {
      await recoverOne(dir, root, logger);
    } catch (err) {
      logger.warn(`could not clean up ${dir}, left by an interrupted rsync pass: ${(err as Error).message}`);
    }
  }
}

/** Whether nothing in a work folder (its journal, its folders) changed for `ms`. */
async function untouchedFor(dir: string, ms: number): Promise<boolean> {
  const newest = Math.max(
    ...(await Promise.all(["", "journal", "backup", "tmp", "stage"].map((p) => stat(join(dir, p)).then((st) => st.mtimeMs, () => 0)))),
  );
  return Date.now() - newest > ms;
}

async function recoverOne(dir: string, root: string, logger: Logger): Promise<void> {
  const expected = new Map<string, string | null>();
  let from: string | undefined;
  const text = await readFile(join(dir, "journal"), "utf8").catch(() => "");
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const entry = JSON.parse(line) as Partial<JournalEntry> & { from?: unknown };
      if (typeof entry.p === "string") expected.set(entry.p, entry.h ?? null);
      else if (typeof entry.from === "string") from = entry.from;
    } catch {
      // a line cut short by the crash
    }
  }

  // Backups: the ones that hold the version the plan expected go (or back into place, see
  // undoUnverified); anything else is kept.
  const kept: string[] = [];
  const undone: string[] = [];
  const lastActivityNs = await newestChangeNs(dir);
  const backupDir = join(dir, "backup");
  const files = await readdir(backupDir, { recursive: true }).catch(() => [] as string[]);
  for (const rel of files) {
    const full = join(backupDir, rel);
    const st = await stat(full).catch(() => null);
    if (!st?.isFile()) continue;
    const want = expected.get(rel);
    if (!want || (await sha256File(full).catch(() => "")) !== want) {
      kept.push(rel);
      continue;
    }
    if (await undoUnverified(rel, full, root, from, lastActivityNs)) undone.push(rel);
    else await unlink(full);
  }
  if (undone.length) {
    logger.info(
      `an interrupted rsync pass had replaced ${undone.length} file${undone.length === 1 ? "" : "s"} in ${root} without verifying ${undone.length === 1 ? "it" : "them"} (${undone.slice(0, 3).join(", ")}${undone.length > 3 ? ", ..." : ""}): the replaced version${undone.length === 1 ? " was" : "s were"} put back, and the next pass copies again`,
    );
  }
  if (kept.length === 0) {
    await rm(dir, { recursive: true, force: true });
    logger.debug(`removed ${dir}, left by an interrupted rsync pass`);
    return;
  }
  // The rest of the folder (rsync's temporary and staged files) is wl's own: only the backups stay.
  for (const sub of ["tmp", "stage"]) await rm(join(dir, sub), { recursive: true, force: true });
  logger.warn(
    `an interrupted rsync pass left ${kept.length} replaced version${kept.length === 1 ? "" : "s"} in ${backupDir} (${kept.slice(0, 3).join(", ")}${kept.length > 3 ? ", ..." : ""}) that differ from what was expected there; they may hold edits made during that pass: compare them with the files in place, then delete that folder`,
  );
}

const CLOCK_SLACK_NS = 20_000_000n;

/** The newest change (ns) to the work folder and its sub-folders: rsync's last rename out of its temp folder, or link into its backup folder. */
async function newestChangeNs(dir: string): Promise<bigint> {
  let newest = 0n;
  const subs = ["", "tmp", "stage", "backup", ...(await readdir(join(dir, "backup"), { recursive: true }).catch(() => [] as string[])).map((r) => join("backup", r))];
  for (const sub of subs) {
    const st = await lstat(join(dir, sub), { bigint: true }).catch(() => null);
    if (st?.isDirectory() && st.mtimeNs > newest) newest = st.mtimeNs;
  }
  return newest;
}

/**
 * A file rsync renamed into place, and a kill stopped wl before it verified and recorded it: the
 * copy may hold a version of the source the plan never saw (the source changed while rsync read
 * it), which the next pass could not tell from an edit on this side (a false "changed on both
 * sides"). Unless it already equals the source's current content (then it is simply in sync),
 * the replaced version, the one the state knows, goes back into place (rename(2) over the
 * copy, which is kept in the versions store) and the next pass copies again.
 *
 * The copy is taken for rsync's only if it is rsync's without doubt: another file than the one
 * rsync linked into its backup folder, last changed (ctime: the rename) no later than the work
 * folder's last change, and with an mtime other than its ctime (rsync gives its copy the
 * source's mtime; a write or save on this side sets both to the same moment).
 * Returns whether the version was put back.
 */
async function undoUnverified(rel: string, backupAbs: string, root: string, from: string | undefined, lastActivityNs: bigint): Promise<boolean> {
  const destAbs = join(root, rel);
  const [dest, backup] = await Promise.all([lstat(destAbs, { bigint: true }).catch(() => null), lstat(backupAbs, { bigint: true })]);
  if (!dest?.isFile() || dest.ino === backup.ino) return false; // never replaced, or deleted since: nothing to undo
  // (The rename sets the file's ctime and its old folder's mtime from separate clock reads: a tick apart at most.)
  if (dest.ctimeNs > lastActivityNs + CLOCK_SLACK_NS || dest.mtimeNs === dest.ctimeNs) return false; // changed after rsync: not rsync's copy
  if (from) {
    const [copy, source] = await Promise.all([sha256File(destAbs).catch(() => null), sha256File(join(from, rel)).catch(() => null)]);
    if (copy !== null && copy === source) return false;
  }
  try {
    new LocalVersionStore(root).linkIn(rel, destAbs);
  } catch {
    return false; // the copy could not be kept: leave it, the next pass judges it
  }
  await rename(backupAbs, destAbs);
  return true;
}
