import { watch, type FSWatcher } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isOwnPath, type Logger, type StorageWatcher, type WatchEvent } from "@wlsync/plugin-api";

/**
 * Kernel change events for a local folder: one inotify watch per folder through fs.watch
 * (Node's recursive mode is not used: it is slow to set up and unreliable on Linux in Node 20).
 * Events are delivered in small batches without a debounce delay. A folder that appears is
 * watched and reported with everything already in it; a watcher error (such as the kernel's
 * queue overflowing or the watch limit being hit) is reported as a rescan, never ignored.
 */
export class LocalWatcher implements StorageWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private queue: WatchEvent[] = [];
  private flushScheduled = false;
  private onEvents?: (events: WatchEvent[]) => void;
  private stopped = false;

  constructor(
    private readonly root: string,
    private readonly logger: Logger,
  ) {}

  async start(onEvents: (events: WatchEvent[]) => void): Promise<void> {
    this.onEvents = onEvents;
    await this.watchTree("", false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
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
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return;
      this.logger.warn(`cannot watch ${full}: ${(err as Error).message}; changes there are found by periodic rescans`);
      this.emit({ type: "rescan", path: "" });
      return;
    }
    watcher.on("error", (err) => {
      this.watchers.get(dir)?.close();
      this.watchers.delete(dir);
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.emit({ type: "rescan", path: "" });
    });
    this.watchers.set(dir, watcher);
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

  private onRaw(dir: string, filename: string | Buffer | null): void {
    if (filename === null) {
      this.emit({ type: "rescan", path: "" });
      return;
    }
    const name = filename.toString();
    const path = dir === "" ? name : `${dir}/${name}`;
    if (isOwnPath(path)) return;
    this.emit({ type: "modify", path });
    // A new folder: watch it, and report what was put in it before the watch existed.
    const full = join(this.root, path);
    readdir(full, { withFileTypes: true }).then(
      () => this.watchTree(path, true),
      () => {
        const gone = this.watchers.get(path);
        if (gone) {
          gone.close();
          for (const [key, w] of this.watchers) {
            if (key === path || key.startsWith(`${path}/`)) {
              w.close();
              this.watchers.delete(key);
            }
          }
        }
      },
    );
  }
}
