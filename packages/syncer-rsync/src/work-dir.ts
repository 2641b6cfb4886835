import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { FOREIGN_TEMP_MAX_AGE_MS, TEMP_PREFIX, hostIdentity, writerGone, type Logger } from "@wlsync/plugin-api";
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

  static async create(root: string): Promise<WorkDir> {
    const dir = join(root, `${TEMP_PREFIX}rsync-${hostIdentity()}-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(dir, { mode: 0o700 });
    await appendFile(join(dir, "journal"), `${JSON.stringify({ started: Date.now() })}\n`);
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
      await recoverOne(dir, logger);
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

async function recoverOne(dir: string, logger: Logger): Promise<void> {
  const expected = new Map<string, string | null>();
  const text = await readFile(join(dir, "journal"), "utf8").catch(() => "");
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const entry = JSON.parse(line) as Partial<JournalEntry>;
      if (typeof entry.p === "string") expected.set(entry.p, entry.h ?? null);
    } catch {
      // a line cut short by the crash
    }
  }

  // Backups: drop the ones that hold the version the plan expected; keep anything else.
  const kept: string[] = [];
  const backupDir = join(dir, "backup");
  const files = await readdir(backupDir, { recursive: true }).catch(() => [] as string[]);
  for (const rel of files) {
    const full = join(backupDir, rel);
    const st = await stat(full).catch(() => null);
    if (!st?.isFile()) continue;
    const want = expected.get(rel);
    if (want && (await sha256File(full).catch(() => "")) === want) await unlink(full);
    else kept.push(rel);
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
