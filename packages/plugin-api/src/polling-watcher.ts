import type { StorageBackend, StorageEntry } from "./storage-backend.js";
import type { StorageWatcher, WatchEvent } from "./storage-watcher.js";
import { isOwnPath } from "./temp-names.js";

/**
 * The naive watcher (a storage with `watcher-interval`): lists the storage every `intervalMs` and reports what was
 * created, modified (token changed) or deleted since the previous listing. Works with any backend.
 */
export class PollingWatcher implements StorageWatcher {
  private timer?: NodeJS.Timeout;
  private previous?: Map<string, string>;
  private running = false;

  constructor(
    private readonly backend: StorageBackend,
    private readonly intervalMs: number,
  ) {}

  private async listing(): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    for await (const batch of this.backend.walkBatches({ onWarning: () => {}, include: (p) => !isOwnPath(p) })) {
      for (const entry of batch) map.set(entry.path, tokenOf(entry));
    }
    return map;
  }

  async start(onEvents: (events: WatchEvent[]) => void): Promise<void> {
    this.running = true;
    this.previous = await this.listing();
    const tick = async () => {
      if (!this.running) return;
      try {
        const current = await this.listing();
        const events: WatchEvent[] = [];
        for (const [path, token] of current) {
          const before = this.previous?.get(path);
          if (before === undefined) events.push({ type: "create", path });
          else if (before !== token) events.push({ type: "modify", path });
        }
        for (const path of this.previous?.keys() ?? []) if (!current.has(path)) events.push({ type: "delete", path });
        this.previous = current;
        if (events.length) onEvents(events);
      } catch {
        onEvents([{ type: "rescan", path: "" }]);
      }
      if (this.running) this.timer = setTimeout(tick, this.intervalMs);
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
  }
}

/** What a listing says of an entry: a change of any part (a chmod too: its token may not move) is an event. */
function tokenOf(entry: StorageEntry): string {
  return `${entry.kind}:${entry.token}:${entry.linkTarget ?? ""}:${entry.mode ?? ""}`;
}
