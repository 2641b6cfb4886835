import { closeSync, openSync, readFileSync, statSync, unlinkSync, watch, type FSWatcher } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isOwnPath, tempFileName, type Logger, type StorageWatcher, type WatchEvent } from "@wlsync/plugin-api";

/**
 * Queue overflow. Node's fs.watch does not report the kernel's IN_Q_OVERFLOW (libuv drops it:
 * it carries no watch), and neither does @parcel/watcher 2.6.0 (the latest release: its
 * InotifyBackend skips the event) nor inotifywait 3.22 (all checked).
 * But every fs.watch of a process shares libuv's one inotify instance, whose queue holds at
 * most `fs.inotify.max_queued_events` events (the value when the instance was made, at the
 * process's first watch), and libuv drains that queue completely, callback after callback,
 * before any setImmediate runs. So an overflow shows as one such run of at least that many
 * events: then every watcher of the process (they all lost events) reports a rescan. A burst
 * that big without an overflow only costs a rescan.
 */
const live = new Set<LocalWatcher>();

/** The longest wait between two rescans (and watch attempts) of a folder that cannot be watched (ms). */
const UNWATCHED_RETRY_MAX_MS = 60_000;

/** The first wait (ms): WLSYNC_RETRY_MS, as for failed items, else 1 s. */
function unwatchedRetryBaseMs(): number {
  const value = Number(process.env.WLSYNC_RETRY_MS);
  return Number.isFinite(value) && value > 0 ? value : 1000;
}
let queueLimit: number | null | undefined;
let rawInTick = 0;
let tickScheduled = false;

function readQueueLimit(): number | null {
  try {
    const n = Number.parseInt(readFileSync("/proc/sys/fs/inotify/max_queued_events", "utf8"), 10);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null; // not Linux: no inotify queue to watch
  }
}

function countRawEvent(): void {
  rawInTick++;
  if (tickScheduled) return;
  tickScheduled = true;
  setImmediate(() => {
    tickScheduled = false;
    const n = rawInTick;
    rawInTick = 0;
    // A margin below the limit: libuv skips events of watches closed meanwhile.
    if (queueLimit && n >= Math.floor(queueLimit * 0.9)) for (const w of live) w.overflowed(n, queueLimit);
  });
}

/**
 * Kernel change events for a local folder: one inotify watch per folder through fs.watch
 * (Node's recursive mode is not used: it is slow to set up and unreliable on Linux in Node 20).
 * Events are delivered in small batches without a debounce delay. A folder that appears is
 * watched and reported with everything already in it; a watcher error (such as the kernel's
 * queue overflowing or the watch limit being hit) is reported as a rescan, never ignored.
 */
export class LocalWatcher implements StorageWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  /** Folders that could not be watched: attempts so far and when to rescan and try again (ms since the epoch). */
  private readonly unwatched = new Map<string, { attempts: number; due: number }>();
  private retryTimer?: NodeJS.Timeout;
  /** Inode of each watched folder: a folder moved away and re-created under its name is another inode. */
  private readonly inodes = new Map<string, number>();
  private queue: WatchEvent[] = [];
  private flushScheduled = false;
  private onEvents?: (events: WatchEvent[]) => void;
  private stopped = false;
  /** Marker names written by sync(), waiting for their own event. */
  private readonly barriers = new Map<string, () => void>();
  /** Folders that appeared and are being listed and watched (their contents are reported when done). */
  private readonly listing = new Set<Promise<void>>();

  constructor(
    private readonly root: string,
    private readonly logger: Logger,
  ) {}

  async start(onEvents: (events: WatchEvent[]) => void): Promise<void> {
    this.onEvents = onEvents;
    // Before the process's first watch creates libuv's inotify instance, which keeps this limit.
    if (queueLimit === undefined) queueLimit = readQueueLimit();
    live.add(this);
    await this.watchTree("", false);
  }

  /**
   * A barrier: creates and removes a marker file (an own temporary name, never synced) at the
   * root and waits for its event. All fs.watch watches of the process share one inotify queue,
   * read in order, so once the marker's event is here every change made before the call has
   * been read; then the folders being listed are waited for and the batch is delivered.
   * Rejects after `timeoutMs` (the root is read-only, or the watch is gone).
   */
  async sync(timeoutMs = 5000): Promise<void> {
    if (this.stopped || !this.watchers.has("")) throw new Error(`${this.root} is not being watched`);
    const name = tempFileName();
    let timer: NodeJS.Timeout | undefined;
    const seen = new Promise<void>((resolve, reject) => {
      this.barriers.set(name, resolve);
      timer = setTimeout(() => reject(new Error(`${this.root}: no event for the marker file within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const marker = join(this.root, name);
      closeSync(openSync(marker, "wx", 0o600));
      unlinkSync(marker);
      await seen;
    } finally {
      clearTimeout(timer);
      this.barriers.delete(name);
    }
    while (this.listing.size) await Promise.all([...this.listing]);
    // The overflow check and the batch both run on setImmediate after a run of raw events.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The process's inotify queue overflowed: what this watcher covers is rescanned. */
  overflowed(events: number, limit: number): void {
    if (this.stopped) return;
    this.logger.warn(`${this.root}: the kernel's event queue overflowed (${events} events at once, fs.inotify.max_queued_events ${limit}); rescanning`);
    this.emit({ type: "rescan", path: "", reason: "kernel event queue overflow" });
  }

  async stop(): Promise<void> {
    live.delete(this);
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private emit(event: WatchEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.queue;
      this.queue = [];
      if (batch.length && !this.stopped) this.onEvents?.(batch);
    });
  }

  /** Watches `dir` and every folder below it; with `report`, also reports what is in them. */
  private async watchTree(dir: string, report: boolean): Promise<void> {
    if (this.stopped || this.watchers.has(dir)) return;
    const full = dir === "" ? this.root : join(this.root, dir);
    let watcher: FSWatcher;
    try {
      watcher = watch(full, { persistent: true }, (_type, filename) => this.onRaw(dir, filename));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") {
        this.unwatched.delete(dir); // gone: nothing left to watch there
        return;
      }
      const limit = (err as NodeJS.ErrnoException).code === "ENOSPC" ? " (the watch limit fs.inotify.max_user_watches is reached: raise it with sysctl)" : "";
      const attempts = (this.unwatched.get(dir)?.attempts ?? 0) + 1;
      const waitMs = Math.min(unwatchedRetryBaseMs() * 2 ** (attempts - 1), UNWATCHED_RETRY_MAX_MS);
      this.unwatched.set(dir, { attempts, due: Date.now() + waitMs });
      if (attempts === 1) {
        this.logger.warn(`cannot watch ${full}: ${(err as Error).message}${limit}; rescanning now, then again with a new try to watch it after ${waitMs} ms, doubling up to ${UNWATCHED_RETRY_MAX_MS / 1000} s`);
        this.emit({ type: "rescan", path: "", reason: limit ? "watch limit reached" : "a folder could not be watched" });
      }
      this.armRetry();
      return;
    }
    if (this.unwatched.delete(dir)) this.logger.info(`${full} is watched now`);
    watcher.on("error", (err) => {
      this.watchers.get(dir)?.close();
      this.watchers.delete(dir);
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
        this.logger.warn(`watching ${full} failed: ${(err as Error).message}; rescanning`);
        this.emit({ type: "rescan", path: "", reason: "watch error" });
      }
    });
    this.watchers.set(dir, watcher);
    try {
      this.inodes.set(dir, statSync(full).ino);
    } catch {
      // gone already: its parent's event follows
    }
    let entries;
    try {
      entries = await readdir(full, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (isOwnPath(path)) continue;
      if (report) this.emit({ type: "create", path });
      if (entry.isDirectory()) await this.watchTree(path, report);
    }
  }

  /**
   * Folders that could not be watched are rescanned (a scoped rescan event) and tried again
   * with a backoff, as failed items are: from WLSYNC_RETRY_MS (default 1 s), doubling, at most
   * UNWATCHED_RETRY_MAX_MS; once a watch works, what is below it is watched as well.
   */
  private armRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.stopped || this.unwatched.size === 0) return;
    const next = Math.min(...[...this.unwatched.values()].map((u) => u.due));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const now = Date.now();
      const due = [...this.unwatched].filter(([, u]) => u.due <= now).map(([dir]) => dir);
      for (const dir of due) {
        this.emit({ type: "rescan", path: dir, reason: "a folder that could not be watched" });
        void this.watchTree(dir, false).catch(() => {});
      }
      this.armRetry();
    }, Math.max(0, next - Date.now()));
    this.retryTimer.unref?.();
  }

  /** Closes the watches on `path` and below. */
  private unwatch(path: string): void {
    for (const [key, w] of this.watchers) {
      if (key === path || key.startsWith(`${path}/`)) {
        w.close();
        this.watchers.delete(key);
        this.inodes.delete(key);
      }
    }
  }

  private onRaw(dir: string, filename: string | Buffer | null): void {
    countRawEvent();
    if (filename === null) {
      this.emit({ type: "rescan", path: "" });
      return;
    }
    const name = filename.toString();
    if (dir === "") this.barriers.get(name)?.();
    const path = dir === "" ? name : `${dir}/${name}`;
    if (isOwnPath(path)) return;
    this.emit({ type: "modify", path });
    // A new folder: watch it, and report what was put in it before the watch existed.
    const full = join(this.root, path);
    const listed = readdir(full, { withFileTypes: true }).then(
      () => {
        // A watch follows the folder it was put on: when the name now holds another folder (the
        // old one moved away, a new one made), the watches below it are renewed and what the new
        // folder holds is reported.
        const known = this.inodes.get(path);
        let now: number | undefined;
        try {
          now = statSync(full).ino;
        } catch {
          now = undefined;
        }
        if (known !== undefined && now !== undefined && known !== now) {
          this.logger.info(`${full}: the watched folder was replaced; watching the new one and rescanning it`);
          this.unwatch(path);
          this.emit({ type: "rescan", path, reason: "watched folder moved or re-created" });
        }
        return this.watchTree(path, true);
      },
      () => {
        this.unwatch(path);
      },
    );
    this.listing.add(listed);
    void listed.finally(() => this.listing.delete(listed));
  }
}
