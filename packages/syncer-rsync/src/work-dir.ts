import { randomBytes } from "node:crypto";
import { appendFile, lstat, mkdir, readdir, readFile, rm, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { TEMP_PREFIX, type Logger } from "@wlsync/plugin-api";
import { sha256File } from "./hash-file.js";
import { namesBehindTempName } from "./rsync-messages.js";

/** `.wlsync-tmp-rsync-<pid>-<random>`: the engine never syncs `.wlsync-tmp-*` names. */
const WORK_DIR_NAME = new RegExp(`^${TEMP_PREFIX.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}rsync-(\\d+)-[0-9a-f]+$`);

export interface JournalEntry {
  /** Relative path rsync is about to write. */
  p: string;
  /** sha256 the destination was expected to hold (null: expected absent). */
  h: string | null;
}

const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return code(err) === "EPERM";
  }
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
    const dir = join(root, `${TEMP_PREFIX}rsync-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(dir, { mode: 0o700 });
    await appendFile(join(dir, "journal"), `${JSON.stringify({ started: Date.now() })}\n`);
    return new WorkDir(root, dir);
  }

  get backupDir(): string {
    return join(this.dir, "backup");
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
      return new Set((await readdir(this.backupDir, { recursive: true })).map((p) => p.split("\\").join("/")));
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
 * Cleans up after a pass that was killed while rsync ran (SIGKILL, power loss): rsync's own
 * temporary files `.name.XXXXXX` next to the journaled paths are removed before the scan can
 * mistake them for user files, and backups holding exactly the version the plan meant to replace
 * are dropped. A backup holding anything else may be the only copy of someone's edit: it is kept
 * and reported. Folders of live processes are left alone.
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
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    const dir = join(root, name);
    try {
      await recoverOne(root, dir, logger);
    } catch (err) {
      logger.warn(`could not clean up ${dir}, left by an interrupted rsync pass: ${(err as Error).message}`);
    }
  }
}

async function recoverOne(root: string, dir: string, logger: Logger): Promise<void> {
  let started = 0;
  const expected = new Map<string, string | null>();
  const text = await readFile(join(dir, "journal"), "utf8").catch(() => "");
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const entry = JSON.parse(line) as Partial<JournalEntry> & { started?: number };
      if (typeof entry.started === "number") started = entry.started;
      if (typeof entry.p === "string") expected.set(entry.p, entry.h ?? null);
    } catch {
      // a line cut short by the crash
    }
  }

  // rsync's temporary files for the journaled paths, written after the pass started.
  const byFolder = new Map<string, Set<string>>();
  for (const path of expected.keys()) {
    const folder = dirname(join(root, path));
    const set = byFolder.get(folder) ?? new Set<string>();
    set.add(path.slice(path.lastIndexOf("/") + 1));
    byFolder.set(folder, set);
  }
  let removed = 0;
  for (const [folder, wanted] of byFolder) {
    let entries: string[];
    try {
      entries = await readdir(folder);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!namesBehindTempName(entry).some((n) => wanted.has(n))) continue;
      const full = join(folder, entry);
      const st = await lstat(full).catch(() => null);
      if (!st?.isFile() || st.mtimeMs < started - 2000) continue;
      await unlink(full).catch(() => {});
      removed++;
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
    const want = expected.get(rel.split("\\").join("/"));
    if (want && (await sha256File(full).catch(() => "")) === want) await unlink(full);
    else kept.push(rel);
  }
  if (kept.length === 0) {
    await rm(dir, { recursive: true, force: true });
    if (removed) logger.warn(`removed ${removed} temporary file${removed === 1 ? "" : "s"} left in ${root} by an interrupted rsync pass`);
    return;
  }
  logger.warn(
    `an interrupted rsync pass left ${kept.length} replaced version${kept.length === 1 ? "" : "s"} in ${backupDir} (${kept.slice(0, 3).join(", ")}${kept.length > 3 ? ", ..." : ""}) that differ from what was expected there; they may hold edits made during that pass: compare them with the files in place, then delete that folder`,
  );
}
